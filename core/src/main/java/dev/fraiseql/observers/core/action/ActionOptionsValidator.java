package dev.fraiseql.observers.core.action;

import java.util.List;
import java.util.Map;

/**
 * Checks the options of one action type as written in an observer file, before any job exists. The
 * observer loader calls it for every action and turns each message into a configuration problem
 * located at the action; a message names the option and how to fix it ({@code "webhook.url:
 * missing; set it, for example url: https://hooks.example.test/rentals"}) and never echoes the
 * value of a secret.
 */
@FunctionalInterface
public interface ActionOptionsValidator {

    /** The problems in the options ({@code ${env:...}} already expanded); empty when usable. */
    List<String> validate(Map<String, Object> options);
}
