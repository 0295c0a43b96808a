package dev.fraiseql.observers.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every schema version the product has shipped is kept under {@code
 * src/test/resources/avro-history/<Record>/v<n>.avsc}. The current generated schema must read data
 * written with each of them (backward) and each of them must read data written with the current one
 * (forward), so that old and new instances can share a topic during a rolling upgrade and the
 * events topic can be replayed from its start.
 *
 * <p>When a release changes a schema: add fields with defaults only, then copy the new schema
 * ({@code <Record>.getClassSchema().toString(true)}) to the next {@code v<n>.avsc}.
 */
class SchemaHistoryCompatibilityTest {

    @TestFactory
    Stream<DynamicTest> currentSchemaIsBackwardAndForwardCompatibleWithEveryShippedVersion()
            throws IOException {
        return historyFiles().stream()
                .map(
                        file ->
                                DynamicTest.dynamicTest(
                                        file.getParent().getFileName() + "/" + file.getFileName(),
                                        () -> assertCompatible(file)));
    }

    @Test
    void historyHoldsTheChangeEventAndValueSchemas() throws IOException {
        assertThat(historyFiles())
                .extracting(file -> file.getParent().getFileName().toString())
                .contains("ChangeEvent", "Value");
    }

    @Test
    void addingAFieldWithoutDefaultIsReportedAsIncompatible() throws IOException {
        Schema current = ChangeEvent.getClassSchema();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = (ObjectNode) mapper.readTree(current.toString());
        ((ArrayNode) json.get("fields")).addObject().put("name", "tenant").put("type", "string");
        Schema newer = new Schema.Parser().parse(json.toString());

        SchemaPairCompatibility backward =
                SchemaCompatibility.checkReaderWriterCompatibility(newer, current);

        assertThat(backward.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(backward.getResult().getIncompatibilities().get(0).getMessage())
                .contains("tenant");
    }

    private static void assertCompatible(Path file) throws IOException {
        Schema shipped = new Schema.Parser().parse(file.toFile());
        Schema current = currentSchema(file.getParent().getFileName().toString());

        SchemaPairCompatibility backward =
                SchemaCompatibility.checkReaderWriterCompatibility(current, shipped);
        SchemaPairCompatibility forward =
                SchemaCompatibility.checkReaderWriterCompatibility(shipped, current);

        assertThat(backward.getType())
                .as("current schema reads data written with %s: %s", file, backward.getResult())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(forward.getType())
                .as("%s reads data written with the current schema: %s", file, forward.getResult())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static Schema currentSchema(String record) {
        try {
            Class<?> type = Class.forName("dev.fraiseql.observers.schemas." + record);
            return SpecificData.get().getSchema(type);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    "avro-history/" + record + " names no generated record class", e);
        }
    }

    private static List<Path> historyFiles() throws IOException {
        Path root;
        try {
            root =
                    Path.of(
                            SchemaHistoryCompatibilityTest.class
                                    .getResource("/avro-history")
                                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(path -> path.toString().endsWith(".avsc")).sorted().toList();
        }
    }
}
