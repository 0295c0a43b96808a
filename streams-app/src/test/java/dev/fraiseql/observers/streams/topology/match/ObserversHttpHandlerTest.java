package dev.fraiseql.observers.streams.topology.match;

import static dev.fraiseql.observers.streams.topology.match.Events.order;
import static dev.fraiseql.observers.streams.topology.match.Events.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.observer.ObserverLoader;
import dev.fraiseql.observers.core.observer.ObserverRegistry;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ObserversHttpHandlerTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void listsLoadedObserversWithTheirCounts() throws Exception {
        ObserverLoader loader =
                new ObserverLoader(
                        new ConditionCompiler(),
                        ActionOptionsValidators.standard(),
                        EnvExpander.of(Map.of("S", "whsec_x")));
        ObserverRegistry registry =
                new ObserverRegistry(
                        loader.parse(
                                        Map.of(
                                                "observers/orders.yaml",
                                                "observers:\n"
                                                    + "  - name: order-shipped\n"
                                                    + "    entity: public.orders\n"
                                                    + "    on: [update, create]\n"
                                                    + "    when: changed_to('status', 'shipped')\n"
                                                    + "    actions:\n"
                                                    + "      - webhook: { url:"
                                                    + " 'http://127.0.0.1:9/h', secret: '${env:S}'"
                                                    + " }\n"
                                                    + "      - log: {}\n"))
                                .observers());
        registry.get()
                .jobsFor(
                        update(
                                "e-1",
                                order(1, "pending", BigDecimal.ONE),
                                order(1, "shipped", BigDecimal.ONE),
                                List.of("status")),
                        1L);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/observers", new ObserversHttpHandler(registry));
        server.start();

        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + server.getAddress().getPort()
                                                                + "/observers"))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).doesNotContain("whsec_x");
        JsonNode observer = new ObjectMapper().readTree(response.body()).get(0);
        assertThat(observer.get("name").asText()).isEqualTo("order-shipped");
        assertThat(observer.get("entity").asText()).isEqualTo("public.orders");
        assertThat(observer.get("on").toString()).isEqualTo("[\"create\",\"update\"]");
        assertThat(observer.get("when").asText()).isEqualTo("changed_to('status', 'shipped')");
        assertThat(observer.get("actions").toString()).isEqualTo("[\"webhook\",\"log\"]");
        assertThat(observer.get("evaluated").asLong()).isEqualTo(1);
        assertThat(observer.get("matched").asLong()).isEqualTo(1);
        assertThat(observer.get("errors").asLong()).isZero();
        assertThat(observer.get("file").asText()).isEqualTo("observers/orders.yaml");
    }
}
