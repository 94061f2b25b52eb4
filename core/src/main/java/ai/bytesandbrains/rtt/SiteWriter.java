package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.internal.RecordClaims;
import ai.bytesandbrains.rtt.internal.RecordMemory;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.state.EmaRecord;
import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.state.TrackerTables;
import org.agrona.concurrent.AtomicBuffer;

/**
 * An observe's writes to its site record and its edge, on the path its hold of each allows: a claimant ({@link RecordClaims})
 * counts the sample and records the heartbeat on the words only claimants write, with plain loads and
 * release stores; a writer that found the site claimed, and so only pinned it, counts on the contended
 * words with atomic adds. Both update the EMA word and last-seen by CAS, which every writer may race.
 * Thread-safe, lock-free, allocation-free; the caller holds the record (claim or pin) throughout.
 */
final class SiteWriter
{
    private final AtomicBuffer buffer;
    private final RecordTable sites;
    private final RecordTable edges;
    private final TrackerLayout layout;
    private final int alphaShift;
    private final int betaShift;
    private final int historyCapacity;
    private final long historyMaxValueNs;

    SiteWriter(final TrackerTables tables, final RttTrackerConfig config)
    {
        buffer = tables.buffer();
        sites = tables.sites();
        edges = tables.edges();
        layout = tables.layout();
        alphaShift = config.emaShifts().alphaShift();
        betaShift = config.emaShifts().betaShift();
        historyCapacity = config.historyCapacity();
        historyMaxValueNs = HeartbeatHistory.maxValueNs(historyCapacity);
    }

    /**
     * Apply one accepted round trip to the site record {@code held} names.
     *
     * @param held      from {@link RecordClaims#claimOrInsert}, not NOT_FOUND; held by the caller.
     * @param elapsedNs the round-trip time, {@code >= 0}.
     * @param nowNs     its arrival time, {@code >= 0}.
     * @return {@code true} when this was the site's first heartbeat since a restart.
     */
    boolean write(final long held, final long elapsedNs, final long nowNs)
    {
        final int record = RecordTable.record(RecordClaims.handleOf(held));
        final boolean claimed = RecordClaims.isClaimed(held);
        // One range check for the whole record; its EMA, last-seen and history words are addressed directly.
        final Object base = sites.base();
        final long recordAddress = sites.recordAddress(record);
        final long cellAddress = recordAddress + SiteRecord.EMA_OFFSET;
        if (claimed)
        {
            AtomicEma.observeClaimed(base, cellAddress, elapsedNs, alphaShift, betaShift);
        }
        else
        {
            // Another observe holds the claim and writes the cell's count: count on the contended word.
            AtomicEma.observeWord(base, cellAddress + AtomicEma.WORD_OFFSET, elapsedNs, alphaShift, betaShift);
            RecordMemory.getAndAddLong(base, recordAddress + SiteRecord.CONTENDED_COUNT_OFFSET, 1);
        }
        return Heartbeats.beat(
            buffer, base, recordAddress, layout.ringOffset(record), historyCapacity, historyMaxValueNs, nowNs, claimed);
    }

    /**
     * Apply one accepted round trip to the edge {@code (site, chainId, hopIndex)}, inserting it, claimed or
     * pinned as {@link #write} holds a site. The caller holds the site, so that an eviction of the site,
     * which sweeps its edges after draining it, also removes an edge this call creates.
     *
     * @param site      the site.
     * @param chainId   the chain.
     * @param hopIndex  the hop, 0..255.
     * @param elapsedNs the round-trip time, {@code >= 0}.
     * @return {@code false} when the edge table is full and refused the edge.
     */
    boolean writeEdge(final long site, final long chainId, final int hopIndex, final long elapsedNs)
    {
        final long head = RecordClaims.claimLiveHead(edges, site, chainId, hopIndex); // inlinable, see RecordClaims
        final long held = head != RecordTable.NOT_FOUND ? head : RecordClaims.claimOrInsert(edges, site, chainId, hopIndex);
        if (held == RecordTable.NOT_FOUND)
        {
            return false;
        }
        try
        {
            final Object base = edges.base();
            final long recordAddress = edges.recordAddress(RecordTable.record(RecordClaims.handleOf(held)));
            final long cellAddress = recordAddress + EmaRecord.EMA_OFFSET;
            if (RecordClaims.isClaimed(held))
            {
                AtomicEma.observeClaimed(base, cellAddress, elapsedNs, alphaShift, betaShift);
            }
            else
            {
                AtomicEma.observeWord(base, cellAddress + AtomicEma.WORD_OFFSET, elapsedNs, alphaShift, betaShift);
                RecordMemory.getAndAddLong(base, recordAddress + EmaRecord.EDGE_CONTENDED_COUNT_OFFSET, 1);
            }
        }
        finally
        {
            RecordClaims.release(edges, held);
        }
        return true;
    }
}
