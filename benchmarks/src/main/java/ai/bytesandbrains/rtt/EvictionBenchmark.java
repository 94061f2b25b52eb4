package ai.bytesandbrains.rtt;

import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

import static ai.bytesandbrains.rtt.Workload.*;

/**
 * Eviction cost, in steady state: {@value #SITES} warm sites, each with one edge in a chain context
 * and one site in eight with a report.
 * <ul>
 *   <li>{@code evictAndReturn}: evict one site, then its next round trip tracks it again (new record,
 *   new edge), rotating over all sites; one op is the pair.</li>
 *   <li>{@code evictIdleSweep}: a periodic idle sweep that finds nothing to evict; per site visited.</li>
 * </ul>
 * Core finds a site's edges and reports by a pass over the used part of those tables (its records are
 * fixed-size and off-heap, with no per-site list); the baselines keep them inside the site's entry, so
 * their eviction is one map removal.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class EvictionBenchmark
{
    static final int SITES = 1024;

    @Param({Trackers.CORE, Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
    public String impl;

    private TrackerUnderTest tracker;
    private Workload workload;
    private int cursor;
    private long now;

    @Setup
    public void setup()
    {
        workload = new Workload(42);
        tracker = Trackers.create(impl, SITES, 2 * SITES, 64);
        now = workload.warm(tracker, 0, SITES, 8, 1_000_000_000L);
        for (int s = 0; s < SITES; s += 8)
        {
            tracker.ingestReportedOutgoing(siteId(s), siteId(s + 1), workload.chainIds[0], 10_000, 1_000, 5);
        }
    }

    @Benchmark
    public boolean evictAndReturn()
    {
        final int k = cursor++;
        final int s = k & (SITES - 1);
        final long site = siteId(s);
        final boolean evicted = tracker.evictSite(site);
        now += workload.gapNs[k & MASK];
        final int c = s & (CHAINS - 1);
        tracker.observeRoundTrip(site, workload.chainIds[c], c, workload.elapsedNs[k & MASK], now);
        return evicted;
    }

    @Benchmark
    @OperationsPerInvocation(SITES)
    public int evictIdleSweep()
    {
        return tracker.evictIdle(now, Long.MAX_VALUE >> 1);
    }
}
