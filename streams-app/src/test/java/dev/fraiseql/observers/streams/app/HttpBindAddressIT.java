package dev.fraiseql.observers.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.core.config.app.ConfigFolder;
import dev.fraiseql.observers.testing.CapturedLogs;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP endpoint binds the configured address and nothing else, and the address it reports is
 * the bound one.
 *
 * <p>The other local address tried is {@code 127.0.0.2}: on Linux the whole {@code 127.0.0.0/8}
 * belongs to the machine, so a socket bound to every address answers there, while one bound to
 * {@code 127.0.0.1} does not. The machine's network addresses (such as its LAN address) are not
 * tried, because tests send traffic to loopback addresses only. Where {@code 127.0.0.2} is not a
 * local address (macOS by default), the reachability assertion is skipped.
 */
class HttpBindAddressIT {
    private final KafkaHarness kafka = Harnesses.kafka();

    private ObserversApplication app(Path dir, String host) {
        String yaml =
                "prefix: "
                        + kafka.uniqueName("bind")
                        + "\nkafka: {bootstrap.servers: '"
                        + kafka.bootstrapServers()
                        + "'}\nhttp: {host: '"
                        + host
                        + "', port: 0}\n"
                        + "parts: {connectors: false, topology: false, worker: false}\n";
        ConfigFolder folder =
                new ConfigFolder(
                        dir,
                        new ApplicationConfigLoader(EnvExpander.of(Map.of()))
                                .parse(yaml, "application.yaml", dir));
        return ObserversApplication.create(
                folder,
                PartCatalog.empty(),
                TopicPreparation.apply(List.of(), Duration.ofSeconds(30)));
    }

    @Test
    void bound_to_127_0_0_1_it_is_not_reachable_on_another_local_address(@TempDir Path dir)
            throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        assumeThat(isLocal(other))
                .as("127.0.0.2 is not a local address of this machine; nothing else to try")
                .isTrue();
        try (ObserversApplication app = app(dir, "127.0.0.1")) {
            app.start();
            int port = Integer.parseInt(app.endpointUrl().orElseThrow().replaceAll(".*:", ""));

            assertThat(canConnect(InetAddress.getByName("127.0.0.1"), port)).isTrue();
            assertThatThrownBy(() -> connect(other, port)).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void the_bound_address_is_what_the_log_and_the_endpoint_url_report(@TempDir Path dir) {
        try (CapturedLogs logs = CapturedLogs.start();
                ObserversApplication app = app(dir, "localhost")) {
            app.start();
            String url = app.endpointUrl().orElseThrow();

            // localhost resolves and binds the loopback address; the report names what was bound.
            assertThat(url).matches("http://(127\\.0\\.0\\.1|\\[0:0:0:0:0:0:0:1]):\\d+");
            assertThat(logs.lines())
                    .anySatisfy(
                            line ->
                                    assertThat(line)
                                            .contains("[http] serving on " + url + " (4 threads)"))
                    .noneSatisfy(line -> assertThat(line).contains("serving on http://localhost"));
        }
    }

    @Test
    void the_default_bind_address_is_loopback(@TempDir Path dir) {
        ConfigFolder folder =
                new ConfigFolder(
                        dir,
                        new ApplicationConfigLoader(EnvExpander.of(Map.of()))
                                .parse(
                                        "kafka: {bootstrap.servers: 'localhost:9092'}\n",
                                        "application.yaml",
                                        dir));

        assertThat(folder.application().http().host()).isEqualTo("127.0.0.1");
    }

    /** True when a socket bound to the address accepts a connection to it. */
    private static boolean isLocal(InetAddress address) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, 0));
            return canConnect(address, probe.getLocalPort());
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean canConnect(InetAddress address, int port) {
        try {
            connect(address, port);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
        }
    }
}
