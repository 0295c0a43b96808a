package dev.fraiseql.observers.core.action;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Refuses outgoing requests to link-local addresses ({@code 169.254.0.0/16}, {@code fe80::/10}),
 * where clouds serve instance metadata and credentials, unless the action allows them.
 *
 * <p>The check runs on the resolved address before the request is handed to the HTTP client, so a
 * refused request opens no connection. Limit: a host name is resolved here and again by the client;
 * a DNS answer that changes between the two lookups is not caught.
 */
final class AddressGuard {
    private AddressGuard() {}

    /**
     * The refusal reason for a literal link-local address in a URL, known without any lookup; empty
     * for host names and other addresses.
     */
    static Optional<String> literalRefusal(URI url) {
        String host = url.getHost();
        if (host == null || !isLiteral(host)) {
            return Optional.empty();
        }
        try {
            return refusal(host, InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * The refusal reason for the URL's host once resolved; empty when every address may be called
     * or the name does not resolve (the client then reports the connection error). Host names are
     * resolved off the caller's thread.
     */
    static CompletionStage<Optional<String>> refusal(URI url) {
        String host = url.getHost();
        if (isLiteral(host)) {
            return CompletableFuture.completedFuture(literalRefusal(url));
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return refusal(host, InetAddress.getAllByName(host));
                    } catch (UnknownHostException e) {
                        return Optional.empty();
                    }
                },
                ActionThreads.RESOLVER);
    }

    private static Optional<String> refusal(String host, InetAddress[] addresses) {
        for (InetAddress address : addresses) {
            if (address.isLinkLocalAddress()) {
                return Optional.of(
                        host
                                + " is the link-local address "
                                + address.getHostAddress()
                                + " (cloud metadata range); set allow_link_local: true on the"
                                + " action to call it");
            }
        }
        return Optional.empty();
    }

    private static boolean isLiteral(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return bare.contains(":") || bare.matches("[0-9.]+");
    }
}
