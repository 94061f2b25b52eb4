package ai.bytesandbrains.rtt;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.concurrent.TimeUnit;

import static ai.bytesandbrains.rtt.Workload.CHAINS;
import static ai.bytesandbrains.rtt.Workload.HISTORY_CAPACITY;
import static ai.bytesandbrains.rtt.Workload.MASK;
import static ai.bytesandbrains.rtt.Workload.WARM_SITES;
import static ai.bytesandbrains.rtt.Workload.siteId;

/**
 * Tail latency under oversubscription: 4 threads on a 2-core machine, 3 observing with chain and 1
 * estimating (edge-tier hit), sampled per call ({@link Mode#SampleTime}), so JMH reports p50 to p99.99 and
 * the maximum for each side. With more runnable threads than cores the scheduler preempts threads in the
 * middle of a call: a lock holder descheduled inside its critical section stalls every other caller for
 * a time slice, which is what a lock-free tracker is meant to avoid and what a throughput figure hides.
 *
 * <p>The shape is a trading or RPC stack's: each observer is an I/O thread that owns its connections, so
 * it observes its own {@value Workload#WARM_SITES} sites (no two threads write one site); all share the
 * global prior and the {@value Workload#CHAINS} chain priors, because one chain's hops go out through
 * several connections. The estimator is the thread that sends requests: it asks for a deadline for any
 * peer, so it rotates over all 48 sites, each with its warm edge.
 *
 * <p>{@code oversubscribed} is the latency figure; {@code oversubscribedThroughput} runs the same threads
 * and calls on core in throughput mode, for {@code -prof gc}'s bytes per operation (see the note at its
 * methods). Both run with 4 threads, one group, JMH's default; {@code -t 8} would run two groups, each
 * with its own tracker, which is not the shape above.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class TailLatencyBenchmark
{
    static final int OBSERVERS = 3;
    private static final int SITES = OBSERVERS * WARM_SITES;
    /** Estimator rotation: a power of two covering every site at least once (observer 0's sites twice). */
    private static final int ROTATION = 64;
    private static final long STATIC_DEFAULT_NS = 5_000_000;

    private static final long START_NS = 1_000_000_000L;
    /**
     * Where the observers' clocks start: past the end of warm-up, whose gaps are below 15 µs, so every
     * observe is a heartbeat that advances last-seen. A constant, so no observer depends on a
     * parameterized state.
     */
    private static final long OBSERVE_FROM_NS = START_NS + (long)SITES * (HISTORY_CAPACITY + 8) * 15_000;

    /** The tracker the group's 4 threads share, warm: EMAs, one edge per site, full histories. */
    public abstract static class Tracked
    {
        TrackerUnderTest tracker;
        Workload workload;

        void init(final String impl)
        {
            workload = new Workload(42);
            tracker = Trackers.create(impl, 2 * SITES, 4 * SITES, HISTORY_CAPACITY);
            // site s gets chain s & 3 and hop s & 3, the edge the calls below use
            workload.warm(tracker, 0, SITES, HISTORY_CAPACITY + 8, START_NS);
        }
    }

    /** Every implementation, for the latency figures. */
    @State(Scope.Group)
    public static class Shared extends Tracked
    {
        @Param({Trackers.CORE, Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
        public String impl;

        @Setup
        public void setup()
        {
            init(impl);
        }
    }

    /** Core alone, for the allocation proof: the baselines' B/op needs no twin, it is tens of bytes. */
    @State(Scope.Group)
    public static class CoreOnly extends Tracked
    {
        @Setup
        public void setup()
        {
            init(Trackers.CORE);
        }
    }

    /** An observer's own sites and clock. */
    @State(Scope.Thread)
    public static class Observer
    {
        final long[] sites = new long[WARM_SITES];
        int cursor;
        long now = OBSERVE_FROM_NS;

        @Setup
        public void setup(final ThreadParams params)
        {
            final int index = params.getSubgroupThreadIndex() % OBSERVERS;
            for (int s = 0; s < WARM_SITES; s++)
            {
                sites[s] = siteId(index * WARM_SITES + s);
            }
            cursor = index * 4096; // different samples per observer
        }
    }

    /** The estimator's rotation over all sites. */
    @State(Scope.Thread)
    public static class Estimator
    {
        final long[] sites = new long[ROTATION];
        final int[] hops = new int[ROTATION];
        int cursor;

        @Setup
        public void setup()
        {
            for (int i = 0; i < ROTATION; i++)
            {
                final int s = i % SITES;
                sites[i] = siteId(s);
                hops[i] = s & (CHAINS - 1);
            }
        }
    }

    @Benchmark
    @Group("oversubscribed")
    @GroupThreads(OBSERVERS)
    public boolean observe(final Shared shared, final Observer observer)
    {
        return observeOnce(shared, observer);
    }

    @Benchmark
    @Group("oversubscribed")
    @GroupThreads(1)
    public long estimate(final Shared shared, final Estimator estimator)
    {
        return estimateOnce(shared, estimator);
    }

    // The same group, core only, in throughput mode. It proves zero allocation: in sample mode JMH
    // allocates each thread's sample histogram every iteration, which -prof gc charges to the benchmark
    // (about 0.1 B/op here); in throughput mode the harness allocates nothing that grows with the calls.

    @Benchmark
    @Group("oversubscribedThroughput")
    @GroupThreads(OBSERVERS)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean observeThroughput(final CoreOnly shared, final Observer observer)
    {
        return observeOnce(shared, observer);
    }

    @Benchmark
    @Group("oversubscribedThroughput")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long estimateThroughput(final CoreOnly shared, final Estimator estimator)
    {
        return estimateOnce(shared, estimator);
    }

    private static boolean observeOnce(final Tracked shared, final Observer observer)
    {
        final Workload w = shared.workload;
        final int k = observer.cursor++ & MASK;
        observer.now += w.gapNs[k];
        final int c = k & (CHAINS - 1); // site k & 15 has chain and hop (k & 15) & 3 = k & 3, its warm edge
        return shared.tracker.observeRoundTrip(
            observer.sites[k & (WARM_SITES - 1)], w.chainIds[c], c, w.elapsedNs[k], observer.now);
    }

    private static long estimateOnce(final Tracked shared, final Estimator estimator)
    {
        final int i = estimator.cursor++ & (ROTATION - 1);
        final int hop = estimator.hops[i];
        return shared.tracker.estimateBudgetNs(estimator.sites[i], shared.workload.chainIds[hop], hop, STATIC_DEFAULT_NS);
    }
}
