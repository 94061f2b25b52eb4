package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.state.EmaRecord;
import ai.bytesandbrains.rtt.internal.TrackerLayout;

import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.internal.LocalPauseLog;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.state.TrackerTables;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.internal.TableRepair;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static ai.bytesandbrains.rtt.internal.TrackerLayout.EMA_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.GLOBAL_PRIOR_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.ISOLATED_RECORD_LENGTH;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.LOCAL_PAUSE_LOG_CAPACITY;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.NON_QUIESCENT_COUNTER_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.PAUSE_LOG_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.REJECTED_COUNTER_OFFSET;

/**
 * The cold, single-threaded ways state enters a tracker other than through its writes: the checks a
 * supplied buffer must pass, restart repair of a buffer an earlier process left ({@link StateRestorer}
 * validates and repairs, {@link RestartClock} dates the restart), and snapshot import. Nothing else may
 * use the tracker during these calls; handing the tracker over afterwards publishes what they stored,
 * so they use plain stores.
 */
final class TrackerRecovery
{
    private final TrackerTables tables;
    private final AtomicBuffer buffer;
    private final RestartClock restartClock;
    private final SiteEvictor evictor;

    TrackerRecovery(final TrackerTables tables, final RestartClock restartClock, final SiteEvictor evictor)
    {
        this.tables = tables;
        this.buffer = tables.buffer();
        this.restartClock = restartClock;
        this.evictor = evictor;
    }

    /**
     * Validate and repair state left by an earlier process ({@link StateRestorer}) and forget its
     * timestamps: {@code nanoTime} origins differ between processes, so every site becomes "never seen"
     * (φ 0, state LIVE) while keeping its EMAs, counts and inter-arrival history, and the local pauses it
     * logged are dropped; its next round trip is its first heartbeat again, and idle eviction judges it
     * silent from the restart on.
     */
    void repairAfterRestart()
    {
        new StateRestorer(buffer, tables.layout(), tables.sites(), tables.edges(), tables.chains(), tables.reported())
            .restore();
        LocalPauseLog.clear(buffer, PAUSE_LOG_OFFSET, LOCAL_PAUSE_LOG_CAPACITY); // on the old process's clock
        restartClock.restored();
        if (tables.sites().overflowCount() == 0)
        {
            // With no site ever refused, an edge or report without its site can only be what a writer
            // killed between removing a site and its edges left behind.
            evictor.removeOrphans();
        }
    }

