package dev.fraiseql.observers.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A single-node Kafka broker as a process of its own, for tests that kill the broker and start it
 * again: {@code KafkaServerMain <data directory> <client port>}.
 *
 * <p>The broker listens on {@code 127.0.0.1:<client port>} and keeps its data in the directory, so
 * a broker started again with the same arguments has the same address and every topic, committed
 * offset and transaction of the one before. When it is ready it prints one line on standard output,
 * {@value #READY} followed by its {@code bootstrap.servers} value. SIGTERM closes it; SIGKILL is
 * what the tests use to simulate a crash.
 */
public final class KafkaServerMain {
    /** The start of the line printed once the broker accepts clients. */
    public static final String READY = "kafka broker ready at ";

    private KafkaServerMain() {}

    /**
     * Starts the broker and waits until the process is asked to stop.
     *
     * @param args the data directory and the client port
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2 || !args[1].matches("\\d{1,5}")) {
            System.err.println("usage: KafkaServerMain <data directory> <client port>");
            System.exit(2);
        }
        Path directory = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);

        EmbeddedKafka broker = EmbeddedKafka.startPersistent(directory, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    broker.close();
                                    stopped.countDown();
                                },
                                "kafka-server-shutdown"));
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();

        stopped.await();
    }
}
