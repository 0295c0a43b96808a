package dev.fraiseql.observers.schemas.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fraiseql.observers.schemas.Value;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowCodecTest {

    @Test
    void everySupportedTypeSurvivesTheRoundTripExactly() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 7L);
        row.put("flag", true);
        row.put("ratio", 0.25d);
        row.put("amount", new BigDecimal("1234.50"));
        row.put("title", "ACADEMY DINOSAUR");
        row.put("paid_at", Instant.parse("2022-02-14T21:08:31.123456Z"));
        row.put("last_update", LocalDateTime.parse("2022-02-15T09:34:33"));
        row.put("release_date", LocalDate.parse("2006-02-15"));
        row.put("opens", LocalTime.parse("09:30:00.000001"));
        row.put("opens_tz", OffsetTime.of(9, 30, 0, 0, ZoneOffset.ofHours(2)));
        row.put("uid", UUID.fromString("3f1c2a9e-0b7d-4f1e-9c9e-1a2b3c4d5e6f"));
        row.put("attrs", Json.parse("{\"b\": 1, \"a\": [true, null]}"));
        row.put("rental_duration", new Interval("P3DT4H"));
        row.put("valid_until", Infinity.POSITIVE);
        row.put("special_features", List.of("Trailers", "Deleted Scenes"));
        row.put("missing", null);

        Map<String, Value> wire = RowCodec.toAvro(row);
        Map<String, Object> back = RowCodec.toJava(wire);

        assertThat(back).containsExactlyEntriesOf(row);
        assertThat(((BigDecimal) back.get("amount")).scale()).isEqualTo(2);
    }

    @Test
    void bytesAreCopiedAndCompareByContent() {
        byte[] original = {1, 2, 3};

        Object back = RowCodec.toJava(RowCodec.toAvro("blob", original));

        assertThat(back).isInstanceOf(byte[].class);
        assertThat(Arrays.equals((byte[]) back, original)).isTrue();
    }

    @Test
    void narrowIntegersWidenToLongAndFloatsKeepTheirDecimalText() {
        assertThat(RowCodec.toJava(RowCodec.toAvro("a", 5))).isEqualTo(5L);
        assertThat(RowCodec.toJava(RowCodec.toAvro("b", (short) 3))).isEqualTo(3L);
        assertThat(RowCodec.toJava(RowCodec.toAvro("c", 0.1f))).isEqualTo(0.1d);
    }

    @Test
    void jsonKeyOrderDoesNotMatter() {
        assertThat(Json.parse("{\"b\":2,\"a\":1}")).isEqualTo(Json.parse("{ \"a\": 1, \"b\": 2 }"));
        assertThat(Json.parse("{\"b\":2,\"a\":1}").text()).isEqualTo("{\"a\":1,\"b\":2}");
    }

    @Test
    void unsupportedTypeIsRejectedWithTheFieldName() {
        assertThatThrownBy(() -> RowCodec.toAvro(Map.of("created", new java.util.Date())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'created'")
                .hasMessageContaining("java.util.Date");
    }
}
