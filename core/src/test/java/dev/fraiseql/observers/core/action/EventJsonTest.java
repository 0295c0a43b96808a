package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.testing.SampleJobs;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void the_job_document_carries_ids_typed_rows_and_the_source_position() {
        String json = EventJson.text(EventJson.jobDocument(SampleJobs.rentalReturned("job-7", 42)));

        assertThat(json)
                .isEqualTo(
                        "{\"job_id\":\"job-7\",\"observer\":\"rental-returned\",\"action_index\":0,"
                            + "\"event\":{\"id\":\"pagila:public.rental:42:0/16B3748:0/16B37A0\","
                            + "\"connector\":\"pagila\",\"entity\":\"public.rental\",\"op\":\"update\","
                            + "\"key\":{\"rental_id\":42},"
                            + "\"before\":{\"rental_id\":42,\"return_date\":null,\"amount\":4.99,\"note\":\"said"
                            + " \\\"thanks\\\"\\n"
                            + "and left\"},\"after\":{\"rental_id\":42,"
                            + "\"return_date\":\"2026-12-04T10:15:30.123456Z\",\"amount\":4.99,\"note\":\"said"
                            + " \\\"thanks\\\"\\n"
                            + "and left\"},\"changed\":[\"return_date\"],"
                            + "\"commit_time\":\"2026-12-04T10:15:30.123456Z\","
                            + "\"source\":{\"connector_type\":\"postgresql\",\"database\":\"pagila\","
                            + "\"tx_id\":\"771\",\"commit_lsn\":23803720,\"change_lsn\":23803808,"
                            + "\"snapshot\":false}}}");
    }
}
