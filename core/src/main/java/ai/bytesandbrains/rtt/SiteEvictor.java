package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.TrackerLayout;

import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.state.OutstandingRequests;
import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.state.TrackerTables;
import ai.bytesandbrains.rtt.internal.RecordTable;
import org.agrona.concurrent.AtomicBuffer;

import java.util.function.IntConsumer;

import static ai.bytesandbrains.rtt.internal.TrackerLayout.EDGE_RECORD_LENGTH;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.REPORTED_RECORD_LENGTH;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.SITE_RECORD_LENGTH;

/**
 * Removes sites from a tracker's tables, with their edges and reports, and resets the records for
 * reuse; the mechanics behind {@link RttTracker#evictSite} and {@link RttTracker#evictIdle}, whose
 * Javadoc holds the threading contract. Allocation-free: the reclaimers are built once.
 */
final class SiteEvictor
{
    private final AtomicBuffer buffer;
    private final TrackerLayout layout;
    private final RecordTable sites;
    private final RecordTable edges;
    private final RecordTable reported;
    private final int ringLength;
    private final IntConsumer siteReclaimer = this::reclaimSite;
    private final IntConsumer edgeReclaimer;
    private final IntConsumer reportReclaimer;
    private final RestartClock restartClock;

    SiteEvictor(final TrackerTables tables, final RestartClock restartClock)
    {
        this.restartClock = restartClock;
        this.buffer = tables.buffer();
        this.layout = tables.layout();
        this.sites = tables.sites();
        this.edges = tables.edges();
        this.reported = tables.reported();
        this.ringLength = (int)HeartbeatHistory.ringLength(layout.config().historyCapacity());
        edgeReclaimer = record -> resetPayload(edges, record, EDGE_RECORD_LENGTH);
        reportReclaimer = record -> resetPayload(reported, record, REPORTED_RECORD_LENGTH);
    }

    /**
     * Remove a site, then every edge and report keyed by it. The site goes first: its removal waits for
     * the observes and ingests that claimed or pinned it, and those write the site's edge or report before
     * letting go, so the passes below see what they created.
     */
    boolean evictSite(final long site)
    {
        final boolean removed = sites.remove(site, 0, 0, siteReclaimer);
        removeKeyedBy(edges, site, edgeReclaimer);
        removeKeyedBy(reported, site, reportReclaimer);
        return removed;
    }

    /**
     * Remove every seen site silent for at least {@code idleNs}, and every restored site not seen since a
     * restart at least {@code idleNs} ago, unless a request to it is outstanding, then edges and reports
     * left without a site.
     */
    int evictIdle(final long nowNs, final long idleNs)
    {
        restartClock.note(nowNs);
        final long restartNs = restartClock.restartNs();
        int evicted = 0;
        final int limit = sites.highWaterMark();
        for (int record = 0; record < limit; record++)
        {
            final long handle = sites.liveHandle(record);
            if (handle == RecordTable.NOT_FOUND)
            {
                continue;
            }
            // Volatile: the latest heartbeat's CAS. A later occupant's last-seen may be read here; its removal
            // then fails on the generation.
            final long lastSeen = SiteRecord.lastSeenVolatile(buffer, sites.recordOffset(record));
            final long silentSinceNs = SiteRecord.isSeen(lastSeen) ? SiteRecord.lastSeenNs(lastSeen) :
                lastSeen == SiteRecord.RESTORED ? restartNs : -1;
            // A site with a request outstanding is waited on, not idle: with idle-aware φ it may be the one
            // going down, and evicting it would forget its silence. Plain φ never marks, so the count is 0.
            if (silentSinceNs >= 0 && nowNs - silentSinceNs >= idleNs
                && OutstandingRequests.countVolatile(buffer, sites.recordOffset(record)) <= 0
                && sites.remove(handle, siteReclaimer))
            {
                evicted++;
            }
        }
        if (evicted > 0 || sites.overflowCount() != 0)
        {
            // Only a sweep that evicted, or a table that refused sites, can have left edges without a site.
            removeOrphans();
        }
        return evicted;
    }

    /**
     * Remove every edge and report whose site is not tracked: after an idle sweep, and on restore, where
     * a writer killed between removing a site and its edges may have left some.
     */
    void removeOrphans()
    {
        removeOrphans(edges, edgeReclaimer);
        removeOrphans(reported, reportReclaimer);
    }

    private static void removeKeyedBy(final RecordTable table, final long site, final IntConsumer reclaimer)
    {
        final int limit = table.highWaterMark();
        for (int record = 0; record < limit; record++)
        {
            if (table.key0(record) != site)
            {
                continue; // a plain read filters most records; a match is confirmed against the state below
            }
            final long handle = table.liveHandle(record);
            if (handle != RecordTable.NOT_FOUND && table.key0(record) == site && table.isCurrent(handle))
            {
                table.remove(handle, reclaimer);
            }
        }
    }

    private void removeOrphans(final RecordTable table, final IntConsumer reclaimer)
    {
        final int limit = table.highWaterMark();
        for (int record = 0; record < limit; record++)
        {
            final long handle = table.liveHandle(record);
            if (handle != RecordTable.NOT_FOUND)
            {
                final long site = table.key0(record);
                if (table.isCurrent(handle) && sites.find(site, 0, 0) == RecordTable.NOT_FOUND)
                {
                    table.remove(handle, reclaimer);
                }
            }
        }
    }

    /** Reset an evicted site's payload and ring once its last writer has left, before reuse. */
    private void reclaimSite(final int record)
    {
        resetPayload(sites, record, SITE_RECORD_LENGTH);
        OutstandingRequests.resetForReuse(buffer, sites.recordOffset(record)); // unpinned sends may still race it
        buffer.setMemory(layout.ringOffset(record), ringLength, (byte)0);
    }

    private void resetPayload(final RecordTable table, final int record, final int recordLength)
    {
        // Plain stores: no writer holds the record, and the release of its FREE state publishes them.
        // Not the claim word nor the pin count when they are payload words: only their holders change them. A
        // writer with a stale handle may claim or pin the record after the drain, see it removed and let go;
        // zeroing the word in between would make that let-go end a later occupant's claim (two claimants)
        // or leave its pin count at -1 (a removal waiting forever).
        final int recordOffset = table.recordOffset(record);
        final int skip1 = Math.max(table.claimOffset(), RecordTable.PAYLOAD_OFFSET - Long.BYTES);
        final int skip2 = Math.max(table.pinOffset(), RecordTable.PAYLOAD_OFFSET - Long.BYTES);
        zero(recordOffset, RecordTable.PAYLOAD_OFFSET, recordLength, Math.min(skip1, skip2), Math.max(skip1, skip2));
    }

    /**
     * Zero the words of {@code [from, to)} of a record but those at {@code skip1 <= skip2} (an offset below
     * {@code from} skips nothing). Allocation-free.
     */
    private void zero(final int recordOffset, final int from, final int to, final int skip1, final int skip2)
    {
        int start = from;
        if (skip1 >= start)
        {
            buffer.setMemory(recordOffset + start, skip1 - start, (byte)0);
            start = skip1 + Long.BYTES;
        }
        if (skip2 >= start)
        {
            buffer.setMemory(recordOffset + start, skip2 - start, (byte)0);
            start = skip2 + Long.BYTES;
        }
        buffer.setMemory(recordOffset + start, to - start, (byte)0);
    }
}
