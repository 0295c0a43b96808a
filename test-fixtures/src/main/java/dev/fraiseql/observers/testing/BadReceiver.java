package dev.fraiseql.observers.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A misbehaving HTTP receiver on 127.0.0.1, written on a raw socket because a well-behaved server
 * cannot misbehave on purpose: it reads each request in full (headers and {@code Content-Length}
 * body), then acts out one {@link Behaviour}. It counts the requests it read and the response body
 * bytes the client accepted.
 */
public final class BadReceiver implements AutoCloseable {
    /** What the receiver does once it has read a request. */
    public enum Behaviour {
        /** Never answers; the connection stays open until the client gives up. */
        HANG,
        /**
         * Sends a 200 status line, headers and 16 of the announced 1000 body bytes, then stalls.
         */
        HANG_IN_BODY,
        /** Resets the connection (TCP RST) without answering. */
        RESET_AFTER_BODY,
        /** Answers 500 with a body of {@link #hugeBodyBytes} bytes. */
        HUGE_BODY
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final long hugeBodyBytes;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bodyBytesWritten = new AtomicLong();
    private final List<Socket> open = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private BadReceiver(ServerSocket server, Behaviour behaviour, long hugeBodyBytes) {
        this.server = server;
        this.behaviour = behaviour;
        this.hugeBodyBytes = hugeBodyBytes;
    }

    /** Starts a receiver with this behaviour on a free port of 127.0.0.1. */
    public static BadReceiver start(Behaviour behaviour) {
        return start(behaviour, 0);
    }

    /**
     * Starts a receiver; {@code hugeBodyBytes} is the body size for {@link Behaviour#HUGE_BODY}.
     */
    public static BadReceiver start(Behaviour behaviour, long hugeBodyBytes) {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            BadReceiver receiver = new BadReceiver(server, behaviour, hugeBodyBytes);
            receiver.threads.execute(receiver::accept);
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a receiver on 127.0.0.1", e);
        }
    }

    /** The URL of a path on this receiver. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    /** Requests read in full so far. */
    public int requests() {
        return requests.get();
    }

    /** Response body bytes the client has accepted so far (written into the socket). */
    public long bodyBytesWritten() {
        return bodyBytesWritten.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                synchronized (open) {
                    open.add(socket);
                }
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (readRequest(in)) {
                requests.incrementAndGet();
                switch (behaviour) {
                    case HANG -> stall();
                    case HANG_IN_BODY -> {
                        out.write(
                                ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                                + "Content-Length: 1000\r\n\r\n")
                                        .getBytes(StandardCharsets.US_ASCII));
                        out.write("partial answer..".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        stall();
                    }
                    case RESET_AFTER_BODY -> {
                        // Linger 0 makes close() send RST instead of FIN.
                        socket.setSoLinger(true, 0);
                        return;
                    }
                    case HUGE_BODY -> writeHugeBody(out);
                }
            }
        } catch (IOException e) {
            // The client closed or reset the connection: that ends this exchange.
        }
    }

    private void writeHugeBody(OutputStream out) throws IOException {
        out.write(
                ("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n"
                                + "Content-Length: "
                                + hugeBodyBytes
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        byte[] head = "huge error page ".getBytes(StandardCharsets.US_ASCII);
        byte[] filler = new byte[16 * 1024];
        Arrays.fill(filler, (byte) 'x');
        long left = hugeBodyBytes;
        while (left > 0) {
            byte[] chunk = left == hugeBodyBytes ? head : filler;
            int size = (int) Math.min(chunk.length, left);
            out.write(chunk, 0, size);
            bodyBytesWritten.addAndGet(size);
            left -= size;
        }
        out.flush();
    }

    private void stall() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads one request (headers, then a Content-Length body); false at end of stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            headers.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long length = 0;
        for (String line : headers.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        long skipped = in.readNBytes((int) length).length;
        return skipped == length;
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            server.close();
        } catch (IOException e) {
            // nothing left to release
        }
        synchronized (open) {
            for (Socket socket : open) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // already closed by its exchange
                }
            }
        }
        threads.shutdownNow();
    }
}
