package ai.bytesandbrains.rtt;

import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

import static ai.bytesandbrains.rtt.Workload.*;

/** φ of warm sites whose histories are full at capacity 1000, at times up to ~1 ms after the last heartbeat. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class PhiBenchmark
{
    @Param({Trackers.CORE, Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
    public String impl;

    private TrackerUnderTest tracker;
    private final long[] sites = new long[WARM_SITES];
    private int cursor;
    private long lastNow;

    @Setup
    public void setup()
    {
        final Workload workload = new Workload(42);
        tracker = Trackers.create(impl, 64, 256, HISTORY_CAPACITY);
        for (int s = 0; s < WARM_SITES; s++)
        {
            sites[s] = siteId(s);
        }
        lastNow = workload.warm(tracker, 0, WARM_SITES, HISTORY_CAPACITY + 8, 1_000_000_000L);
    }

    @Benchmark
    public double phiAtCapacity1000()
    {
        final int k = cursor++ & MASK;
        return tracker.phi(sites[k & (WARM_SITES - 1)], lastNow + (k & 1023) * 1_000L);
    }
}
