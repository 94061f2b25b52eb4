package ai.bytesandbrains.rtt;

import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

import static ai.bytesandbrains.rtt.Workload.*;

/** Reverse-path reports overwriting 1024 existing (fromSite, nextHop, chain) entries. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class IngestBenchmark
{
    @Param({Trackers.CORE, Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
    public String impl;

    private TrackerUnderTest tracker;
    private Workload workload;
    private final long[] sites = new long[WARM_SITES];
    private int cursor;

    @Setup
    public void setup()
    {
        workload = new Workload(42);
        tracker = Trackers.create(impl, 64, 256, HISTORY_CAPACITY);
        for (int s = 0; s < WARM_SITES; s++)
        {
            sites[s] = siteId(s);
        }
        workload.warm(tracker, 0, WARM_SITES, 8, 1_000_000_000L);
        for (int k = 0; k < 1024; k++)
        {
            ingest(k);
        }
    }

    @Benchmark
    public boolean ingest()
    {
        return ingest(cursor++ & MASK);
    }

    private boolean ingest(final int k)
    {
        final long srtt = workload.elapsedNs[k];
        return tracker.ingestReportedOutgoing(
            sites[k & (WARM_SITES - 1)], sites[(k >> 4) & (WARM_SITES - 1)], workload.chainIds[(k >> 8) & (CHAINS - 1)],
            srtt, srtt >> 2, 3 + (k & 7));
    }
}
