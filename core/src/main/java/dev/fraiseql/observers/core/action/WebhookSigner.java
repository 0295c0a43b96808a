package dev.fraiseql.observers.core.action;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,} followed by the base64 HMAC-SHA256 of {@code
 * <webhook-id>.<webhook-timestamp>.<body>}, keyed with the base64-decoded part of a {@code whsec_}
 * secret. Receivers verify it with any Standard Webhooks library.
 */
public final class WebhookSigner {
    /** The prefix of a Standard Webhooks secret. */
    public static final String SECRET_PREFIX = "whsec_";

    private final byte[] key;

    private WebhookSigner(byte[] key) {
        this.key = key;
    }

    /**
     * A signer for a {@code whsec_} secret.
     *
     * @throws IllegalArgumentException when the secret lacks the prefix or is not base64 (the
     *     message never contains the secret)
     */
    public static WebhookSigner forSecret(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException(
                    "the secret [hidden] must start with whsec_ followed by base64 key bytes");
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
            if (key.length == 0) {
                throw new IllegalArgumentException("empty key");
            }
            return new WebhookSigner(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the secret [hidden] is not valid: after whsec_ must come base64 key bytes");
        }
    }

    /** The value of the {@code webhook-signature} header. */
    public String sign(String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** True when one of the space-separated signatures of a header matches (constant time). */
    public boolean verify(String id, long timestampSeconds, byte[] body, String signatureHeader) {
        byte[] expected = sign(id, timestampSeconds, body).getBytes(StandardCharsets.US_ASCII);
        for (String candidate : signatureHeader.trim().split(" +")) {
            if (java.security.MessageDigest.isEqual(
                    expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "WebhookSigner[[hidden]]";
    }
}
