package dev.fraiseql.observers.schemas.serde;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the product's records are encoded: Avro single-object encoding with the schemas shipped in
 * this module (no registry URL, the default), or the Confluent wire format with a schema registry.
 *
 * @param registryUrl the schema registry's base URL, or null for single-object encoding
 * @param registryTimeout the connect and request timeout of registry calls
 */
public record SerdeSettings(URI registryUrl, Duration registryTimeout) {
    /** The configuration key of the registry URL (the name Kafka clients use for it). */
    public static final String REGISTRY_URL = "schema.registry.url";

    /** The default registry call timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public SerdeSettings {
        Objects.requireNonNull(registryTimeout, "registryTimeout");
        if (registryUrl != null
                && !"http".equals(registryUrl.getScheme())
                && !"https".equals(registryUrl.getScheme())) {
            throw new IllegalArgumentException(
                    REGISTRY_URL + " must be an http:// or https:// URL, got " + registryUrl);
        }
    }

    /** Single-object encoding, no registry. */
    public static SerdeSettings singleObject() {
        return new SerdeSettings(null, DEFAULT_TIMEOUT);
    }

    /** A registry at the URL with the default timeout. */
    public static SerdeSettings registry(URI url) {
        return new SerdeSettings(Objects.requireNonNull(url, "url"), DEFAULT_TIMEOUT);
    }

    /** From client-style properties: a blank or missing {@value #REGISTRY_URL} means none. */
    public static SerdeSettings fromProperties(Map<String, ?> properties) {
        Object url = properties.get(REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            return singleObject();
        }
        return registry(URI.create(url.toString().trim()));
    }

    /** The registry URL when one is configured. */
    public Optional<URI> registry() {
        return Optional.ofNullable(registryUrl);
    }
}
