package dev.fraiseql.observers.core.observer.condition;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.RuntimeEquality;
import dev.cel.runtime.RuntimeHelpers;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.IntPredicate;

/**
 * Exact decimals in conditions. CEL has no decimal type and a {@link BigDecimal} compares silently
 * false with the standard equality, so this library adds an opaque {@code decimal} type with:
 *
 * <ul>
 *   <li>{@code < <= > >=} and {@code + - * /} between decimals, and between a decimal and an {@code
 *       int} or a {@code double} (a double literal is taken by its shortest decimal text: {@code
 *       1000.10} is exactly 1000.1);
 *   <li>an equality that replaces the standard one: numbers compare by value across decimal, int
 *       and double ({@code after.amount == 1234.5} holds for a numeric 1234.50), also inside lists
 *       and maps; everything else compares as standard CEL does;
 *   <li>{@code decimal('12345678901234567.89')} for literals a double cannot hold exactly, and
 *       {@code date('2024-05-01')} (midnight UTC as a timestamp) for date columns.
 * </ul>
 *
 * <p>The runtime unwraps the opaque type to its Java value, so bindings take {@link BigDecimal}.
 * Division rounds to 34 significant digits (IEEE 754 decimal128).
 */
final class DecimalLibrary {
    static final OpaqueType DECIMAL = OpaqueType.create("decimal");

    private static final CelType INT = SimpleType.INT;
    private static final CelType DOUBLE = SimpleType.DOUBLE;
    private static final CelType BOOL = SimpleType.BOOL;

    private static final RuntimeEquality STANDARD_EQUALITY =
            RuntimeEquality.create(
                    RuntimeHelpers.create(),
                    CelOptions.current().enableHeterogeneousNumericComparisons(true).build());

    private final List<CelFunctionDecl> declarations = new ArrayList<>();
    private final List<CelFunctionBinding> bindings = new ArrayList<>();

    DecimalLibrary() {
        comparison("_<_", "less", c -> c < 0);
        comparison("_<=_", "less_equals", c -> c <= 0);
        comparison("_>_", "greater", c -> c > 0);
        comparison("_>=_", "greater_equals", c -> c >= 0);
        arithmetic("_+_", "add", BigDecimal::add);
        arithmetic("_-_", "subtract", BigDecimal::subtract);
        arithmetic("_*_", "multiply", BigDecimal::multiply);
        arithmetic("_/_", "divide", (a, b) -> a.divide(b, MathContext.DECIMAL128));
        equality();
        conversions();
    }

    List<CelFunctionDecl> declarations() {
        return declarations;
    }

    List<CelFunctionBinding> bindings() {
        return bindings;
    }

    private void comparison(String function, String id, IntPredicate test) {
        declarations.add(
                CelFunctionDecl.newFunctionDeclaration(
                        function,
                        CelOverloadDecl.newGlobalOverload(id + "_decimal", BOOL, DECIMAL, DECIMAL),
                        CelOverloadDecl.newGlobalOverload(
                                id + "_decimal_int64", BOOL, DECIMAL, INT),
                        CelOverloadDecl.newGlobalOverload(
                                id + "_int64_decimal", BOOL, INT, DECIMAL),
                        CelOverloadDecl.newGlobalOverload(
                                id + "_decimal_double", BOOL, DECIMAL, DOUBLE),
                        CelOverloadDecl.newGlobalOverload(
                                id + "_double_decimal", BOOL, DOUBLE, DECIMAL)));
        bindings.addAll(
                CelFunctionBinding.fromOverloads(
                        function,
                        CelFunctionBinding.from(
                                id + "_decimal",
                                BigDecimal.class,
                                BigDecimal.class,
                                (a, b) -> test.test(a.compareTo(b))),
                        CelFunctionBinding.from(
                                id + "_decimal_int64",
                                BigDecimal.class,
                                Long.class,
                                (a, b) -> test.test(a.compareTo(BigDecimal.valueOf(b)))),
                        CelFunctionBinding.from(
                                id + "_int64_decimal",
                                Long.class,
                                BigDecimal.class,
                                (a, b) -> test.test(BigDecimal.valueOf(a).compareTo(b))),
                        CelFunctionBinding.from(
                                id + "_decimal_double",
                                BigDecimal.class,
                                Double.class,
                                (a, b) -> !b.isNaN() && test.test(compare(a, b))),
                        CelFunctionBinding.from(
                                id + "_double_decimal",
                                Double.class,
                                BigDecimal.class,
                                (a, b) -> !a.isNaN() && test.test(-compare(b, a)))));
    }

