package dev.fraiseql.observers.ops;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the modules layered: schemas, then core, then connectors, then streams-app, then ops. A
 * lower module never imports a higher one, and core stays free of Kafka Streams so that rules and
 * actions can be tested alone.
 */
class ModuleBoundariesTest {
    private static final String BASE = "dev.fraiseql.observers";
    private static JavaClasses classes;

    @BeforeAll
    static void importProductClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages(BASE);
    }

    @Test
    void coreDoesNotUseKafkaStreams() {
        ArchRule rule =
                noClasses()
                        .that()
                        .resideInAPackage(BASE + ".core..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage("org.apache.kafka.streams..");
        rule.check(classes);
    }

    @Test
    void schemasDependOnNoOtherModule() {
        noClasses()
                .that()
                .resideInAPackage(BASE + ".schemas..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        BASE + ".core..",
                        BASE + ".connectors..",
                        BASE + ".streams..",
                        BASE + ".ops..")
                .check(classes);
    }

    @Test
    void coreDoesNotDependOnHigherModules() {
        noClasses()
                .that()
                .resideInAPackage(BASE + ".core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(BASE + ".connectors..", BASE + ".streams..", BASE + ".ops..")
                .check(classes);
    }

    @Test
    void connectorsDoNotDependOnTheStreamsAppOrOps() {
        noClasses()
                .that()
                .resideInAPackage(BASE + ".connectors..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(BASE + ".streams..", BASE + ".ops..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void streamsAppDoesNotDependOnOps() {
        noClasses()
                .that()
                .resideInAPackage(BASE + ".streams..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(BASE + ".ops..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void productCodeDoesNotUseTheTestHarnesses() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        BASE + ".schemas..",
                        BASE + ".core..",
                        BASE + ".connectors..",
                        BASE + ".streams..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(BASE + ".testing..", BASE + ".embedded..")
                .check(classes);
    }
}
