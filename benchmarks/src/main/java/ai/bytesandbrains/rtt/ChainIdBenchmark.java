package ai.bytesandbrains.rtt;

import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * Chain id of a typical {@code chain_targets} string ({@value Workload#CHAIN_TARGETS}): core hashes the
 * chars as UTF-8 on the fly; the baselines do what the reference does, {@code getBytes(UTF_8)} then
 * FNV-1a over the bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class ChainIdBenchmark
{
    @Param({Trackers.CORE, Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
    public String impl;

    private TrackerUnderTest tracker;
    private String targets;

    @Setup
    public void setup()
    {
        tracker = Trackers.create(impl, 4, 4, 4);
        targets = new String(Workload.CHAIN_TARGETS.toCharArray());
    }

    @Benchmark
    public long chainIdFromTargets()
    {
        return tracker.chainId(targets);
    }
}
