package dev.fraiseql.observers.core.observer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.action.ActionExecutor;
import dev.fraiseql.observers.core.action.Classification;
import dev.fraiseql.observers.core.action.EmailExecutor;
import dev.fraiseql.observers.core.action.KafkaPublishExecutor;
import dev.fraiseql.observers.core.action.LogExecutor;
import dev.fraiseql.observers.core.action.OptionReader;
import dev.fraiseql.observers.core.action.SearchExecutor;
import dev.fraiseql.observers.core.action.SlackExecutor;
import dev.fraiseql.observers.core.action.WebhookExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keeps the action tables of {@code docs/observers.md} equal to the options the executors read: an
 * option added to an executor without a row, or a row left for an option that is gone, fails here.
 * The options an executor reads are what its own "unknown option" problem lists as known, so the
 * test follows the code without a second list to keep.
 */
class ActionOptionsDocsTest {
    private static final Path DOCS = Path.of("..", "docs", "observers.md");
    private static final String HTTP_OUTCOMES = "HTTP outcome options";
    private static final String PROBE = "zz_probe";
    private static final Pattern KNOWN = Pattern.compile("known options are \\[([^]]*)]");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+)` \\|");

    private final Clock clock = Clock.systemUTC();
    private final List<ActionExecutor> executors =
            List.of(
                    new WebhookExecutor(clock),
                    new SlackExecutor(clock),
                    new EmailExecutor(1),
                    new SearchExecutor(clock),
                    new LogExecutor());

    @AfterEach
    void close() {
        executors.forEach(ActionExecutor::close);
    }

    @Test
    void everyActionTypeDocumentsExactlyTheOptionsItsExecutorReads() throws IOException {
        Map<String, Set<String>> sections = sections(Files.readAllLines(DOCS));
        Set<String> outcomeOptions = classificationOptions();
        Map<String, Function<Map<String, Object>, List<String>>> validators = new LinkedHashMap<>();
        executors.forEach(e -> validators.put(e.type(), e::validate));
        validators.put("kafka", KafkaPublishExecutor::optionProblems);

        assertThat(sections.get(HTTP_OUTCOMES)).isEqualTo(outcomeOptions);
        for (Map.Entry<String, Function<Map<String, Object>, List<String>>> type :
                validators.entrySet()) {
            Set<String> read = known(type.getValue().apply(Map.of(PROBE, "x")));
            Set<String> ownOptions = new LinkedHashSet<>(read);
            ownOptions.removeAll(outcomeOptions);

            assertThat(sections.get(type.getKey()))
                    .as("rows of ### `%s` in %s", type.getKey(), DOCS)
                    .isEqualTo(ownOptions);
        }
        assertThat(sections.keySet())
                .containsExactlyInAnyOrder(
                        "webhook", "slack", "email", "search", "kafka", "log", HTTP_OUTCOMES);
    }

    @Test
    void theHttpActionsReadTheOutcomeOptionsAndTheOthersDoNot() {
        Set<String> outcomeOptions = classificationOptions();

        for (ActionExecutor executor : executors) {
            Set<String> read = known(executor.validate(Map.of(PROBE, "x")));
            boolean http = Set.of("webhook", "slack", "search").contains(executor.type());

            assertThat(read.containsAll(outcomeOptions)).as(executor.type()).isEqualTo(http);
        }
    }

    private static Set<String> classificationOptions() {
        OptionReader reader = new OptionReader("outcome", Map.of(PROBE, "x"));
        Classification.read(reader);
        reader.rejectUnknown();
        return known(reader.problems());
    }

    private static Set<String> known(List<String> problems) {
        String unknown =
                problems.stream()
                        .filter(p -> p.contains(PROBE + ": unknown option"))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no unknown-option problem in " + problems));
        Matcher matcher = KNOWN.matcher(unknown);
        assertThat(matcher.find()).as(unknown).isTrue();
        return Arrays.stream(matcher.group(1).split(","))
                .map(String::trim)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The option rows under each {@code ### `type`} heading of the {@code ## Actions} section (and
     * under its outcome options heading).
     */
    private static Map<String, Set<String>> sections(List<String> lines) {
        Map<String, Set<String>> sections = new LinkedHashMap<>();
        Set<String> current = null;
        boolean inActions = false;
        for (String line : lines) {
            if (line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "");
                if (line.startsWith("## ")) {
                    inActions = title.equals("Actions");
                }
                boolean actionHeading = inActions && line.startsWith("### ");
                current = actionHeading ? new TreeSet<>() : null;
                if (actionHeading) {
                    sections.put(title.replace("`", ""), current);
                }
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (current != null && row.find()) {
                current.add(row.group(1));
            }
        }
        return sections;
    }
}
