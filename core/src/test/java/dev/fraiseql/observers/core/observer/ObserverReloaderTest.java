package dev.fraiseql.observers.core.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObserverReloaderTest {
    private final ObserverLoader loader =
            new ObserverLoader(
                    new ConditionCompiler(),
                    ActionOptionsValidators.standard(),
                    EnvExpander.of(Map.of()));

    private static String observerFile(String when) {
        return "observers:\n"
                + "  - name: order-shipped\n"
                + "    entity: public.orders\n"
                + "    on: [update]\n"
                + "    when: "
                + when
                + "\n"
                + "    actions: [ { log: {} } ]\n";
    }

    @Test
    void validChangeIsPutInForce(@TempDir Path config) throws Exception {
        Path dir = Files.createDirectory(config.resolve("observers"));
        Path file = dir.resolve("orders.yaml");
        Files.writeString(file, observerFile("changed_to('status', 'shipped')"));
        ObserverRegistry registry = new ObserverRegistry(loader.load(dir));

        try (ObserverReloader reloader =
                ObserverReloader.start(loader, dir, registry, Duration.ofMillis(100))) {
            Files.writeString(file, observerFile("changed_to('status', 'cancelled')"));

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () ->
                                    assertThat(registry.get().observers().get(0).conditionText())
                                            .isEqualTo("changed_to('status', 'cancelled')"));
        }
    }

    @Test
    void invalidChangeIsRejectedAndTheOldObserversKeepRunning(@TempDir Path config)
            throws Exception {
        Path dir = Files.createDirectory(config.resolve("observers"));
        Path file = dir.resolve("orders.yaml");
        Files.writeString(file, observerFile("changed_to('status', 'shipped')"));
        ObserverRegistry registry = new ObserverRegistry(loader.load(dir));
        ObserverSet before = registry.get();

        try (ObserverReloader reloader =
                ObserverReloader.start(loader, dir, registry, Duration.ofMillis(100))) {
            Files.writeString(file, observerFile("changed_to('status', "));
            ObserverLoader.Result rejected = reloader.reloadNow();

            assertThat(rejected.valid()).isFalse();
            assertThat(rejected.problems().get(0).path()).isEqualTo("observers[0].when");
            assertThat(registry.get()).isSameAs(before);
            assertThat(registry.get().observers().get(0).conditionText())
                    .isEqualTo("changed_to('status', 'shipped')");
        }
    }
}
