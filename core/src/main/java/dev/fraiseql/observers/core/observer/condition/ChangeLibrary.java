package dev.fraiseql.observers.core.observer.condition;

import com.google.common.collect.ImmutableList;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelMacro;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;
import java.util.Optional;

/**
 * The change helpers {@code changed(f)}, {@code changed_to(f, v)} and {@code changed_from(f, v)}.
 *
 * <p>Each helper is a macro that adds the hidden per-event variable as a first argument, so the
 * binding, a plain static function, reaches the event without thread-local state: {@code
 * changed_to('status', 'shipped')} becomes {@code __changed_to(__event, 'status', 'shipped')}.
 *
 * <ul>
 *   <li>{@code changed(f)}: the field is in the event's {@code changed} list, or the event is an
 *       insert that sets it;
 *   <li>{@code changed_to(f, v)}: changed, and its new value equals {@code v};
 *   <li>{@code changed_from(f, v)}: changed, and its old value equals {@code v} (false without a
 *       before image).
 * </ul>
 *
 * Values compare with the condition language's equality (decimals exactly, {@code null} as CEL
 * {@code null}). Reading a field that is unavailable ends the evaluation as "unavailable".
 */
final class ChangeLibrary {
    private static final String CHANGED = "__changed";
    private static final String CHANGED_TO = "__changed_to";
    private static final String CHANGED_FROM = "__changed_from";

    private ChangeLibrary() {}

    static List<CelMacro> macros() {
        return List.of(
                helper("changed", 1, CHANGED),
                helper("changed_to", 2, CHANGED_TO),
                helper("changed_from", 2, CHANGED_FROM));
    }

    private static CelMacro helper(String name, int arity, String target) {
        return CelMacro.newGlobalMacro(
                name,
                arity,
                (factory, receiver, args) -> {
                    ImmutableList.Builder<dev.cel.common.ast.CelExpr> call =
                            ImmutableList.builder();
                    call.add(factory.newIdentifier(EventContext.VARIABLE));
                    call.addAll(args);
                    return Optional.of(factory.newGlobalCall(target, call.build()));
                });
    }

    static List<CelFunctionDecl> declarations() {
        return List.of(
                CelFunctionDecl.newFunctionDeclaration(
                        CHANGED,
                        CelOverloadDecl.newGlobalOverload(
                                "changed_field",
                                SimpleType.BOOL,
                                SimpleType.DYN,
                                SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                        CHANGED_TO,
                        CelOverloadDecl.newGlobalOverload(
                                "changed_to_value",
                                SimpleType.BOOL,
                                SimpleType.DYN,
                                SimpleType.STRING,
                                SimpleType.DYN)),
                CelFunctionDecl.newFunctionDeclaration(
                        CHANGED_FROM,
                        CelOverloadDecl.newGlobalOverload(
                                "changed_from_value",
                                SimpleType.BOOL,
                                SimpleType.DYN,
                                SimpleType.STRING,
                                SimpleType.DYN)));
    }

    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from(
                        "changed_field",
                        EventContext.class,
                        String.class,
                        (event, field) -> event.isChanged(field)),
                CelFunctionBinding.from(
                        "changed_to_value",
                        ImmutableList.of(EventContext.class, String.class, Object.class),
                        args -> changedTo((EventContext) args[0], (String) args[1], args[2])),
                CelFunctionBinding.from(
                        "changed_from_value",
                        ImmutableList.of(EventContext.class, String.class, Object.class),
                        args -> changedFrom((EventContext) args[0], (String) args[1], args[2])));
    }

    private static boolean changedTo(EventContext event, String field, Object value) {
        RowView after = event.after();
        return event.isChanged(field)
                && after != null
                && after.has(field)
                && DecimalLibrary.valuesEqual(after.valueOf(field), value);
    }

    private static boolean changedFrom(EventContext event, String field, Object value) {
        RowView before = event.before();
        return event.isChanged(field)
                && before != null
                && before.has(field)
                && DecimalLibrary.valuesEqual(before.valueOf(field), value);
    }
}
