package dev.fraiseql.observers.core.config.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.Problem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML map into dotted paths ({@code http: {port: 8080}} becomes {@code http.port}),
 * keeping each value's line so that problems can point at it, and expanding {@code ${env:...}} in
 * every text value. A path written twice, an unset variable or broken YAML is a problem.
 *
 * <p>Why a streaming reader: a tree model forgets line numbers, and a problem without a line is
 * much slower to fix in a long file.
 */
final class FlatYaml {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** One value and the 1-based line it starts on. Lists hold scalars; empty maps are kept. */
    record Entry(Object raw, int line) {}

    /** The flattened entries in file order, and what went wrong while reading. */
    record Result(Map<String, Entry> entries, List<Problem> problems) {}

    private final String file;
    private final EnvExpander env;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    private FlatYaml(String file, EnvExpander env) {
        this.file = file;
        this.env = env;
    }

    static Result read(String text, String file, EnvExpander env) {
        FlatYaml reader = new FlatYaml(file, env);
        reader.readDocument(text);
        return new Result(reader.entries, reader.problems);
    }

    private void readDocument(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return;
            }
            if (first != JsonToken.START_OBJECT) {
                problems.add(
                        new Problem(
                                file,
                                line(parser),
                                "",
                                null,
                                "the file must be a map of settings",
                                "start with a key such as 'prefix: observers'"));
                return;
            }
            readMap(parser, "");
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            problems.add(
                    new Problem(
                            file,
                            line,
                            "",
                            null,
                            "not valid YAML: " + e.getOriginalMessage(),
                            "fix the syntax at that line"));
        } catch (IOException e) {
            problems.add(new Problem(file, 0, "", null, "could not be read: " + e, ""));
        }
    }

    private void readMap(JsonParser parser, String prefix) throws IOException {
        boolean empty = true;
        int startLine = line(parser);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            empty = false;
            String path =
                    prefix.isEmpty() ? parser.currentName() : prefix + "." + parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT) {
                readMap(parser, path);
            } else if (value == JsonToken.START_ARRAY) {
                put(path, readList(parser), line(parser));
            } else {
                put(path, scalar(parser, path), line(parser));
            }
        }
        if (empty && !prefix.isEmpty()) {
            put(prefix, Map.of(), startLine);
        }
    }

    private List<Object> readList(JsonParser parser) throws IOException {
        List<Object> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                parser.skipChildren();
                items.add(Map.of());
            } else {
                items.add(scalar(parser, ""));
            }
        }
        return items;
    }

    private Object scalar(JsonParser parser, String path) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getText();
            default -> expand(parser.getText(), path, line(parser));
        };
    }

    private String expand(String text, String path, int line) {
        EnvExpander.Result result = env.expand(text);
        for (String name : result.unsetNames()) {
            problems.add(
                    new Problem(
                            file,
                            line,
                            path,
                            "${env:" + name + "}",
                            "environment variable " + name + " is not set",
                            "set " + name + " or give a default: ${env:" + name + ":-value}"));
        }
        for (EnvExpander.Malformed malformed : result.malformed()) {
            problems.add(
                    new Problem(
                            file,
                            line,
                            path,
                            null,
                            EnvExpander.malformedMessage(malformed),
                            malformed.fix()));
        }
        return result.text();
    }

    private void put(String path, Object raw, int line) {
        if (raw == null) {
            return;
        }
        Entry previous = entries.putIfAbsent(path, new Entry(raw, line));
        if (previous != null) {
            problems.add(
                    new Problem(
                            file,
                            line,
                            path,
                            null,
                            "set twice (first on line " + previous.line() + ")",
                            "keep one of the two"));
        }
    }

    private static int line(JsonParser parser) {
        return Math.max(0, parser.currentTokenLocation().getLineNr());
    }
}
