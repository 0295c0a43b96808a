package dev.fraiseql.observers.streams.topology.entities;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntityLookupHandlerTest {

    @Test
    void pathGivesTheEntityKey() {
        assertThat(EntityLookupHandler.entityKey("/entities/public.rental/42"))
                .contains("public.rental/42");
    }

    @Test
    void encodedCompositeKeyIsDecoded() {
        assertThat(EntityLookupHandler.entityKey("/entities/public.film_actor/1%2C23"))
                .contains("public.film_actor/1,23");
        assertThat(EntityLookupHandler.entityKey("/entities/public.t/a+b"))
                .contains("public.t/a+b");
    }

    @Test
    void pathWithoutKeyIsRejected() {
        assertThat(EntityLookupHandler.entityKey("/entities/public.rental")).isEmpty();
        assertThat(EntityLookupHandler.entityKey("/entities/public.rental/")).isEmpty();
        assertThat(EntityLookupHandler.entityKey("/other/public.rental/1")).isEmpty();
    }
}
