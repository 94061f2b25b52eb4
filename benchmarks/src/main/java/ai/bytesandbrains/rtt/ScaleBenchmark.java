package ai.bytesandbrains.rtt;

import org.openjdk.jmh.annotations.*;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static ai.bytesandbrains.rtt.Workload.*;

/**
 * Observe with chain and estimate (tier-1 hit) over {@code sites} tracked sites, visited in a
 * pre-generated random order, so a large table costs what it costs in cache and TLB misses. Every site
 * has one edge, is warm, and has the default history capacity of 1000 (8 KB of ring per site: 100,000
 * sites are ~0.8 GB for core and for the synchronized baseline; this machine has the memory, so no
 * smaller capacity is used).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class ScaleBenchmark
{
    @Param({Trackers.CORE, Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
    public String impl;

    @Param({"100", "10000", "100000"})
    public int sites;

    private TrackerUnderTest tracker;
    private Workload workload;
    private final long[] siteOrder = new long[SIZE];
    private final int[] chainOrder = new int[SIZE];
    private int cursor;
    private long now;

    @Setup
    public void setup()
    {
        workload = new Workload(42);
        tracker = Trackers.create(impl, sites, sites, HISTORY_CAPACITY);
        now = workload.warm(tracker, 0, sites, 4, 1_000_000_000L);
        final SplittableRandom random = new SplittableRandom(7);
        for (int k = 0; k < SIZE; k++)
        {
            final int s = random.nextInt(sites);
            siteOrder[k] = siteId(s);
            chainOrder[k] = s & (CHAINS - 1);
        }
    }

    @Benchmark
    public boolean observeWithChain()
    {
        final int k = cursor++ & MASK;
        now += workload.gapNs[k];
        final int c = chainOrder[k];
        return tracker.observeRoundTrip(siteOrder[k], workload.chainIds[c], c, workload.elapsedNs[k], now);
    }

    @Benchmark
    public long estimateTier1Hit()
    {
        final int k = cursor++ & MASK;
        final int c = chainOrder[k];
        return tracker.estimateBudgetNs(siteOrder[k], workload.chainIds[c], c, 5_000_000L);
    }
}
