package ai.bytesandbrains.rtt;

import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

import static ai.bytesandbrains.rtt.Workload.*;

/**
 * Estimate on a warm tracker: a tier-1 (edge) hit; a fall-through past edge, site and chain (all
 * unknown) to the warm global prior; and a tier-2 (site) hit with no chain context.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class EstimateBenchmark
{
    private static final long STATIC_DEFAULT_NS = 5_000_000;

    @Param({Trackers.CORE, Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
    public String impl;

    private TrackerUnderTest tracker;
    private Workload workload;
    private final long[] sites = new long[WARM_SITES];
    private final long[] unknownSites = new long[WARM_SITES];
    private final long[] unknownChains = new long[CHAINS];
    private int cursor;

    @Setup
    public void setup()
    {
        workload = new Workload(42);
        tracker = Trackers.create(impl, 64, 256, HISTORY_CAPACITY);
        for (int s = 0; s < WARM_SITES; s++)
        {
            sites[s] = siteId(s);
            unknownSites[s] = unknownSiteId(s);
        }
        for (int c = 0; c < CHAINS; c++)
        {
            unknownChains[c] = ChainIds.fromTargets("unknown-chain-" + c);
        }
        workload.warm(tracker, 0, WARM_SITES, 8, 1_000_000_000L);
    }

    @Benchmark
    public long estimateTier1Hit()
    {
        final int k = cursor++ & MASK;
        final int c = k & (CHAINS - 1);
        return tracker.estimateBudgetNs(sites[k & (WARM_SITES - 1)], workload.chainIds[c], c, STATIC_DEFAULT_NS);
    }

    @Benchmark
    public long estimateFallThroughGlobal()
    {
        final int k = cursor++ & MASK;
        final int c = k & (CHAINS - 1);
        return tracker.estimateBudgetNs(unknownSites[k & (WARM_SITES - 1)], unknownChains[c], c, STATIC_DEFAULT_NS);
    }

    @Benchmark
    public long estimateSiteNoChain()
    {
        final int k = cursor++ & MASK;
        return tracker.estimateBudgetNs(sites[k & (WARM_SITES - 1)], STATIC_DEFAULT_NS);
    }
}
