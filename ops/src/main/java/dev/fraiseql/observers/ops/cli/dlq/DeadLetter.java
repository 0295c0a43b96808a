package dev.fraiseql.observers.ops.cli.dlq;

import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.streams.topology.DeadLetterHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record of {@code <prefix>.jobs.dlq} as an operator sees it.
 *
 * @param partition the DLQ partition
 * @param offset its offset there
 * @param deadLetteredAt the record's timestamp: when the job was dead-lettered
 * @param key the record key (the entity key of the job's event), or null
 * @param job the dead-lettered job
 * @param headers every header, in record order, as UTF-8 text
 */
public record DeadLetter(
        int partition,
        long offset,
        Instant deadLetteredAt,
        String key,
        Job job,
        List<Map.Entry<String, String>> headers) {

    public DeadLetter {
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
        Objects.requireNonNull(job, "job");
        headers = List.copyOf(headers);
    }

    /** The last value of a header, or null. */
    public String header(String name) {
        String value = null;
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equals(name)) {
                value = header.getValue();
            }
        }
        return value;
    }

    /**
     * The class of the last failure, bounded so it can group statistics: the {@code
     * observers.error.class} header when the worker wrote one, else {@code http_<status>} from the
     * job's last HTTP status, else {@code unknown}.
     */
    public String errorClass() {
        String header = header(DeadLetterHeaders.ERROR_CLASS);
        if (header != null && !header.isBlank()) {
            return header;
        }
        Integer status = job.getLastStatus();
        return status == null ? "unknown" : "http_" + status;
    }
}
