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
 * page cannot fill the worker's memory. The whole body is still read, which lets the connection be
 * reused.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final byte[] kept;
    private int length;

    private BoundedBody(int limitBytes) {
        this.kept = new byte[limitBytes];
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
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            int take = Math.min(buffer.remaining(), kept.length - length);
            buffer.get(kept, length, take);
            length += take;
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(new String(kept, 0, length, StandardCharsets.UTF_8));
    }
}
