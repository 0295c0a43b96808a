package dev.fraiseql.observers.schemas.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EntityKeysTest {

    @Test
    void singleColumnKeyIsEntitySlashValue() {
        assertThat(EntityKeys.of("public.rental", Map.of("rental_id", 42L)))
                .isEqualTo("public.rental/42");
    }

    @Test
    void compositeKeyListsValuesInColumnOrderAndEscapesCommas() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("actor_id", 1L);
        key.put("label", "a,b\\c");
        key.put("price", new BigDecimal("10.50"));

        assertThat(EntityKeys.of("public.film_actor", key))
                .isEqualTo("public.film_actor/1,a\\,b\\\\c,10.50");
    }

    @Test
    void uuidKeyIsLowerCase() {
        UUID id = UUID.fromString("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11");

        assertThat(EntityKeys.of("public.t", Map.of("id", id)))
                .isEqualTo("public.t/a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    }

    @Test
    void entityWithSlashIsRejected() {
        assertThatThrownBy(() -> EntityKeys.prefix("a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a/b'");
    }
}
