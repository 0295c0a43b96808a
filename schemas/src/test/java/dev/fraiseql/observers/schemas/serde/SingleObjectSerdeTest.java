package dev.fraiseql.observers.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fraiseql.observers.schemas.JobOutcome;
import dev.fraiseql.observers.schemas.JobStatus;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class SingleObjectSerdeTest {
    private final Serde<JobOutcome> serde = ObserverSerdes.jobOutcome();

    private static JobOutcome delivered() {
        return JobOutcome.newBuilder()
                .setJobId("job_1")
                .setObserver("rental-returned")
                .setActionType("webhook")
                .setStatus(JobStatus.DELIVERED)
                .setAttempts(4)
                .setCompletedAtMs(1_700_000_000_000L)
                .setDurationMs(12)
                .setLastStatus(200)
                .build();
    }

    @Test
    void recordIsWrittenWithTheSingleObjectMarkerAndReadBack() {
        byte[] bytes = serde.serializer().serialize("t", delivered());

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(delivered());
    }

    @Test
    void bytesThatAreNotASingleObjectRecordAreASerializationException() {
        byte[] garbage = "{\"not\":\"avro\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", garbage))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("JobOutcome")
                .hasMessageContaining(garbage.length + " bytes");
    }

    @Test
    void nullStaysNullForTombstones() {
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }
}
