package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.phi.PhiAccrual;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.phi.PhiTransitionHandler;
import ai.bytesandbrains.rtt.internal.LocalPauseLog;
import ai.bytesandbrains.rtt.pause.NanoTimeGate;
import ai.bytesandbrains.rtt.pause.ProcessGcPauses;
import ai.bytesandbrains.rtt.pause.ScanGapDetector;
import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.state.TrackerReader;
import ai.bytesandbrains.rtt.state.TrackerTables;
import ai.bytesandbrains.rtt.internal.RecordMemory;
import ai.bytesandbrains.rtt.internal.RecordTable;
import org.agrona.concurrent.AtomicBuffer;

import static ai.bytesandbrains.rtt.internal.TrackerLayout.NON_QUIESCENT_COUNTER_OFFSET;

/**
 * The tracker's φ-accrual failure detector: φ and its thresholds, scans with their remembered states,
 * and the local pauses φ discounts; the mechanics behind {@link RttTracker#phi}, {@link RttTracker#scanPhi}
 * and {@link RttTracker#recordLocalPause}, whose Javadoc holds the contracts. φ itself is the
 * {@link TrackerReader}'s, so a file reader computes the same; this class adds the writes a reader may
 * not make: counting a non-quiescent read, and a scan's CAS of the remembered state.
 *
 * <p>Thread-safe, lock-free, allocation-free.
 */
final class PhiDetector
{
    private final AtomicBuffer buffer;
    private final RecordTable sites;
    private final TrackerReader reader;
    private final double suspectPhi;
    private final double downPhi;
    private final LocalPauseLog pauseLog;
    private final ScanGapDetector scanGaps;
    // Strongly held: ProcessGcPauses keeps its sinks weakly, for as long as this detector is reachable.
    private final NanoTimeGate gcFeed;
    private final RestartClock restartClock;

    PhiDetector(
        final RttTrackerConfig config,
        final TrackerTables tables,
        final TrackerReader reader,
        final RestartClock restartClock)
    {
        this.buffer = tables.buffer();
        this.sites = tables.sites();
        this.reader = reader;
        this.restartClock = restartClock;
        suspectPhi = config.suspectPhi();
        downPhi = config.downPhi();
        if (config.localPauseAwareness())
        {
            pauseLog = tables.pauseLog();
            scanGaps = new ScanGapDetector(pauseLog, config.localPauseMinNs(), config.maxLocalPauseNs());
            gcFeed = new NanoTimeGate(pauseLog, NanoTimeGate.DEFAULT_TOLERANCE_NS);
            ProcessGcPauses.register(gcFeed);
        }
        else
        {
            pauseLog = null;
            scanGaps = null;
            gcFeed = null;
        }
    }

    /** φ of a site, counting a non-quiescent read once; {@code nowNs >= 0}. */
    double phi(final long site, final long nowNs)
    {
        return counted(reader.phiView(site, nowNs));
    }

    /** φ of the site a caller resolved itself ({@link TrackerReader#phiViewAt}), counted as {@link #phi}. */
    double phiAt(final long handle, final long nowNs)
    {
        return counted(reader.phiViewAt(handle, nowNs));
    }

    boolean isSuspect(final long site, final long nowNs)
    {
        return phi(site, nowNs) > suspectPhi;
    }

    boolean isDown(final long site, final long nowNs)
    {
        return phi(site, nowNs) > downPhi;
    }

    /** φ from a {@link TrackerReader#phiView} result, counting once when its view was not quiescent. */
    private double counted(final double phiView)
    {
        if (!HeartbeatHistory.isQuiescent(phiView))
        {
            buffer.getAndAddLong(NON_QUIESCENT_COUNTER_OFFSET, 1); // atomic: readers on any thread count
        }
        return Math.abs(phiView);
    }

    /** See {@link RttTracker#scanPhi}; {@code nowNs >= 0}. */
    int scanPhi(final long nowNs, final PhiTransitionHandler handler)
    {
        if (scanGaps != null)
        {
            // First, so that a pause that just ended already explains silence below.
            if (scanGaps.onScan(nowNs) == ScanGapDetector.IMPLAUSIBLE)
            {
                return 0; // counted by the detector: no verdict from a time that cannot be trusted
            }
            gcFeed.check(nowNs, System.nanoTime());
        }
        restartClock.note(nowNs);
        int reportedCount = 0;
        final int limit = sites.highWaterMark();
        final Object base = sites.base();
        for (int record = 0; record < limit; record++)
        {
            final long handle = sites.liveHandle(record);
            if (handle == RecordTable.NOT_FOUND)
            {
                continue;
            }
            // One range check per record; its words are then addressed directly.
            final long address = sites.recordAddress(record);
            final int recordOffset = sites.recordOffset(record);
            final long site = RecordMemory.getLong(base, address + RecordTable.KEY0_OFFSET);
            // The state last reported, expected by the CAS below; last-seen, compared again before it.
            final long last = RecordMemory.getLongVolatile(base, address + SiteRecord.PHI_STATE_OFFSET);
            final long lastSeen = SiteRecord.lastSeenVolatile(base, address);
            final double phi = counted(reader.phiViewAt(base, address, recordOffset, lastSeen, nowNs));
            final PhiState state = PhiAccrual.classify(phi, suspectPhi, downPhi);
            // The pin keeps an eviction from resetting the record under the CAS, and proves that the
            // site id and verdict read above were this occupant's (an evicted site is not reported).
            if (last != state.ordinal() && sites.pin(handle))
            {
                // Skip a verdict a heartbeat overtook while it was computed; the next scan decides afresh. The
                // CAS lets exactly one of racing scans report the change.
                final boolean won = SiteRecord.lastSeenVolatile(buffer, recordOffset) == lastSeen &&
                    SiteRecord.casPhiState(buffer, recordOffset, last, state.ordinal());
                sites.unpin(handle);
                if (won)
                {
                    reportedCount++;
                    handler.onTransition(site, state, phi);
                }
            }
        }
        return reportedCount;
    }

    boolean recordLocalPause(final long startNs, final long endNs)
    {
        return pauseLog != null && pauseLog.record(startNs, endNs);
    }

    long implausibleScanCount()
    {
        return scanGaps == null ? 0 : scanGaps.implausibleScanCount();
    }

    long gcClockMismatchCount()
    {
        return gcFeed == null ? 0 : gcFeed.mismatchCount();
    }

    boolean isGcPauseFeedOpen()
    {
        return gcFeed != null && gcFeed.isOpen();
    }
}
