package ai.bytesandbrains.rtt;

import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

import static ai.bytesandbrains.rtt.Workload.*;

/**
 * Observe, warm: {@value Workload#WARM_SITES} sites whose EMAs are warm and histories full (capacity
 * 1000), rotated per call; each call advances the clock, so every call is a real heartbeat.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class ObserveBenchmark
{
    @Param({Trackers.CORE, Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
    public String impl;

    private TrackerUnderTest tracker;
    private Workload workload;
    private final long[] sites = new long[WARM_SITES];
    private int cursor;
    private long now;

    @Setup
    public void setup()
    {
        workload = new Workload(42);
        tracker = Trackers.create(impl, 64, 256, HISTORY_CAPACITY);
        for (int s = 0; s < WARM_SITES; s++)
        {
            sites[s] = siteId(s);
        }
        now = workload.warm(tracker, 0, WARM_SITES, HISTORY_CAPACITY + 8, 1_000_000_000L);
    }

    @Benchmark
    public boolean observeNoChain()
    {
        final int k = cursor++ & MASK;
        now += workload.gapNs[k];
        return tracker.observeRoundTrip(sites[k & (WARM_SITES - 1)], workload.elapsedNs[k], now);
    }

    @Benchmark
    public boolean observeWithChain()
    {
        final int k = cursor++ & MASK;
        now += workload.gapNs[k];
        final int c = k & (CHAINS - 1);
        return tracker.observeRoundTrip(sites[k & (WARM_SITES - 1)], workload.chainIds[c], c, workload.elapsedNs[k], now);
    }
}
