package dev.fraiseql.observers.core.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.config.ConfigException;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.Problem;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.schemas.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObserverLoaderTest {
    private static final ConditionCompiler COMPILER = new ConditionCompiler();
    private static final String FILE = "observers/rentals.yaml";

    private final ObserverLoader loader =
            new ObserverLoader(
                    COMPILER,
                    ActionOptionsValidators.standard(),
                    EnvExpander.of(Map.of("HOOK_SECRET", "whsec_abc")));

    private List<Problem> problems(String yaml) {
        return loader.parse(Map.of(FILE, yaml)).problems();
    }

    private Problem onlyProblem(String yaml) {
        List<Problem> problems = problems(yaml);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    private static String observer(String body) {
        return "observers:\n  - name: rental-returned\n" + body;
    }

    private static final String ENTITY_ON = "    entity: public.rental\n    on: [update]\n";
    private static final String LOG_ACTION = "    actions:\n      - log: {}\n";

    @Test
    void validFileGivesTheObserverWithItsActionsAndRetryPolicy() {
        String yaml =
                observer(
                        ENTITY_ON
                                + "    when: changed_from('return_date', null) && after.return_date"
                                + " != null\n"
                                + "    actions:\n"
                                + "      - webhook:\n"
                                + "          url: https://hooks.example.test/rentals\n"
                                + "          secret: ${env:HOOK_SECRET}\n"
                                + "        retry: { max_attempts: 5, initial_delay: 2s, multiplier:"
                                + " 3, max_delay: 1m, jitter: 0.1 }\n"
                                + "      - log:\n");

        ObserverLoader.Result result = loader.parse(Map.of(FILE, yaml));

        assertThat(result.problems()).isEmpty();
        Observer observer = result.observers().get(0);
        assertThat(observer.name()).isEqualTo("rental-returned");
        assertThat(observer.entity()).isEqualTo("public.rental");
        assertThat(observer.operations()).containsExactly(Operation.UPDATE);
        assertThat(observer.enabled()).isTrue();
        assertThat(observer.conditionText()).startsWith("changed_from('return_date', null)");
        assertThat(observer.file()).isEqualTo(FILE);
        assertThat(observer.line()).isEqualTo(2);
        assertThat(observer.actions())
                .containsExactly(
                        new ActionSpec(
                                "webhook",
                                Map.of(
                                        "url",
                                        "https://hooks.example.test/rentals",
                                        "secret",
                                        "whsec_abc"),
                                new RetryPolicy(
                                        5, Duration.ofSeconds(2), 3.0, Duration.ofMinutes(1), 0.1)),
                        new ActionSpec("log", Map.of(), RetryPolicy.DEFAULT));
    }

    @Test
    void disabledObserverIsLoadedButListensToNothing() {
        Observer observer =
                loader.parse(
                                Map.of(
                                        FILE,
                                        observer(ENTITY_ON + "    enabled: false\n" + LOG_ACTION)))
                        .observers()
                        .get(0);

        assertThat(observer.enabled()).isFalse();
        assertThat(observer.listensTo("public.rental", Operation.UPDATE)).isFalse();
    }

    @Test
    void singleOperationMayBeWrittenWithoutAList() {
        Observer observer =
                loader.parse(
                                Map.of(
                                        FILE,
                                        observer(
                                                "    entity: public.rental\n    on: delete\n"
                                                        + LOG_ACTION)))
                        .observers()
                        .get(0);

        assertThat(observer.operations()).containsExactly(Operation.DELETE);
    }

    @Test
    void invalidYamlIsReportedWithItsLine() {
        Problem problem = onlyProblem("observers:\n  - name: [unclosed\n");

        assertThat(problem.message()).startsWith("not valid YAML");
        assertThat(problem.line()).isGreaterThan(0);
        assertThat(problem.fix()).isEqualTo("fix the YAML syntax at this line");
    }

    @Test
    void emptyFileIsReported() {
        assertThat(onlyProblem("").message()).isEqualTo("the file is empty");
    }

    @Test
    void fileThatIsNotAMapIsReported() {
        assertThat(onlyProblem("- a\n- b\n").message())
                .isEqualTo("the file holds a list, not a map");
    }

    @Test
    void unknownRootKeySuggestsTheNearestOne() {
        List<Problem> problems = problems("observer:\n  - name: x\n");

        assertThat(problems.get(0).describe())
                .isEqualTo(
                        "observers/rentals.yaml:1: observer: unknown key; did you mean"
                                + " 'observers'?");
    }

    @Test
    void missingObserversListIsReported() {
        Problem problem = problems("observer: []\n").get(1);

        assertThat(problem.path()).isEqualTo("observers");
        assertThat(problem.message()).isEqualTo("missing");
    }

    @Test
    void observersThatIsNotAListIsReported() {
        assertThat(onlyProblem("observers: {name: x}\n").message())
                .isEqualTo("is a map, not a list");
    }

    @Test
    void observerThatIsNotAMapIsReported() {
        Problem problem = onlyProblem("observers:\n  - just-a-name\n");

        assertThat(problem.path()).isEqualTo("observers[0]");
        assertThat(problem.message()).isEqualTo("is a single value, not an observer");
    }

    @Test
    void unknownObserverKeySuggestsTheNearestOne() {
        Problem problem =
                onlyProblem(observer(ENTITY_ON + "    wehn: op == 'update'\n" + LOG_ACTION));

        assertThat(problem.describe())
                .isEqualTo(
                        "observers/rentals.yaml:5: observers[0].wehn: unknown key; did you mean"
                                + " 'when'?");
    }

    @Test
    void duplicateKeyIsReported() {
        Problem problem =
                onlyProblem(observer(ENTITY_ON + "    entity: public.film\n" + LOG_ACTION));

        assertThat(problem.path()).isEqualTo("observers[0].entity");
        assertThat(problem.message()).isEqualTo("is given twice");
        assertThat(problem.line()).isEqualTo(5);
    }

    @Test
    void missingNameIsReported() {
        Problem problem =
                onlyProblem(
                        "observers:\n  - entity: public.rental\n    on: [update]\n" + LOG_ACTION);

        assertThat(problem.path()).isEqualTo("observers[0].name");
        assertThat(problem.message()).isEqualTo("missing");
        assertThat(problem.fix()).isEqualTo("add name: rental-returned");
    }

    @Test
    void invalidNameIsReported() {
        Problem problem =
                onlyProblem("observers:\n  - name: Rental Returned\n" + ENTITY_ON + LOG_ACTION);

        assertThat(problem.message()).isEqualTo("is not a valid observer name");
        assertThat(problem.value()).isEqualTo("Rental Returned");
    }

    @Test
    void missingEntityIsReported() {
        Problem problem = onlyProblem(observer("    on: [update]\n" + LOG_ACTION));

        assertThat(problem.path()).isEqualTo("observers[0].entity");
        assertThat(problem.message()).isEqualTo("missing");
    }

    @Test
    void entityWithoutSchemaIsReported() {
        Problem problem =
                onlyProblem(observer("    entity: rental\n    on: [update]\n" + LOG_ACTION));

        assertThat(problem.message()).isEqualTo("is not schema.table");
        assertThat(problem.fix()).contains("'public.rental'");
    }

    @Test
    void missingOperationsAreReported() {
        Problem problem = onlyProblem(observer("    entity: public.rental\n" + LOG_ACTION));

        assertThat(problem.path()).isEqualTo("observers[0].on");
        assertThat(problem.message()).isEqualTo("missing");
    }

    @Test
    void emptyOperationsAreReported() {
        Problem problem =
                onlyProblem(observer("    entity: public.rental\n    on: []\n" + LOG_ACTION));

        assertThat(problem.message()).isEqualTo("is empty");
    }

    @Test
    void sqlOperationNameSuggestsOurs() {
        Problem problem =
                onlyProblem(observer("    entity: public.rental\n    on: [insert]\n" + LOG_ACTION));

        assertThat(problem.message()).isEqualTo("is not an operation");
        assertThat(problem.value()).isEqualTo("insert");
        assertThat(problem.fix()).isEqualTo("did you mean 'create'?");
    }

    @Test
    void conditionSyntaxErrorNamesFileLineAndColumn() {
        Problem problem =
                onlyProblem(observer(ENTITY_ON + "    when: after.status == \n" + LOG_ACTION));

        assertThat(problem.file()).isEqualTo(FILE);
        assertThat(problem.line()).isEqualTo(5);
        assertThat(problem.path()).isEqualTo("observers[0].when");
        assertThat(problem.message())
                .startsWith("invalid condition: mismatched input '<EOF>'")
                .endsWith("(line 1, column 16 of the condition)");
    }

    @Test
    void conditionTypeErrorInABlockScalarPointsAtItsLine() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    when: |\n"
                                        + "      op == 'update' &&\n"
                                        + "      op == 1\n"
                                        + LOG_ACTION));

        assertThat(problem.line()).isEqualTo(7);
        assertThat(problem.message()).contains("found no matching overload for '_==_'");
    }

    @Test
    void conditionThatIsNotTextIsReported() {
        Problem problem = onlyProblem(observer(ENTITY_ON + "    when: [a]\n" + LOG_ACTION));

        assertThat(problem.message()).isEqualTo("is a list, not a condition");
    }

    @Test
    void enabledThatIsNotABooleanIsReported() {
        Problem problem = onlyProblem(observer(ENTITY_ON + "    enabled: nope\n" + LOG_ACTION));

        assertThat(problem.message()).isEqualTo("is not true or false");
        assertThat(problem.value()).isEqualTo("nope");
    }

    @Test
    void missingActionsAreReported() {
        Problem problem = onlyProblem(observer(ENTITY_ON));

        assertThat(problem.path()).isEqualTo("observers[0].actions");
        assertThat(problem.message()).isEqualTo("missing");
    }

    @Test
    void emptyActionsAreReported() {
        assertThat(onlyProblem(observer(ENTITY_ON + "    actions: []\n")).message())
                .isEqualTo("is empty");
    }

    @Test
    void actionThatIsNotAMapIsReported() {
        Problem problem = onlyProblem(observer(ENTITY_ON + "    actions:\n      - webhook\n"));

        assertThat(problem.path()).isEqualTo("observers[0].actions[0]");
        assertThat(problem.message()).isEqualTo("is not an action");
    }

    @Test
    void unknownActionTypeSuggestsTheNearestOne() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n"
                                        + "      - webhok: { url: https://a.example.test }\n"));

        assertThat(problem.describe())
                .isEqualTo(
                        "observers/rentals.yaml:6: observers[0].actions[0].webhok: unknown action"
                                + " type; did you mean 'webhook'?");
    }

    @Test
    void misspeltKafkaActionSuggestsKafka() {
        // 'kafak' swaps two letters: two edits, still near enough for a hint.
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n"
                                        + "      - kafak: { topic: rentals.returned }\n"));

        assertThat(problem.describe())
                .isEqualTo(
                        "observers/rentals.yaml:6: observers[0].actions[0].kafak: unknown action"
                                + " type; did you mean 'kafka'?");
    }

    @Test
    void misspeltRetryNextToAnActionSuggestsRetry() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n"
                                        + "      - log: {}\n"
                                        + "        retyr: { max_attempts: 3 }\n"));

        assertThat(problem.describe())
                .isEqualTo(
                        "observers/rentals.yaml:7: observers[0].actions[0].retyr: unknown action"
                                + " type; did you mean 'retry'?");
    }

    @Test
    void actionWithTwoTypesIsReported() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n"
                                        + "      - log: {}\n"
                                        + "        kafka: {topic: t}\n"));

        assertThat(problem.message()).isEqualTo("names 2 action types");
    }

    @Test
    void actionOptionsThatAreNotAMapAreReported() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n"
                                        + "      - webhook: https://a.example.test\n"));

        assertThat(problem.message()).isEqualTo("is a single value, not the action's options");
    }

    @Test
    void missingRequiredOptionIsReportedByTheActionType() {
        Problem problem =
                onlyProblem(observer(ENTITY_ON + "    actions:\n      - kafka: { key: x }\n"));

        assertThat(problem.path()).isEqualTo("observers[0].actions[0].kafka");
        assertThat(problem.line()).isEqualTo(6);
        assertThat(problem.message())
                .isEqualTo("kafka.topic: missing; set it, for example topic: rentals.returned");
    }

    @Test
    void urlOptionThatIsNotHttpIsReported() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n"
                                        + "      - webhook: { url: 'ftp://a.example.test' }\n"));

        assertThat(problem.message()).startsWith("webhook.url: not an absolute http or https URL");
    }

    @Test
    void validatorOfAnotherPartReplacesTheStandardOne() {
        ObserverLoader custom =
                new ObserverLoader(
                        COMPILER,
                        ActionOptionsValidators.standard()
                                .with(
                                        "log",
                                        options -> List.of("log.level: must be info or debug")),
                        EnvExpander.of(Map.of()));

        List<Problem> problems =
                custom.parse(Map.of(FILE, observer(ENTITY_ON + LOG_ACTION))).problems();

        assertThat(problems)
                .extracting(Problem::message)
                .containsExactly("log.level: must be info or debug");
    }

    @Test
    void unsetEnvironmentVariableIsReported() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n      - webhook:\n"
                                        + "          url: ${env:RENTAL_HOOK_URL}\n"));

        assertThat(problem.line()).isEqualTo(7);
        assertThat(problem.path()).isEqualTo("observers[0].actions[0].webhook.url");
        assertThat(problem.message()).isEqualTo("environment variable RENTAL_HOOK_URL is not set");
        assertThat(problem.fix()).contains("${env:RENTAL_HOOK_URL:-value}");
    }

    @Test
    void unknownRetryKeySuggestsTheNearestOne() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n"
                                        + "      - log: {}\n"
                                        + "        retry: { max_attempt: 3 }\n"));

        assertThat(problem.path()).isEqualTo("observers[0].actions[0].retry.max_attempt");
        assertThat(problem.fix()).isEqualTo("did you mean 'max_attempts'?");
    }

    @Test
    void retryDelayThatIsNotADurationIsReported() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n"
                                        + "      - log: {}\n"
                                        + "        retry: { initial_delay: soon }\n"));

        assertThat(problem.message()).isEqualTo("is not a duration");
        assertThat(problem.value()).isEqualTo("soon");
    }

    @Test
    void retryAttemptsThatAreNotAWholeNumberAreReported() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n"
                                        + "      - log: {}\n"
                                        + "        retry: { max_attempts: 2.5 }\n"));

        assertThat(problem.message()).isEqualTo("is not a whole number");
    }

    @Test
    void retryJitterThatIsNotANumberIsReported() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n"
                                        + "      - log: {}\n"
                                        + "        retry: { jitter: lots }\n"));

        assertThat(problem.message()).isEqualTo("is not a number");
    }

    @Test
    void inconsistentRetryPolicyIsReported() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n      - log: {}\n"
                                        + "        retry: { initial_delay: 5m, max_delay: 1m }\n"));

        assertThat(problem.message())
                .isEqualTo(
                        "invalid retry policy: max_delay (PT1M) must not be shorter than"
                                + " initial_delay (PT5M)");
    }

    @Test
    void retryThatIsNotAMapIsReported() {
        Problem problem =
                onlyProblem(
                        observer(ENTITY_ON + "    actions:\n      - log: {}\n        retry: 3\n"));

        assertThat(problem.message()).isEqualTo("is a single value, not a retry policy");
    }

    @Test
    void secretValuesAreMaskedInProblems() {
        Problem problem =
                onlyProblem(
                        observer(
                                ENTITY_ON
                                        + "    actions:\n      - webhook:\n"
                                        + "          url: https://a.example.test\n"
                                        + "          secret: ${env:UNSET_SECRET}\n"));

        assertThat(problem.value()).isEqualTo("[hidden]");
    }

    @Test
    void everyProblemOfEveryFileIsReportedAtOnce() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(
                "observers/a.yaml",
                observer("    entity: rental\n    on: [insert]\n" + LOG_ACTION));
        files.put("observers/b.yaml", observer(ENTITY_ON + "    when: op ==\n"));

        List<Problem> problems = loader.parse(files).problems();

        assertThat(problems)
                .extracting(Problem::file, Problem::path)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "observers/a.yaml", "observers[0].entity"),
                        org.assertj.core.groups.Tuple.tuple("observers/a.yaml", "observers[0].on"),
                        org.assertj.core.groups.Tuple.tuple(
                                "observers/b.yaml", "observers[0].when"),
                        org.assertj.core.groups.Tuple.tuple(
                                "observers/b.yaml", "observers[0].actions"));
    }

    @Test
    void nameUsedInTwoFilesIsReported() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("observers/a.yaml", observer(ENTITY_ON + LOG_ACTION));
        files.put("observers/b.yaml", observer(ENTITY_ON + LOG_ACTION));

        List<Problem> problems = loader.parse(files).problems();

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).describe())
                .isEqualTo(
                        "observers/b.yaml:2: name: observer name already used in observers/a.yaml:2"
                            + " (value: 'rental-returned'); give each observer its own name: it is"
                            + " part of every job id");
    }

    @Test
    void loadReadsEveryYamlFileOfTheFolder(@TempDir Path config) throws Exception {
        Path dir = Files.createDirectory(config.resolve("observers"));
        Files.writeString(dir.resolve("a.yaml"), observer(ENTITY_ON + LOG_ACTION));
        Files.writeString(
                dir.resolve("b.yml"),
                "observers:\n  - name: film-added\n    entity: public.film\n    on: [create]\n"
                        + LOG_ACTION);
        Files.writeString(dir.resolve("notes.txt"), "not an observer file");

        List<Observer> observers = loader.load(dir);

        assertThat(observers)
                .extracting(Observer::name)
                .containsExactly("rental-returned", "film-added");
        assertThat(observers)
                .extracting(Observer::file)
                .containsExactly("observers/a.yaml", "observers/b.yml");
    }

    @Test
    void loadThrowsWithEveryProblem(@TempDir Path config) throws Exception {
        Path dir = Files.createDirectory(config.resolve("observers"));
        Files.writeString(
                dir.resolve("a.yaml"),
                observer("    entity: rental\n    on: [insert]\n" + LOG_ACTION));

        assertThatThrownBy(() -> loader.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("2 configuration problems")
                .hasMessageContaining(
                        "observers/a.yaml:3: observers[0].entity: is not schema.table");
    }

    @Test
    void missingFolderIsReported(@TempDir Path config) {
        Problem problem = loader.read(config.resolve("observers")).problems().get(0);

        assertThat(problem.message()).isEqualTo("the observers folder does not exist");
    }

    @Test
    void listensOnlyToItsEntityAndOperations() {
        Observer observer =
                loader.parse(Map.of(FILE, observer(ENTITY_ON + LOG_ACTION))).observers().get(0);

        assertThat(observer.listensTo("public.rental", Operation.UPDATE)).isTrue();
        assertThat(observer.listensTo("public.rental", Operation.DELETE)).isFalse();
        assertThat(observer.listensTo("public.film", Operation.UPDATE)).isFalse();
        assertThat(Set.copyOf(observer.operations())).containsExactly(Operation.UPDATE);
    }
}
