package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.Workload;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static ai.bytesandbrains.rtt.Workload.*;

/**
 * The cost of keeping the state in a memory-mapped file: the same warm observe (the workload of
 * {@code ObserveBenchmark}: {@value Workload#WARM_SITES} warm sites, full histories of 1000, a real
 * heartbeat per call) on a tracker over a plain direct buffer and over a {@link TrackerFile}'s mapping.
 * Both are ordinary memory once the pages are resident; the difference to look for is page-cache
 * write-back (dirty pages of a shared file mapping) and TLB reach.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class MappedObserveBenchmark
{
    /** Plain direct buffer, as {@code buildOver}. */
    public static final String DIRECT = "direct";
    /** Memory-mapped tracker file. */
    public static final String MAPPED = "mapped";

    @Param({DIRECT, MAPPED})
    public String memory;

    private RttTracker tracker;
    private TrackerFile trackerFile;
    private Path dir;
    private Workload workload;
    private final long[] sites = new long[WARM_SITES];
    private int cursor;
    private long now;

    @Setup
    public void setup() throws IOException
    {
        final RttTrackerConfig config = RttTracker.builder().siteCapacity(64).edgeCapacity(256)
            .historyCapacity(HISTORY_CAPACITY).toConfig();
        if (MAPPED.equals(memory))
        {
            dir = Files.createTempDirectory("bb-rtt-bench");
            trackerFile = TrackerFile.create(dir.resolve("bench.rtt"), config);
            tracker = trackerFile.tracker();
        }
        else
        {
            final int length = (int)RttTracker.requiredBufferLength(config);
            tracker = RttTracker.builder().siteCapacity(64).edgeCapacity(256).historyCapacity(HISTORY_CAPACITY)
                .buildOver(new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, TrackerLayout.ISOLATED_RECORD_LENGTH)));
        }
        workload = new Workload(42);
        for (int s = 0; s < WARM_SITES; s++)
        {
            sites[s] = siteId(s);
        }
        now = 1_000_000_000L;
        for (int round = 0; round < HISTORY_CAPACITY + 8; round++)
        {
            for (int s = 0; s < WARM_SITES; s++)
            {
                final int i = (round * WARM_SITES + s) & MASK;
                now += workload.gapNs[i];
                tracker.observeRoundTrip(sites[s], workload.chainIds[s & (CHAINS - 1)], s & (CHAINS - 1),
                    workload.elapsedNs[i], now);
            }
        }
    }

    @TearDown
    public void tearDown() throws IOException
    {
        if (trackerFile != null)
        {
            trackerFile.close();
            Files.deleteIfExists(trackerFile.file());
            Files.deleteIfExists(dir);
        }
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
