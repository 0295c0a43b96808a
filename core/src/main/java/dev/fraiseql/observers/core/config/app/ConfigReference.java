package dev.fraiseql.observers.core.config.app;

import java.util.List;

/**
 * Renders the configuration reference ({@code docs/configuration.md}) from the declarations in
 * {@link ApplicationKeys} and {@link ObserverTopic}, so the documented keys, defaults and rules are
 * the ones the code applies. A test fails when the checked-in file differs from this output.
 */
public final class ConfigReference {
    private ConfigReference() {}

    /** The whole reference as Markdown. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n")
                .append("<!-- Generated from ApplicationKeys and ObserverTopic by")
                .append(" ConfigReferenceTest; do not edit by hand. -->\n\n")
                .append("A config folder holds `application.yaml`, `connectors/*.yaml` and")
                .append(" `observers/*.yaml`. This page lists the keys of `application.yaml`.")
                .append(" Nested maps and dotted keys are the same: `http: {port: 8080}` is")
                .append(" `http.port: 8080`. Any value may use `${env:NAME}` or")
                .append(" `${env:NAME:-default}`; a look-alike such as `${NAME}` or `${ENV:NAME}`")
                .append(" is reported rather than used as it is, while references of Kafka config")
                .append(" providers (`${file:/path:key}`) are left to the Kafka client.")
                .append(" Durations are written `500ms`, `30s`, `5m`,")
                .append(" `24h`, `7d` or in ISO-8601 (`PT30S`). Every problem in the file is")
                .append(" reported at once, with its line.\n\n")
                .append("## Keys\n\n");
        table(out, ApplicationKeys.ALL, "");
        out.append("\n## Per-topic keys\n\n")
                .append("Under `topics.<topic>.`, where `<topic>` is one of the topics below")
                .append(" (`topics: {events: {partitions: 12, retention: forever}}`).\n\n");
        table(out, ApplicationKeys.PER_TOPIC, "topics.<topic>.");
        out.append("\n## Topics\n\n")
                .append("Created on start and by `observers topics apply` when missing; a")
                .append(" difference on an existing topic is reported, never changed.\n\n")
                .append("| topic | name | cleanup policy | default retention | holds |\n")
                .append("|---|---|---|---|---|\n");
        for (ObserverTopic topic : ObserverTopic.values()) {
            String name =
                    topic == ObserverTopic.JOBS_RETRY
                            ? "`<prefix>.jobs.retry.<delay>`"
                            : "`<prefix>." + topic.suffix() + "`";
            out.append("| `")
                    .append(topic.suffix())
                    .append("` | ")
                    .append(name)
                    .append(" | ")
                    .append(topic.cleanupPolicy())
                    .append(" | ")
                    .append(topic.defaultRetention().describe())
                    .append(" | ")
                    .append(topic.doc())
                    .append(" |\n");
        }
        return out.toString();
    }

    private static void table(StringBuilder out, List<ConfigKey<?>> keys, String namePrefix) {
        out.append("| key | type | default | rule | description |\n")
                .append("|---|---|---|---|---|\n");
        for (ConfigKey<?> key : keys) {
            out.append("| `")
                    .append(namePrefix)
                    .append(key.name())
                    .append("` | ")
                    .append(key.type().name())
                    .append(" | ")
                    .append(code(key.defaultText()))
                    .append(" | ")
                    .append(key.rule().description())
                    .append(" | ")
                    .append(key.doc())
                    .append(" |\n");
        }
    }

    private static String code(String text) {
        return text.startsWith("(") || text.startsWith("`") || text.contains(" ")
                ? text
                : "`" + text + "`";
    }
}
