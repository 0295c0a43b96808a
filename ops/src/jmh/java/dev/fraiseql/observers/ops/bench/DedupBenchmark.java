package dev.fraiseql.observers.ops.bench;

import dev.fraiseql.observers.streams.topology.ObserversTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dedup lookup of every change: a get on the {@value ObserversTopology#DEDUP_STORE} store, a
 * persistent RocksDB key-value store of event ids (name-based UUIDs) to first-seen times, built as
 * the topology builds it (with the Streams record cache off, so that every get reaches RocksDB, as
 * it does for an id not seen since the last commit).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DedupBenchmark {
    @Param({"100000"})
    public int remembered;

    private Path stateDir;
    private KeyValueStore<String, Long> store;
    private String[] seen;
    private String[] unseen;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        stateDir = Files.createTempDirectory("dedup-bench-");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedup-bench");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        store =
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(ObserversTopology.DEDUP_STORE),
                                Serdes.String(),
                                Serdes.Long())
                        .withLoggingDisabled()
                        .withCachingDisabled()
                        .build();
        store.init(context.getStateStoreContext(), store);

        seen = new String[remembered];
        unseen = new String[remembered];
        for (int i = 0; i < remembered; i++) {
            seen[i] = eventId("seen", i);
            unseen[i] = eventId("unseen", i);
            store.put(seen[i], 1_796_400_000_000L + i);
        }
        store.flush();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A duplicate: the id is in the store. */
    @Benchmark
    public Long lookupSeen() {
        next = (next + 7919) % remembered;
        return store.get(seen[next]);
    }

    /** A new change: the id is not in the store (the common case). */
    @Benchmark
    public Long lookupUnseen() {
        next = (next + 7919) % remembered;
        return store.get(unseen[next]);
    }

    private static String eventId(String kind, int i) {
        return UUID.nameUUIDFromBytes((kind + i).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
