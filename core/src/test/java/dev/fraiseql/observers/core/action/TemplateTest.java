package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fraiseql.observers.testing.SampleJobs;
import org.junit.jupiter.api.Test;

class TemplateTest {

    @Test
    void fills_job_and_event_fields_with_exact_values() {
        Template template =
                Template.parse(
                        "{{observer}}: rental {{key.rental_id}} returned {{after.return_date}},"
                                + " paid {{event.after.amount}} ({{op}} on {{entity}})",
                        Template.Escape.NONE);

        String text = template.render(SampleJobs.rentalReturned("job-1", 42));

        assertThat(text)
                .isEqualTo(
                        "rental-returned: rental 42 returned 2026-12-04T10:15:30.123456Z, paid 4.99"
                                + " (update on public.rental)");
    }

    @Test
    void json_escaping_keeps_quotes_and_newlines_inside_the_string() {
        Template template =
                Template.parse("{\"note\": \"{{after.note}}\"}", Template.Escape.JSON_STRING);

        String text = template.render(SampleJobs.rentalReturned("job-1", 42));

        assertThat(text).isEqualTo("{\"note\": \"said \\\"thanks\\\"\\nand left\"}");
    }

    @Test
    void a_missing_field_renders_empty_and_a_structure_renders_as_json() {
        Template template = Template.parse("[{{after.nope}}] {{key}}", Template.Escape.NONE);

        assertThat(template.render(SampleJobs.rentalReturned("job-1", 42)))
                .isEqualTo("[] {\"rental_id\":42}");
    }

    @Test
    void unknown_roots_and_unclosed_placeholders_are_rejected_with_their_position() {
        assertThatThrownBy(() -> Template.parse("hi {{System.exit}}", Template.Escape.NONE))
                .hasMessageContaining("{{System.exit}} at character 4 names no field");
        assertThatThrownBy(() -> Template.parse("hi {{after.x", Template.Escape.NONE))
                .hasMessage("placeholder opened at character 4 is not closed with }}");
    }
}
