package ai.bytesandbrains.rtt;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

import static ai.bytesandbrains.rtt.Workload.*;

/**
 * The hardware floor of an observe with chain: on one Agrona {@link UnsafeBuffer}, exactly the atomic
 * operations {@code RttTracker.observeRoundTrip(site, chainId, hop, elapsed, now)} performs on a warm
 * site, and nothing else (no hashing, no table probes, no EMA arithmetic):
 * <ul>
 *   <li>4 EMA cells (site, edge, chain prior, global prior), each a volatile read, a
 *   {@code compareAndExchangeLong} and a {@code getAndAddLong} of the count ({@code AtomicEma.observe});</li>
 *   <li>last-seen: a volatile read and a {@code compareAndExchangeLong} ({@code RttTracker.heartbeat});</li>
 *   <li>history: {@code getAndAddLong} claimed, {@code getAndSetLong} of the ring slot, {@code getAndAddLong}
 *   sum, {@code getAndAddLong} completed ({@code HeartbeatHistory.record}).</li>
 * </ul>
 * 13 atomic read-modify-writes (5 CAS, 7 getAndAdd, 1 getAndSet) and 5 volatile reads per call.
 * {@link #observeFloor} lays its words out as core does (128-byte site records, 1000-slot rings, 64-byte
 * edge records, 128-byte chain and global records) and rotates over the same 16 sites, 16 edges and 4
 * chains as {@code ObserveBenchmark.observeWithChain}; {@link #observeFloorOneRecord} always hits the
 * same words (the absolute floor, every line in L1).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class AtomicFloorBenchmark
{
    private static final int SITE_RECORD = 128;
    private static final int EMA = 32;
    private static final int LAST_SEEN = 48;
    private static final int CLAIMED = 64;
    private static final int COMPLETED = 72;
    private static final int SUM = 80;
    private static final int EDGE_RECORD = 64;
    private static final int CHAIN_RECORD = 128;
    private static final int RING = HISTORY_CAPACITY * Long.BYTES;

    private static final int SITES_OFFSET = 0;
    private static final int EDGES_OFFSET = SITES_OFFSET + WARM_SITES * SITE_RECORD;
    private static final int CHAINS_OFFSET = EDGES_OFFSET + WARM_SITES * EDGE_RECORD;
    private static final int GLOBAL_OFFSET = CHAINS_OFFSET + CHAINS * CHAIN_RECORD;
    private static final int RINGS_OFFSET = GLOBAL_OFFSET + 128;
    private static final int LENGTH = RINGS_OFFSET + WARM_SITES * RING;

    private UnsafeBuffer buffer;
    private Workload workload;
    private int cursor;
    private long now;

    @Setup
    public void setup()
    {
        workload = new Workload(42);
        buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(LENGTH, 128));
        now = 1_000_000_000L;
    }

    @Benchmark
    public long observeFloor()
    {
        final int k = cursor++ & MASK;
        now += workload.gapNs[k];
        return observe(k & (WARM_SITES - 1), k & (WARM_SITES - 1), k & (CHAINS - 1), workload.elapsedNs[k], now);
    }

    @Benchmark
    public long observeFloorOneRecord()
    {
        final int k = cursor++ & MASK;
        now += workload.gapNs[k];
        return observe(0, 0, 0, workload.elapsedNs[k], now);
    }

    private long observe(final int site, final int edge, final int chain, final long elapsedNs, final long nowNs)
    {
        final UnsafeBuffer b = buffer;
        final int siteOffset = SITES_OFFSET + site * SITE_RECORD;
        long result = ema(b, siteOffset + EMA, elapsedNs);

        final int lastSeenOffset = siteOffset + LAST_SEEN;
        final long lastSeen = b.getLongVolatile(lastSeenOffset);
        final long witness = b.compareAndExchangeLong(lastSeenOffset, lastSeen, nowNs);
        final long interval = nowNs - witness;
        final long index = b.getAndAddLong(siteOffset + CLAIMED, 1);
        final long evicted = b.getAndSetLong(RINGS_OFFSET + site * RING + (int)(index % HISTORY_CAPACITY) * Long.BYTES, interval);
        b.getAndAddLong(siteOffset + SUM, interval - evicted);
        result += b.getAndAddLong(siteOffset + COMPLETED, 1);

        result += ema(b, EDGES_OFFSET + edge * EDGE_RECORD + EMA, elapsedNs);
        result += ema(b, CHAINS_OFFSET + chain * CHAIN_RECORD + EMA, elapsedNs);
        result += ema(b, GLOBAL_OFFSET + EMA, elapsedNs);
        return result;
    }

    private static long ema(final UnsafeBuffer b, final int offset, final long sampleNs)
    {
        final long word = b.getLongVolatile(offset);
        final long witness = b.compareAndExchangeLong(offset, word, (word >> 1) + sampleNs);
        return witness + b.getAndAddLong(offset + Long.BYTES, 1);
    }
}
