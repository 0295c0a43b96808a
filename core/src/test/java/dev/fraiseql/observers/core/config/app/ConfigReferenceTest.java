package dev.fraiseql.observers.core.config.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} equal to what the declarations render. To refresh it after
 * changing a key: {@code mvn -pl core test -Dtest=ConfigReferenceTest -Dobservers.docs.write=true}.
 */
class ConfigReferenceTest {
    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

    @Test
    void checkedInReferenceMatchesTheDeclarations() throws IOException {
        String rendered = ConfigReference.markdown();
        if (Boolean.getBoolean("observers.docs.write")) {
            Files.createDirectories(REFERENCE.getParent());
            Files.writeString(REFERENCE, rendered, StandardCharsets.UTF_8);
        }

        String checkedIn =
                Files.exists(REFERENCE) ? Files.readString(REFERENCE, StandardCharsets.UTF_8) : "";

        assertThat(checkedIn)
                .as(
                        "docs/configuration.md is stale; regenerate it with: mvn -pl core test"
                                + " -Dtest=ConfigReferenceTest -Dobservers.docs.write=true")
                .isEqualTo(rendered);
    }

    @Test
    void referenceListsEveryKeyWithItsDefault() {
        String rendered = ConfigReference.markdown();

        for (ConfigKey<?> key : ApplicationKeys.ALL) {
            assertThat(rendered).contains("| `" + key.name() + "` | " + key.type().name() + " |");
        }
        assertThat(rendered)
                .contains("| `http.host` | string | `127.0.0.1` |")
                .contains("| `dedup.window` | duration | `1d` | must be longer than 0 |")
                .contains("| `jobs.outcomes` | `<prefix>.jobs.outcomes` | compact | forever |");
    }
}
