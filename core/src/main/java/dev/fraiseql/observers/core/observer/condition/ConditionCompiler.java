package dev.fraiseql.observers.core.observer.condition;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.runtime.CelStandardFunctions.StandardFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compiles observer conditions: CEL expressions over the variables of one change event.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>name</th><th>type</th><th>value</th></tr>
 *   <tr><td>{@code op}</td><td>string</td><td>create, update, delete, truncate or read</td></tr>
 *   <tr><td>{@code entity}</td><td>string</td><td>schema.table</td></tr>
 *   <tr><td>{@code key}</td><td>map(string, dyn)</td><td>the primary key columns</td></tr>
 *   <tr><td>{@code before}, {@code after}</td><td>dyn</td><td>the row images, or null</td></tr>
 *   <tr><td>{@code changed}</td><td>list(string)</td><td>names of the fields that changed</td></tr>
 *   <tr><td>{@code source}</td><td>map(string, dyn)</td><td>connector, connectorType,
 *       database, txId, commitLsn, changeLsn, binlogFile, binlogPosition, binlogRow, snapshot,
 *       commitTime, captureTime</td></tr>
 * </table>
 *
 * <p>{@code before} and {@code after} are {@code dyn} rather than maps so that {@code before ==
 * null} type-checks for inserts. Column values are typed ({@link CelValues}); decimals are exact
 * ({@link DecimalLibrary}); {@code changed(f)}, {@code changed_to(f, v)} and {@code changed_from(f,
 * v)} are the change helpers ({@link ChangeLibrary}). The environment is built once; a compiler is
 * safe to share between threads.
 */
public final class ConditionCompiler {
    private static final CelType ROW = MapType.create(SimpleType.STRING, SimpleType.DYN);

    private final Cel cel;

    /** A compiler with the condition language's variables and helpers. */
    public ConditionCompiler() {
        DecimalLibrary decimals = new DecimalLibrary();
        this.cel =
                CelFactory.plannerCelBuilder()
                        .setOptions(
                                CelOptions.current()
                                        .enableHeterogeneousNumericComparisons(true)
                                        .build())
                        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                        .addMacros(ChangeLibrary.macros())
                        .addVar("op", SimpleType.STRING)
                        .addVar("entity", SimpleType.STRING)
                        .addVar("key", ROW)
                        .addVar("before", SimpleType.DYN)
                        .addVar("after", SimpleType.DYN)
                        .addVar("changed", ListType.create(SimpleType.STRING))
                        .addVar("source", ROW)
                        .addVar(EventContext.VARIABLE, SimpleType.DYN)
                        .addFunctionDeclarations(decimals.declarations())
                        .addFunctionDeclarations(ChangeLibrary.declarations())
                        .addFunctionBindings(decimals.bindings())
                        .addFunctionBindings(ChangeLibrary.bindings())
                        // The standard equality compares a decimal with any other number as
                        // unequal; DecimalLibrary's equality takes its place.
                        .setStandardFunctions(
                                CelStandardFunctions.newBuilder()
                                        .excludeFunctions(
                                                StandardFunction.EQUALS,
                                                StandardFunction.NOT_EQUALS)
                                        .build())
                        .build();
    }

    /** The outcome of compiling one condition: a condition, or every issue found. */
    public record Result(Condition condition, List<ConditionIssue> issues) {
        public Result {
            issues = List.copyOf(issues);
            if ((condition == null) == issues.isEmpty()) {
                throw new IllegalArgumentException("a result has a condition or issues, not both");
            }
        }

        /** True when the condition compiled. */
        public boolean ok() {
            return condition != null;
        }
    }

    /** Parses, type-checks and plans one condition. */
    public Result compile(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            return failed(new ConditionIssue(1, 1, "the condition is empty"));
        }
        CelValidationResult checked = cel.compile(text);
        if (checked.hasError()) {
            List<ConditionIssue> issues = new ArrayList<>();
            for (CelIssue issue : checked.getErrors()) {
                issues.add(
                        new ConditionIssue(
                                Math.max(0, issue.getSourceLocation().getLine()),
                                Math.max(0, issue.getSourceLocation().getColumn() + 1),
                                issue.getMessage()));
            }
            return new Result(null, issues);
        }
        try {
            CelAbstractSyntaxTree ast = checked.getAst();
            CelType type = ast.getResultType();
            if (type.kind() != CelKind.BOOL && type.kind() != CelKind.DYN) {
                return failed(
                        new ConditionIssue(
                                1,
                                1,
                                "the condition must be true or false, but it gives a value of type "
                                        + type.name()));
            }
            return new Result(new Condition(text, cel.createProgram(ast)), List.of());
        } catch (dev.cel.common.CelValidationException | CelEvaluationException e) {
            return failed(new ConditionIssue(0, 0, e.getMessage()));
        }
    }

    private static Result failed(ConditionIssue issue) {
        return new Result(null, List.of(issue));
    }
}
