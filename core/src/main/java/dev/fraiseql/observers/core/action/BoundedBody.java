package dev.fraiseql.observers.core.action;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Keeps the first bytes of a response body and drops the rest, so a receiver answering with a huge
 * or endless page cannot fill the worker's memory or hold a job. A body that ends within {@value
 * #DRAIN_LIMIT_BYTES} bytes is read to its end, which lets the connection be reused; a longer one
 * is abandoned there (the connection is closed) and its text ends with {@code ...} to show the cut.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {
    /** The most bytes read from one body; past it the rest is not read at all. */
    static final int DRAIN_LIMIT_BYTES = 64 * 1024;

    private static final String CUT = "...";

    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final byte[] kept;
    private final long drainLimit;
    private int length;
    private long received;
    private Flow.Subscription subscription;

    private BoundedBody(int limitBytes) {
        this.kept = new byte[limitBytes];
        this.drainLimit = Math.max(limitBytes, DRAIN_LIMIT_BYTES);
    }

    /** A body handler keeping at most {@code limitBytes} bytes. */
    static HttpResponse.BodyHandler<String> handler(int limitBytes) {
        return info -> new BoundedBody(limitBytes);
    }

    @Override
    public CompletionStage<String> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            received += buffer.remaining();
            int take = Math.min(buffer.remaining(), kept.length - length);
            buffer.get(kept, length, take);
            length += take;
        }
        if (received > drainLimit) {
            // Whatever follows is not worth the time or the connection: stop reading here.
            subscription.cancel();
            result.complete(text());
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(text());
    }

    private String text() {
        String text = new String(kept, 0, length, StandardCharsets.UTF_8);
        return received > length ? text + CUT : text;
    }
}
