package dev.fraiseql.observers.core.observer.condition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.observer.condition.Evaluation.Verdict;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.values.Infinity;
import dev.fraiseql.observers.schemas.values.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionLanguageTest {
    private static final ConditionCompiler COMPILER = new ConditionCompiler();

    private static Map<String, Object> order() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 42L);
        row.put("amount", new BigDecimal("1234.50"));
        row.put("big", new BigDecimal("12345678901234567.89"));
        row.put("status", "shipped");
        row.put("note", null);
        row.put("paid_at", Instant.parse("2024-05-01T10:15:30.123456Z"));
        row.put("local_at", LocalDateTime.parse("2024-05-01T10:15:30"));
        row.put("due", LocalDate.parse("2024-06-01"));
        row.put("forever", Infinity.POSITIVE);
        row.put("ref", UUID.fromString("0b9d2c7e-55a4-4e51-9c2c-8a0f6e1e2f3a"));
        row.put(
                "attrs",
                Json.parse("{\"carrier\":\"ups\",\"weight\":2.50,\"count\":3,\"tags\":[\"a\"]}"));
        row.put("tags", List.of("fragile", "gift"));
        row.put("ratio", 0.25);
        return row;
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> row = new HashMap<>(order());
        row.put(field, value);
        return row;
    }

    private static EventContext update(
            Map<String, Object> before, Map<String, Object> after, List<String> changed) {
        return EventContext.of(
                Operation.UPDATE,
                "public.orders",
                Map.of("id", 42L),
                before,
                after,
                changed,
                Set.of());
    }

    private static EventContext updateOfOrder() {
        return update(with("status", "pending"), order(), List.of("status"));
    }

    private static Evaluation eval(String condition, EventContext event) {
        ConditionCompiler.Result result = COMPILER.compile(condition);
        assertThat(result.issues()).as("issues of %s", condition).isEmpty();
        return result.condition().evaluate(event);
    }

    private static Verdict verdict(String condition) {
        return eval(condition, updateOfOrder()).verdict();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "after.amount > 1000.00 | MATCH",
                "after.amount > 1000 | MATCH",
                "after.amount < 1234.5 | NO_MATCH",
                "after.amount <= 1234.5 | MATCH",
                "after.amount >= 1234.51 | NO_MATCH",
                "after.amount == 1234.5 | MATCH",
                "1234.5 == after.amount | MATCH",
                "after.amount == 1234.50 | MATCH",
                "after.amount != 1234.5 | NO_MATCH",
                "after.amount == decimal('1234.5000') | MATCH",
                "after.amount == 1234 | NO_MATCH",
                "after.amount + 0.1 == 1234.6 | MATCH",
                "after.amount * 2 == 2469 | MATCH",
                "after.amount - decimal('0.50') == 1234 | MATCH",
                "after.amount / 2 == 617.25 | MATCH",
                "after.big > decimal('12345678901234567.88') | MATCH",
                "after.big == decimal('12345678901234567.89') | MATCH",
                "after.big == decimal('12345678901234567.88') | NO_MATCH",
                "decimal('0.1') + decimal('0.2') == decimal('0.3') | MATCH",
                "after.attrs.weight == 2.5 | MATCH",
            })
    void decimalsCompareExactly(String condition, Verdict expected) {
        assertThat(verdict(condition)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "after.paid_at > timestamp('2024-05-01T10:15:30Z') | MATCH",
                "after.paid_at == timestamp('2024-05-01T10:15:30.123456Z') | MATCH",
                "after.paid_at < timestamp('2024-05-01T12:15:30+02:00') | NO_MATCH",
                "after.paid_at.getFullYear() == 2024 | MATCH",
                "after.local_at == timestamp('2024-05-01T10:15:30Z') | MATCH",
                "after.due == date('2024-06-01') | MATCH",
                "after.due > after.paid_at | MATCH",
                "after.forever > timestamp('9000-01-01T00:00:00Z') | MATCH",
                "after.paid_at - timestamp('2024-05-01T10:15:00Z') > duration('30s') | MATCH",
            })
    void timestampsCompareAsInstants(String condition, Verdict expected) {
        assertThat(verdict(condition)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "after.note == null | MATCH",
                "after.note != null | NO_MATCH",
                "after.status != null | MATCH",
                "before != null && before.status == 'pending' | MATCH",
                "has(after.note) | MATCH",
                "has(after.nope) | NO_MATCH",
                "after.ref == '0b9d2c7e-55a4-4e51-9c2c-8a0f6e1e2f3a' | MATCH",
                "after.attrs.carrier == 'ups' | MATCH",
                "after.attrs['carrier'] == 'ups' | MATCH",
                "after.attrs.count == 3 | MATCH",
                "'a' in after.attrs.tags | MATCH",
                "has(after.attrs.insurance) | NO_MATCH",
                "'gift' in after.tags | MATCH",
                "after.tags.size() == 2 | MATCH",
                "after.tags.exists(t, t.startsWith('frag')) | MATCH",
                "after.tags == ['fragile', 'gift'] | MATCH",
                "after['status'] == 'shipped' | MATCH",
                "'status' in after | MATCH",
                "'status' in changed | MATCH",
                "key.id == 42 | MATCH",
                "op == 'update' && entity == 'public.orders' | MATCH",
                "after.ratio == 0.25 | MATCH",
                "after.id == 42.0 | MATCH",
                "after.ratio > 0 | MATCH",
                "after.status.matches('^ship') | MATCH",
            })
    void valuesAreTyped(String condition, Verdict expected) {
        assertThat(verdict(condition)).isEqualTo(expected);
    }

    @Test
    void insertHasNullBeforeImage() {
        EventContext insert =
                EventContext.of(
                        Operation.CREATE,
                        "public.orders",
                        Map.of("id", 42L),
                        null,
                        order(),
                        List.of(),
                        Set.of());

        assertThat(eval("before == null && after.status == 'shipped'", insert).verdict())
                .isEqualTo(Verdict.MATCH);
        assertThat(eval("changed_to('status', 'shipped')", insert).verdict())
                .isEqualTo(Verdict.MATCH);
        assertThat(eval("changed_from('status', 'pending')", insert).verdict())
                .isEqualTo(Verdict.NO_MATCH);
    }

    @Test
    void changedHelpersFollowTheChangedFields() {
        EventContext shipped = updateOfOrder();
        EventContext untouched = update(order(), with("note", "rang twice"), List.of("note"));

        assertThat(eval("changed('status')", shipped).verdict()).isEqualTo(Verdict.MATCH);
        assertThat(eval("changed_to('status', 'shipped')", shipped).verdict())
                .isEqualTo(Verdict.MATCH);
        assertThat(eval("changed_from('status', 'pending')", shipped).verdict())
                .isEqualTo(Verdict.MATCH);
        assertThat(eval("changed_to('status', 'cancelled')", shipped).verdict())
                .isEqualTo(Verdict.NO_MATCH);
        assertThat(eval("changed('status')", untouched).verdict()).isEqualTo(Verdict.NO_MATCH);
        assertThat(eval("changed_to('status', 'shipped')", untouched).verdict())
                .isEqualTo(Verdict.NO_MATCH);
        assertThat(eval("changed_from('note', null)", untouched).verdict())
                .isEqualTo(Verdict.MATCH);
    }

    @Test
    void changedHelpersCompareDecimalsExactly() {
        EventContext repriced =
                update(with("amount", new BigDecimal("99.90")), order(), List.of("amount"));

        assertThat(
                        eval(
                                        "changed_from('amount', 99.9) && changed_to('amount',"
                                                + " 1234.5)",
                                        repriced)
                                .verdict())
                .isEqualTo(Verdict.MATCH);
    }

    @Test
    void returnedRentalMatchesTheDesignExample() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rental_id", 7L);
        out.put("return_date", null);
        Map<String, Object> back = new LinkedHashMap<>(out);
        back.put("return_date", Instant.parse("2024-05-02T09:00:00Z"));
        EventContext returned = update(out, back, List.of("return_date"));

        assertThat(
                        eval(
                                        "changed_from('return_date', null) && after.return_date !="
                                                + " null",
                                        returned)
                                .verdict())
                .isEqualTo(Verdict.MATCH);
    }

    @Test
    void unavailableFieldThatIsReadDoesNotFire() {
        EventContext toasted =
                EventContext.of(
                        Operation.UPDATE,
                        "public.orders",
                        Map.of("id", 42L),
                        null,
                        order(),
                        List.of("status"),
                        Set.of("note"));

        assertThat(eval("after.note == 'x'", toasted))
                .isEqualTo(new Evaluation(Verdict.UNAVAILABLE, "note"));
        assertThat(eval("changed_to('note', 'x')", toasted).verdict()).isEqualTo(Verdict.NO_MATCH);
        assertThat(eval("after.status == 'shipped'", toasted).verdict()).isEqualTo(Verdict.MATCH);
        assertThat(eval("has(after.note)", toasted).verdict()).isEqualTo(Verdict.MATCH);
    }

    @Test
    void changedHelperOnAnUnavailableFieldDoesNotFire() {
        EventContext toasted =
                EventContext.of(
                        Operation.UPDATE,
                        "public.orders",
                        Map.of("id", 42L),
                        null,
                        order(),
                        List.of("note"),
                        Set.of("note"));

        assertThat(eval("changed_to('note', 'x')", toasted))
                .isEqualTo(new Evaluation(Verdict.UNAVAILABLE, "note"));
    }

    @Test
    void runtimeErrorIsAVerdictNotAnException() {
        Evaluation missing = eval("after.nope == 1", updateOfOrder());
        Evaluation badOverload = eval("after.status > 1", updateOfOrder());

        assertThat(missing.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(missing.detail())
                .contains("no field 'nope' in after")
                .contains("has(after.nope)");
        assertThat(badOverload.verdict()).isEqualTo(Verdict.ERROR);
    }

    @Test
    void nonBooleanResultAtRunTimeIsAnError() {
        Evaluation result = eval("after.status", updateOfOrder());

        assertThat(result.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(result.detail()).contains("not a boolean");
    }

    @Test
    void syntaxErrorHasAPosition() {
        ConditionCompiler.Result result = COMPILER.compile("after.status == ");

        assertThat(result.ok()).isFalse();
        assertThat(result.issues()).hasSize(1);
        assertThat(result.issues().get(0).line()).isEqualTo(1);
        assertThat(result.issues().get(0).column()).isEqualTo(17);
        assertThat(result.issues().get(0).message()).contains("mismatched input '<EOF>'");
    }

    @Test
    void typeErrorIsFoundAtCompileTime() {
        ConditionCompiler.Result result = COMPILER.compile("op == 1");

        assertThat(result.ok()).isFalse();
        assertThat(result.issues().get(0).message()).contains("no matching overload for '_==_'");
        assertThat(result.issues().get(0).column()).isEqualTo(4);
    }

    @Test
    void unknownVariableIsFoundAtCompileTime() {
        ConditionCompiler.Result result = COMPILER.compile("aftr.status == 'x'");

        assertThat(result.ok()).isFalse();
        assertThat(result.issues().get(0).message()).contains("undeclared reference to 'aftr'");
    }

    @Test
    void nonBooleanConditionIsRejectedAtCompileTime() {
        ConditionCompiler.Result result = COMPILER.compile("op + 'x'");

        assertThat(result.ok()).isFalse();
        assertThat(result.issues().get(0).message())
                .contains("must be true or false")
                .contains("string");
    }
}
