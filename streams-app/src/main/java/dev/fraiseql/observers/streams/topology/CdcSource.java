package dev.fraiseql.observers.streams.topology;

import dev.fraiseql.observers.core.config.connector.ConnectorConfig;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One connector whose change topics the topology reads.
 *
 * @param connector the connector's name, written into every {@code ChangeEvent}
 * @param topicPrefix the connector's {@code topic.prefix}: its tables' topics are {@code
 *     <topicPrefix>.<schema>.<table>} and their records carry it as {@code source.name}
 * @param unavailablePlaceholder the connector's {@code unavailable.value.placeholder}: the text
 *     Debezium sends in place of an unchanged TOAST column
 */
public record CdcSource(String connector, String topicPrefix, String unavailablePlaceholder) {

    /** Debezium's default {@code unavailable.value.placeholder}. */
    public static final String DEFAULT_PLACEHOLDER = "__debezium_unavailable_value";

    public CdcSource {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(unavailablePlaceholder, "unavailablePlaceholder");
        if (connector.isBlank() || topicPrefix.isBlank()) {
            throw new IllegalArgumentException(
                    "a change source needs a connector name and a topic prefix, got '"
                            + connector
                            + "' and '"
                            + topicPrefix
                            + "'");
        }
        if (unavailablePlaceholder.isEmpty()) {
            throw new IllegalArgumentException(
                    "connector '"
                            + connector
                            + "': unavailable.value.placeholder must not be empty");
        }
    }

    /**
     * The source of a connector file: its name, its topic prefix, and its {@code
     * unavailable.value.placeholder} when the file's {@code debezium:} map sets one.
     */
    public static CdcSource of(ConnectorConfig config) {
        String placeholder =
                config.engineProperties()
                        .getOrDefault("unavailable.value.placeholder", DEFAULT_PLACEHOLDER);
        return new CdcSource(config.name(), config.topicPrefix(), placeholder);
    }

    /** A source with Debezium's default placeholder. */
    public static CdcSource of(String connector, String topicPrefix) {
        return new CdcSource(connector, topicPrefix, DEFAULT_PLACEHOLDER);
    }

    /**
     * The topics of this connector's tables: {@code <prefix>.<anything>}. It also matches the
     * connector's {@code .transaction} and {@code .message} topics, whose records the normalizer
     * recognises and skips; heartbeats ({@code __debezium-heartbeat.<prefix>}) do not match.
     */
    public String topicRegex() {
        return Pattern.quote(topicPrefix) + "\\..+";
    }
}
