package dev.fraiseql.observers.core.observer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a small tree that keeps the line of every key and value, so each problem can
 * point at its line. Jackson's own trees drop locations; this reads the token stream instead.
 */
final class YamlTree {
    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlTree() {}

    /** A node of the tree; {@code line} is 1-based. */
    sealed interface Node permits Scalar, Mapping, Sequence {
        int line();

        /** What kind of node this is, for messages: "a list", "a map", "a value". */
        String kind();
    }

    /**
     * A scalar; {@code text} is null for a YAML null, {@code string} when it was text rather than a
     * number, boolean or null.
     */
    record Scalar(String text, boolean string, int line, int column) implements Node {
        @Override
        public String kind() {
            return text == null ? "nothing" : "a single value";
        }
    }

    /** One key of a mapping: its line and its value. */
    record Entry(String key, int line, Node value) {}

    /** A mapping, keys in file order. */
    record Mapping(Map<String, Entry> entries, List<Entry> duplicates, int line) implements Node {
        @Override
        public String kind() {
            return "a map";
        }
    }

    /** A sequence. */
    record Sequence(List<Node> items, int line) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** Thrown for YAML that does not parse, with the line Jackson reports. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        SyntaxException(String message, int line) {
            super(message);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    /** The first document of the text, or null when the text holds none. */
    static Node parse(String text) throws SyntaxException {
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken first = parser.nextToken();
            return first == null ? null : read(parser);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            throw new SyntaxException(e.getOriginalMessage(), line);
        } catch (IOException e) {
            throw new SyntaxException(String.valueOf(e.getMessage()), 0);
        }
    }

    private static Node read(JsonParser parser) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        int column = parser.currentTokenLocation().getColumnNr();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            List<Entry> duplicates = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int keyLine = parser.currentTokenLocation().getLineNr();
                parser.nextToken();
                Entry entry = new Entry(key, keyLine, read(parser));
                if (entries.putIfAbsent(key, entry) != null) {
                    duplicates.add(entry);
                }
            }
            return new Mapping(Collections.unmodifiableMap(entries), List.copyOf(duplicates), line);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(parser));
            }
            return new Sequence(Collections.unmodifiableList(items), line);
        }
        if (token == JsonToken.VALUE_NULL) {
            return new Scalar(null, false, line, column);
        }
        return new Scalar(parser.getText(), token == JsonToken.VALUE_STRING, line, column);
    }

    /** The plain Java form of a node: maps, lists, strings, longs, doubles, booleans, nulls. */
    static Object toJava(Node node) {
        if (node instanceof Mapping mapping) {
            Map<String, Object> out = new LinkedHashMap<>();
            mapping.entries().forEach((key, entry) -> out.put(key, toJava(entry.value())));
            return out;
        }
        if (node instanceof Sequence sequence) {
            List<Object> out = new ArrayList<>();
            sequence.items().forEach(item -> out.add(toJava(item)));
            return out;
        }
        Scalar scalar = (Scalar) node;
        if (scalar.text() == null || scalar.string()) {
            return scalar.text();
        }
        return typed(scalar.text());
    }

    private static Object typed(String text) {
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notLong) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException notDouble) {
                return text;
            }
        }
    }
}
