package dev.fraiseql.observers.core.observer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic job ids: {@code job_} and the first 16 bytes of SHA-256 over the event id, the
 * observer name and the action index, in hex. The same event can never produce two different jobs
 * for one action, so a re-sent event or a replay yields the same idempotency key.
 */
public final class JobIds {
    private static final HexFormat HEX = HexFormat.of();

    private JobIds() {}

    /** The id of the job of one action of one observer for one event. */
    public static String of(String eventId, String observer, int actionIndex) {
        MessageDigest sha256 = sha256();
        // Length-prefixed parts: ("a:b", "c") and ("a", "b:c") must not collide.
        update(sha256, eventId);
        update(sha256, observer);
        update(sha256, Integer.toString(actionIndex));
        byte[] digest = sha256.digest();
        return "job_" + HEX.formatHex(digest, 0, 16);
    }

    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
