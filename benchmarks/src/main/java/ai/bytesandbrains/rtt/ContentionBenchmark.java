package ai.bytesandbrains.rtt;

import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static ai.bytesandbrains.rtt.Workload.*;

/**
 * Observe with chain under contention, on one shared tracker. Distinct sites: thread {@code t} observes
 * its own {@value Workload#WARM_SITES} sites (the 4 chain priors and the global prior are shared, as in
 * real use); the "AndChains" variant gives each thread its own 4 chains too, so only the global prior is
 * shared. One site: every thread observes the same site (each thread's clock runs on its own, so
 * some of its heartbeats arrive late, as with real threads). Groups: one writer observing with chain
 * against one reader estimating (tier-1 hit) or computing φ on the same 16 sites. Scores are total
 * operations per µs across the threads (per group member for groups).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class ContentionBenchmark
{
    private static final long START_NS = 1_000_000_000L;

    @State(Scope.Benchmark)
    public static class Shared
    {
        @Param({Trackers.CORE, Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
        public String impl;

        TrackerUnderTest tracker;
        Workload workload;
        long startNs;
        final AtomicInteger threads = new AtomicInteger();

        @Setup
        public void setup()
        {
            workload = new Workload(42);
            tracker = Trackers.create(impl, 64, 256, HISTORY_CAPACITY);
            // Sites 0..31 for up to two threads, site 32 the single hot site.
            startNs = workload.warm(tracker, 0, 2 * WARM_SITES + 1, HISTORY_CAPACITY + 8, START_NS);
        }
    }

    @State(Scope.Thread)
    public static class PerThread
    {
        final long[] sites = new long[WARM_SITES];
        final long[] ownChains = new long[CHAINS];
        long hotSite;
        int cursor;
        long now;

        @Setup
        public void setup(final Shared shared)
        {
            final int index = shared.threads.getAndIncrement() & 1;
            for (int s = 0; s < WARM_SITES; s++)
            {
                sites[s] = siteId(index * WARM_SITES + s);
            }
            for (int c = 0; c < CHAINS; c++)
            {
                ownChains[c] = index == 0 ? shared.workload.chainIds[c] : ChainIds.fromTargets("thread-1-chain-" + c);
            }
            hotSite = siteId(2 * WARM_SITES);
            cursor = index * 4096;
            now = shared.startNs;
        }
    }

    private static boolean observe(final Shared shared, final PerThread thread, final long site)
    {
        final Workload w = shared.workload;
        final int k = thread.cursor++ & MASK;
        thread.now += w.gapNs[k];
        final int c = k & (CHAINS - 1);
        return shared.tracker.observeRoundTrip(site, w.chainIds[c], c, w.elapsedNs[k], thread.now);
    }

    @Benchmark
    @Threads(1)
    public boolean observeDistinctSites1Thread(final Shared shared, final PerThread thread)
    {
        return observe(shared, thread, thread.sites[thread.cursor & (WARM_SITES - 1)]);
    }

    @Benchmark
    @Threads(2)
    public boolean observeDistinctSites2Threads(final Shared shared, final PerThread thread)
    {
        return observe(shared, thread, thread.sites[thread.cursor & (WARM_SITES - 1)]);
    }

    @Benchmark
    @Threads(2)
    public boolean observeDistinctSitesAndChains2Threads(final Shared shared, final PerThread thread)
    {
        final Workload w = shared.workload;
        final int k = thread.cursor++ & MASK;
        thread.now += w.gapNs[k];
        final int c = k & (CHAINS - 1);
        return shared.tracker.observeRoundTrip(
            thread.sites[k & (WARM_SITES - 1)], thread.ownChains[c], c, w.elapsedNs[k], thread.now);
    }

    @Benchmark
    @Threads(2)
    public boolean observeOneSite2Threads(final Shared shared, final PerThread thread)
    {
        return observe(shared, thread, thread.hotSite);
    }

    @Benchmark
    @Group("observeVsEstimate")
    @GroupThreads(1)
    public boolean observeVsEstimate_writer(final Shared shared, final PerThread thread)
    {
        return observe(shared, thread, siteId(thread.cursor & (WARM_SITES - 1)));
    }

    @Benchmark
    @Group("observeVsEstimate")
    @GroupThreads(1)
    public long observeVsEstimate_reader(final Shared shared, final PerThread thread)
    {
        final int k = thread.cursor++ & MASK;
        final int c = k & (CHAINS - 1);
        return shared.tracker.estimateBudgetNs(siteId(k & (WARM_SITES - 1)), shared.workload.chainIds[c], c, 5_000_000L);
    }

    @Benchmark
    @Group("observeVsPhi")
    @GroupThreads(1)
    public boolean observeVsPhi_writer(final Shared shared, final PerThread thread)
    {
        return observe(shared, thread, siteId(thread.cursor & (WARM_SITES - 1)));
    }

    @Benchmark
    @Group("observeVsPhi")
    @GroupThreads(1)
    public double observeVsPhi_reader(final Shared shared, final PerThread thread)
    {
        final int k = thread.cursor++ & MASK;
        thread.now += shared.workload.gapNs[k];
        return shared.tracker.phi(siteId(k & (WARM_SITES - 1)), thread.now + (k & 1023) * 1_000L);
    }
}