    private void arithmetic(String function, String id, BinaryOperator<BigDecimal> operation) {
        declarations.add(
                CelFunctionDecl.newFunctionDeclaration(
                        function,
                        CelOverloadDecl.newGlobalOverload(
                                id + "_decimal", DECIMAL, DECIMAL, DECIMAL),
                        CelOverloadDecl.newGlobalOverload(
                                id + "_decimal_int64", DECIMAL, DECIMAL, INT),
                        CelOverloadDecl.newGlobalOverload(
                                id + "_int64_decimal", DECIMAL, INT, DECIMAL),
                        CelOverloadDecl.newGlobalOverload(
                                id + "_decimal_double", DECIMAL, DECIMAL, DOUBLE),
                        CelOverloadDecl.newGlobalOverload(
                                id + "_double_decimal", DECIMAL, DOUBLE, DECIMAL)));
        bindings.addAll(
                CelFunctionBinding.fromOverloads(
                        function,
                        CelFunctionBinding.from(
                                id + "_decimal",
                                BigDecimal.class,
                                BigDecimal.class,
                                operation::apply),
                        CelFunctionBinding.from(
                                id + "_decimal_int64",
                                BigDecimal.class,
                                Long.class,
                                (a, b) -> operation.apply(a, BigDecimal.valueOf(b))),
                        CelFunctionBinding.from(
                                id + "_int64_decimal",
                                Long.class,
                                BigDecimal.class,
                                (a, b) -> operation.apply(BigDecimal.valueOf(a), b)),
                        CelFunctionBinding.from(
                                id + "_decimal_double",
                                BigDecimal.class,
                                Double.class,
                                (a, b) -> operation.apply(a, exact(b))),
                        CelFunctionBinding.from(
                                id + "_double_decimal",
                                Double.class,
                                BigDecimal.class,
                                (a, b) -> operation.apply(exact(a), b))));
    }

    private void equality() {
        // The standard equality is left out of the runtime (see ConditionCompiler) and replaced by
        // this one, so that every equality, typed or dyn, goes through numericEquals.
        declarations.add(mixedEqualityDeclaration("_==_", "equals"));
        declarations.add(mixedEqualityDeclaration("_!=_", "not_equals"));
        bindings.addAll(CelFunctionBinding.fromOverloads("_==_", equalityBindings("equals", true)));
        bindings.addAll(
                CelFunctionBinding.fromOverloads("_!=_", equalityBindings("not_equals", false)));
    }

    private static CelFunctionDecl mixedEqualityDeclaration(String function, String id) {
        return CelFunctionDecl.newFunctionDeclaration(
                function,
                CelOverloadDecl.newGlobalOverload(id + "_decimal_int64", BOOL, DECIMAL, INT),
                CelOverloadDecl.newGlobalOverload(id + "_int64_decimal", BOOL, INT, DECIMAL),
                CelOverloadDecl.newGlobalOverload(id + "_decimal_double", BOOL, DECIMAL, DOUBLE),
                CelOverloadDecl.newGlobalOverload(id + "_double_decimal", BOOL, DOUBLE, DECIMAL));
    }

    private static List<CelFunctionBinding> equalityBindings(String id, boolean expected) {
        List<CelFunctionBinding> out = new ArrayList<>();
        for (String overload :
                List.of(
                        id,
                        id + "_decimal_int64",
                        id + "_int64_decimal",
                        id + "_decimal_double",
                        id + "_double_decimal")) {
            out.add(
                    CelFunctionBinding.from(
                            overload,
                            Object.class,
                            Object.class,
                            (a, b) -> valuesEqual(a, b) == expected));
        }
        return out;
    }

