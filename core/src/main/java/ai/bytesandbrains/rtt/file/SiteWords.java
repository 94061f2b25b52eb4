package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.LastSeen;
import ai.bytesandbrains.rtt.TrackerLayout;
import ai.bytesandbrains.rtt.ema.AtomicEma;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.table.RecordTable;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.file.Path;

import static ai.bytesandbrains.rtt.TrackerLayout.*;

/**
 * The words of one site record as {@link TrackerFileReader} reads them from a file that a writer may be
 * changing: first every word, then the record's generation ({@link RecordTable#isCurrent}), then the
 * range of each value. Checked only once the generation confirms that every word read was this
 * occupant's, a value out of range is one no writer stores (a corrupt file), never a torn read of a live
 * one. Reused for every record; not thread-safe (the reader's thread).
 */
final class SiteWords
{
    private final Path file;
    private final AtomicBuffer state;
    private final TrackerLayout layout;
    private final RecordTable sites;
    private final int historyCapacity;
    private final long maxHistoryValueNs;
    private final long[] ring;

    int record;
    long site;
    long sampleCount;
    long word;
    long lastSeen;
    long phiStateCode;
    long completed;
    long sum;
    long claimed;
    double meanNs;
    int copied;

    SiteWords(final Path file, final AtomicBuffer state, final TrackerLayout layout, final RecordTable sites)
    {
        this.file = file;
        this.state = state;
        this.layout = layout;
        this.sites = sites;
        this.historyCapacity = layout.config().historyCapacity();
        this.maxHistoryValueNs = HeartbeatHistory.maxValueNs(historyCapacity);
        this.ring = new long[historyCapacity];
    }

    /**
     * Read the site held by {@code handle}, its history too when {@code withHistory}.
     *
     * @return {@code false} when the writer evicted it meanwhile: skip it, nothing is wrong.
     * @throws TrackerFileException {@code CORRUPT} naming the record and field of a value out of range.
     */
    boolean read(final long handle, final boolean withHistory)
    {
        record = RecordTable.record(handle);
        final int recordOffset = sites.recordOffset(record);
        final int control = recordOffset + SITE_HISTORY_OFFSET;
        site = sites.key0(record);
        sampleCount = AtomicEma.sampleCount(state, recordOffset + SITE_EMA_OFFSET); // count first: see AtomicEma
        word = AtomicEma.word(state, recordOffset + SITE_EMA_OFFSET);
        lastSeen = state.getLongVolatile(recordOffset + SITE_LAST_SEEN_OFFSET); // the writer's latest CAS
        phiStateCode = state.getLongVolatile(recordOffset + SITE_PHI_STATE_OFFSET); // the writer's latest CAS
        // Volatile, in HeartbeatHistory's reader order: completed, sum, claimed, so claimed >= completed.
        completed = state.getLongVolatile(control + HeartbeatHistory.COMPLETED_OFFSET);
        sum = state.getLongVolatile(control + HeartbeatHistory.SUM_OFFSET);
        claimed = state.getLongVolatile(control + HeartbeatHistory.CLAIMED_OFFSET);
        meanNs = HeartbeatHistory.peekMeanNs(state, control, historyCapacity);
        copied = withHistory ?
            HeartbeatHistory.copyOldestFirst(state, control, layout.ringOffset(record), historyCapacity, ring) : 0;
        if (!sites.isCurrent(handle))
        {
            return false;
        }
        check();
        return true;
    }

    private void check()
    {
        if (sampleCount < 0)
        {
            throw fault("EMA sample count " + sampleCount);
        }
        if (!LastSeen.isValid(lastSeen))
        {
            throw fault("last-seen word 0x" + Long.toHexString(lastSeen) + " encodes no time or state");
        }
        if (phiStateCode < 0 || phiStateCode >= PhiState.values().length)
        {
            throw fault("φ state code " + phiStateCode);
        }
        if (completed < 0 || claimed < completed || claimed > HeartbeatHistory.MAX_RECORDED)
        {
            throw fault("history claimed " + claimed + ", completed " + completed);
        }
        if (sum < 0)
        {
            throw fault("history sum " + sum);
        }
        for (int i = 0; i < copied; i++)
        {
            if (ring[i] < 0 || ring[i] > maxHistoryValueNs)
            {
                throw fault("history value " + ring[i] + " outside 0.." + maxHistoryValueNs);
            }
        }
    }

    /** @return the φ state last reported, checked. */
    PhiState phiState()
    {
        return PhiState.fromCode((int)phiStateCode);
    }

    /** @return history length, 0..capacity once checked. */
    int historyLength()
    {
        return (int)Math.min(completed, historyCapacity);
    }

    /** @return the copied history value at {@code i}, oldest first. */
    long historyValue(final int i)
    {
        return ring[i];
    }

    private TrackerFileException fault(final String detail)
    {
        return new TrackerFileException(file, TrackerFileException.Reason.CORRUPT,
            "site record " + record + " (site " + site + "): " + detail);
    }
}