    /** A tracker over fresh, owned memory. */
    static RttTracker allocate(final RttTrackerConfig config)
    {
        final TrackerLayout layout = new TrackerLayout(config);
        final int length = checkedLength(layout);
        // Owned memory is released by the garbage collector once the tracker is unreachable, never by
        // close(): a thread racing close() must not touch freed memory.
        final AtomicBuffer buffer = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(length, ISOLATED_RECORD_LENGTH));
        return new RttTracker(config, layout, buffer);
    }

    /** A tracker over a supplied buffer, zeroed. */
    static RttTracker over(final RttTrackerConfig config, final AtomicBuffer buffer)
    {
        final TrackerLayout layout = new TrackerLayout(config);
        buffer.setMemory(0, checkedBuffer(layout, buffer), (byte)0);
        return new RttTracker(config, layout, buffer);
    }

    /** A tracker over a buffer an earlier process left, validated and repaired. */
    static RttTracker restore(final RttTrackerConfig config, final AtomicBuffer buffer)
    {
        final TrackerLayout layout = new TrackerLayout(config);
        checkedBuffer(layout, buffer);
        final RttTracker tracker = new RttTracker(config, layout, buffer);
        tracker.recovery.repairAfterRestart();
        return tracker;
    }

    /** A supplied buffer must be there, aligned and long enough; returns the length the layout uses. */
    static int checkedBuffer(final TrackerLayout layout, final AtomicBuffer buffer)
    {
        final int length = checkedLength(layout);
        if (buffer == null)
        {
            throw new IllegalArgumentException("buffer must not be null");
        }
        requireAligned(buffer);
        if (buffer.capacity() < length)
        {
            throw new IllegalArgumentException(
                "buffer capacity " + buffer.capacity() + " is smaller than the " + length +
                " bytes this configuration needs");
        }
        return length;
    }

    /**
     * Every 64-bit word of the layout lies at a multiple of 8 from the buffer's start, so the start must be
     * 8-byte aligned for the atomic accesses. Checked here rather than by Agrona's {@code verifyAlignment},
     * which only prints a line on stderr for a {@code byte[]} unless {@code agrona.strict.alignment.checks}
     * is set. A {@code byte[]} (or a heap {@code ByteBuffer}) is refused whatever its offset: the JVM does
     * not promise 8-byte aligned array data for atomic long access, and the state is meant to live off-heap.
     */
    private static void requireAligned(final AtomicBuffer buffer)
    {
        if (buffer.byteArray() != null)
        {
            throw new IllegalStateException("buffer is backed by a byte[] (or a heap ByteBuffer), whose data the " +
                "JVM does not guarantee 8-byte aligned for atomic access: use a direct or mapped buffer, " +
                "e.g. BufferUtil.allocateDirectAligned");
        }
        if ((buffer.addressOffset() & (Long.BYTES - 1)) != 0)
        {
            throw new IllegalStateException("buffer address " + buffer.addressOffset() + " is not 8-byte aligned: " +
                "wrap the memory at an offset that is a multiple of 8");
        }
    }

    static int checkedLength(final TrackerLayout layout)
    {
        final long length = layout.totalLength();
        if (length > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException(
                "configuration needs " + length + " bytes, more than one buffer can address (2^31 - 8): " +
                "reduce siteCapacity or historyCapacity");
        }
        return (int)length;
    }

    /** See {@link RttTracker#importSnapshot}. */
    void importSnapshot(final RttTrackerSnapshot snapshot)
    {
        final RecordTable sites = tables.sites();
        final RecordTable edges = tables.edges();
        final RecordTable chains = tables.chains();
        final RecordTable reported = tables.reported();
        final int historyCapacity = tables.historyCapacity();
        if (sites.highWaterMark() + edges.highWaterMark() + chains.highWaterMark() + reported.highWaterMark() != 0 ||
            AtomicEma.sampleCount(buffer, GLOBAL_PRIOR_OFFSET) != 0)
        {
            throw new IllegalStateException("importSnapshot needs an empty tracker");
        }
        requireImportable(snapshot, historyCapacity);
        for (final RttTrackerSnapshot.Site site : snapshot.sites())
        {
            final long[] history = site.historyNs().stream().mapToLong(Long::longValue).toArray();
            final int record = insertForImport(sites, site.site(), 0, 0, "sites");
            final int recordOffset = sites.recordOffset(record);
            loadEma(SiteRecord.emaOffset(recordOffset), site.ema());
            HeartbeatHistory.load(
                buffer, SiteRecord.historyOffset(recordOffset), tables.ringOffset(record), historyCapacity, history);
            SiteRecord.putLastSeen(buffer, recordOffset, SiteRecord.RESTORED); // as after a restart
        }
        restartClock.restored();
        for (final RttTrackerSnapshot.Edge edge : snapshot.edges())
        {
            RttTracker.checkHop(edge.hopIndex());
            final int record = insertForImport(edges, edge.site(), edge.chainId(), edge.hopIndex(), "edges");
            loadEma(EmaRecord.emaOffset(edges.recordOffset(record)), edge.ema());
        }
        for (final RttTrackerSnapshot.ChainPrior chain : snapshot.chainPriors())
        {
            loadEma(chains.recordOffset(insertForImport(chains, chain.chainId(), 0, 0, "chains")) + EMA_OFFSET, chain.ema());
        }
        for (final RttTrackerSnapshot.Reported report : snapshot.reported())
        {
            final int record = insertForImport(reported, report.fromSite(), report.nextHop(), report.chainId(), "reported");
            loadEma(EmaRecord.emaOffset(reported.recordOffset(record)), report.ema());
        }
        loadEma(GLOBAL_PRIOR_OFFSET, snapshot.globalPrior());
        final RttTrackerSnapshot.Counters counters = snapshot.counters();
        buffer.putLong(REJECTED_COUNTER_OFFSET, counters.rejectedSamples());
        buffer.putLong(NON_QUIESCENT_COUNTER_OFFSET, counters.nonQuiescentPhiReads());
        TableRepair.restoreOverflowCount(sites, counters.siteOverflows());
        TableRepair.restoreOverflowCount(edges, counters.edgeOverflows());
        TableRepair.restoreOverflowCount(chains, counters.chainOverflows());
        TableRepair.restoreOverflowCount(reported, counters.reportedOverflows());
        TableRepair.restoreRemovedCount(sites, counters.evictedSites());
        TableRepair.restoreRemovedCount(edges, counters.evictedEdges());
        TableRepair.restoreRemovedCount(reported, counters.evictedReports());
    }

    /** Refuse, before anything is stored, what the snapshot could only be clamped or cut to fit. */
    private static void requireImportable(final RttTrackerSnapshot snapshot, final int historyCapacity)
    {
        for (final RttTrackerSnapshot.Site site : snapshot.sites())
        {
            if (site.historyNs().size() > historyCapacity || site.historyNs().stream().anyMatch(value -> value < 0))
            {
                throw new IllegalArgumentException("snapshot history of site " + site.site() +
                    " holds a negative value or more than historyCapacity " + historyCapacity + " values");
            }
        }
        final RttTrackerSnapshot.Counters counters = snapshot.counters();
        if ((counters.rejectedSamples() | counters.nonQuiescentPhiReads() | counters.siteOverflows() |
            counters.edgeOverflows() | counters.chainOverflows() | counters.reportedOverflows() |
            counters.evictedSites() | counters.evictedEdges() | counters.evictedReports()) < 0)
        {
            throw new IllegalArgumentException("snapshot holds a negative counter: " + counters);
        }
    }

    private static int insertForImport(
        final RecordTable table, final long key0, final long key1, final long key2, final String what)
    {
        final long handle = table.findOrInsert(key0, key1, key2);
        if (handle == RecordTable.NOT_FOUND)
        {
            throw new IllegalArgumentException("snapshot holds more " + what + " than this tracker's capacity " +
                table.capacity());
        }
        return RecordTable.record(handle);
    }

    private void loadEma(final int emaOffset, final RttTrackerSnapshot.Ema ema)
    {
        if ((ema.srttNs() | ema.rttvarNs() | ema.sampleCount()) < 0)
        {
            throw new IllegalArgumentException("snapshot holds a negative EMA value: " + ema);
        }
        AtomicEma.overwrite(buffer, emaOffset, EmaWord.pack(ema.sampleCount(), ema.srttNs(), ema.rttvarNs()), ema.sampleCount());
    }
}
