package dev.fraiseql.observers.ops.bench;

import dev.fraiseql.observers.streams.topology.CdcSource;
import dev.fraiseql.observers.streams.topology.normalize.DebeziumNormalizer;
import dev.fraiseql.observers.streams.topology.normalize.NormalizedChange;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Normalization of one Debezium record of the rental table (Kafka Connect JSON with schemas, about
 * 2.6 KB) into a {@link NormalizedChange}: the first step of the topology for every record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NormalizeBenchmark {
    private DebeziumNormalizer normalizer;
    private byte[] insertKey;
    private byte[] insertValue;
    private byte[] updateKey;
    private byte[] updateValue;

    @Setup
    public void setUp() {
        normalizer = new DebeziumNormalizer(List.of(CdcSource.of("bench", "bench")));
        RentalChanges changes = new RentalChanges("bench", 1_796_400_000_000L);
        insertKey = changes.key(0);
        insertValue = changes.value(0);
        updateKey = changes.key(1);
        updateValue = changes.value(1);
    }

    @Benchmark
    public Optional<NormalizedChange> insert() {
        return normalizer.normalize(insertKey, insertValue);
    }

    @Benchmark
    public Optional<NormalizedChange> update() {
        return normalizer.normalize(updateKey, updateValue);
    }
}