    private void conversions() {
        declarations.add(
                CelFunctionDecl.newFunctionDeclaration(
                        "decimal",
                        CelOverloadDecl.newGlobalOverload(
                                "decimal_string", DECIMAL, SimpleType.STRING),
                        CelOverloadDecl.newGlobalOverload("decimal_int64", DECIMAL, INT),
                        CelOverloadDecl.newGlobalOverload("decimal_double", DECIMAL, DOUBLE),
                        CelOverloadDecl.newGlobalOverload("decimal_decimal", DECIMAL, DECIMAL)));
        bindings.addAll(
                CelFunctionBinding.fromOverloads(
                        "decimal",
                        CelFunctionBinding.from(
                                "decimal_string", String.class, DecimalLibrary::parseDecimal),
                        CelFunctionBinding.from(
                                "decimal_int64", Long.class, (Long l) -> BigDecimal.valueOf(l)),
                        CelFunctionBinding.from(
                                "decimal_double", Double.class, DecimalLibrary::exact),
                        CelFunctionBinding.from(
                                "decimal_decimal", BigDecimal.class, (BigDecimal d) -> d)));
        declarations.add(
                CelFunctionDecl.newFunctionDeclaration(
                        "date",
                        CelOverloadDecl.newGlobalOverload(
                                "date_string", SimpleType.TIMESTAMP, SimpleType.STRING)));
        bindings.addAll(
                CelFunctionBinding.fromOverloads(
                        "date",
                        CelFunctionBinding.from(
                                "date_string", String.class, DecimalLibrary::parseDate)));
    }

    /** Equality of two CEL values where numbers compare by value, decimals included. */
    static boolean valuesEqual(Object a, Object b) {
        if (a instanceof BigDecimal decimal) {
            return numberEquals(decimal, b);
        }
        if (b instanceof BigDecimal decimal) {
            return numberEquals(decimal, a);
        }
        if (a instanceof List<?> left && b instanceof List<?> right) {
            return listsEqual(left, right);
        }
        if (a instanceof Map<?, ?> left && b instanceof Map<?, ?> right) {
            return mapsEqual(left, right);
        }
        return STANDARD_EQUALITY.objectEquals(a, b);
    }

    private static boolean listsEqual(List<?> left, List<?> right) {
        if (left.size() != right.size()) {
            return false;
        }
        Iterator<?> l = left.iterator();
        Iterator<?> r = right.iterator();
        while (l.hasNext()) {
            if (!valuesEqual(l.next(), r.next())) {
                return false;
            }
        }
        return true;
    }

    private static boolean mapsEqual(Map<?, ?> left, Map<?, ?> right) {
        if (left.size() != right.size()) {
            return false;
        }
        for (Map.Entry<?, ?> entry : left.entrySet()) {
            if (!right.containsKey(entry.getKey())
                    || !valuesEqual(entry.getValue(), right.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean numberEquals(BigDecimal decimal, Object other) {
        if (other instanceof BigDecimal d) {
            return decimal.compareTo(d) == 0;
        }
        if (other instanceof Long l) {
            return decimal.compareTo(BigDecimal.valueOf(l)) == 0;
        }
        if (other instanceof Double d) {
            return Double.isFinite(d) && decimal.compareTo(exact(d)) == 0;
        }
        return false;
    }

    /** Compares a decimal with a double that is not NaN; infinities are beyond every decimal. */
    private static int compare(BigDecimal decimal, double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? -1 : 1;
        }
        return decimal.compareTo(exact(value));
    }

    /** A double by its shortest decimal text: the literal 1000.10 becomes exactly 1000.1. */
    private static BigDecimal exact(double value) {
        if (!Double.isFinite(value)) {
            throw new ArithmeticException(value + " is not a finite number");
        }
        return BigDecimal.valueOf(value);
    }

    private static BigDecimal parseDecimal(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "decimal('" + text + "'): not a decimal number, write it like '1234.50'", e);
        }
    }

    private static Instant parseDate(String text) {
        try {
            return LocalDate.parse(text.trim()).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "date('" + text + "'): not a date, write it like '2024-05-01'", e);
        }
    }
}
