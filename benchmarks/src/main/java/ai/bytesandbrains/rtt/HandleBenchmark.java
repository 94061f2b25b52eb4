package ai.bytesandbrains.rtt;

import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.TimeUnit;

import static ai.bytesandbrains.rtt.Workload.*;

/**
 * The handle API: each method is its namesake in {@link ObserveBenchmark}, {@link EstimateBenchmark} or
 * {@link PhiBenchmark}, same inputs and same warm state, called through a handle per site made once in
 * setup instead of by id. Every implementation gets the same advantage: core's {@link SiteHandle} caches the
 * site's record, a baseline's handle its per-site object, so none looks the site up while it stays tracked.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class HandleBenchmark
{
    private static final long STATIC_DEFAULT_NS = 5_000_000;

    @Param({Trackers.CORE, Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
    public String impl;

    private TrackerUnderTest tracker;
    private Workload workload;
    private final Object[] handles = new Object[WARM_SITES];
    private int cursor;
    private long now;

    @Setup
    public void setup(final BenchmarkParams params)
    {
        workload = new Workload(42);
        tracker = Trackers.create(impl, 64, 256, HISTORY_CAPACITY);
        // Each method's twin warms its own way: EstimateBenchmark 8 rounds, Observe and PhiBenchmark full histories.
        final boolean estimate = params.getBenchmark().endsWith(".estimateTier1Hit") ||
            params.getBenchmark().endsWith(".estimateSiteNoChain");
        now = workload.warm(tracker, 0, WARM_SITES, estimate ? 8 : HISTORY_CAPACITY + 8, 1_000_000_000L);
        for (int s = 0; s < WARM_SITES; s++)
        {
            handles[s] = tracker.siteHandle(siteId(s));
        }
    }

    @Benchmark
    public boolean observeNoChain()
    {
        final int k = cursor++ & MASK;
        now += workload.gapNs[k];
        return tracker.observeRoundTrip(handles[k & (WARM_SITES - 1)], workload.elapsedNs[k], now);
    }

    @Benchmark
    public boolean observeWithChain()
    {
        final int k = cursor++ & MASK;
        now += workload.gapNs[k];
        final int c = k & (CHAINS - 1);
        return tracker.observeRoundTrip(handles[k & (WARM_SITES - 1)], workload.chainIds[c], c, workload.elapsedNs[k], now);
    }

    @Benchmark
    public long estimateTier1Hit()
    {
        final int k = cursor++ & MASK;
        final int c = k & (CHAINS - 1);
        return tracker.estimateBudgetNs(handles[k & (WARM_SITES - 1)], workload.chainIds[c], c, STATIC_DEFAULT_NS);
    }

    @Benchmark
    public long estimateSiteNoChain()
    {
        final int k = cursor++ & MASK;
        return tracker.estimateBudgetNs(handles[k & (WARM_SITES - 1)], STATIC_DEFAULT_NS);
    }

    /** As {@link PhiBenchmark#phiAtCapacity1000}: nothing observes, so {@code now} stays the last heartbeat's. */
    @Benchmark
    public double phiAtCapacity1000()
    {
        final int k = cursor++ & MASK;
        return tracker.phi(handles[k & (WARM_SITES - 1)], now + (k & 1023) * 1_000L);
    }
}
