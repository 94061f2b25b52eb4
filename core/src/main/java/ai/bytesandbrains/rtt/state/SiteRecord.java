package ai.bytesandbrains.rtt.state;

import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.internal.RecordMemory;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Descriptor of a site record, as Aeron's descriptor classes are: where each word of the record lives,
 * accessors named by memory mode (see the package Javadoc for what each mode buys), and the codec of the
 * last-seen word, the one home of its encoding.
 *
 * <pre>
 *  site record (TrackerLayout.SITE_RECORD_LENGTH): RecordTable's key and state words, then
 *  +-------------+-----------+----------+-------------------+------+
 *  | EMA cell    | last seen | φ state  | history control   | pad  |
 *  +-------------+-----------+----------+-------------------+------+
 *  EMA_OFFSET    LAST_SEEN   PHI_STATE  HISTORY_OFFSET
 *
 *  last-seen word:
 *   0 (NEVER_SEEN)           tracked from a report only, or inserted and not yet observed
 *   1 (RESTORED)             tracked before a restart or snapshot import, not seen since
 *   nowNs | Long.MIN_VALUE   last seen at nowNs (0 .. 2^63 - 1)
 *   2 .. Long.MAX_VALUE      never written: a corrupt word
 * </pre>
 * A seen word is negative, so "has been seen" is one sign test, and seen words order like the times they
 * encode. Zeroed memory is "never seen" (D2). A restored site is not seen either (φ 0, no inter-arrival
 * across the restart), but idle eviction judges it idle from the restart on.
 *
 * <p>Static, pure or single-word accessors: thread-safe and allocation-free, trivially inlined.
 */
public final class SiteRecord
{
    /** Offset of the EMA cell in a site record. */
    public static final int EMA_OFFSET = TrackerLayout.SITE_EMA_OFFSET;
    /** Offset of the last-seen word in a site record. */
    public static final int LAST_SEEN_OFFSET = TrackerLayout.SITE_LAST_SEEN_OFFSET;
    /** Offset of the φ state last reported by a scan. */
    public static final int PHI_STATE_OFFSET = TrackerLayout.SITE_PHI_STATE_OFFSET;
    /** Offset of the heartbeat history's control words. */
    public static final int HISTORY_OFFSET = TrackerLayout.SITE_HISTORY_OFFSET;
    /** Offset of the claim word ({@code RecordClaims}). */
    public static final int CLAIM_OFFSET = TrackerLayout.SITE_CLAIM_OFFSET;
    /** Offset of the samples counted by observes that found the site claimed. */
    public static final int CONTENDED_COUNT_OFFSET = TrackerLayout.SITE_CONTENDED_COUNT_OFFSET;

    /** Last-seen word of a site never seen. */
    public static final long NEVER_SEEN = 0L;
    /** Last-seen word of a site tracked before a restart, not seen since. */
    public static final long RESTORED = 1L;

    private SiteRecord()
    {
    }

    /**
     * Pure.
     *
     * @param recordOffset of the record.
     * @return offset of its EMA cell.
     */
    public static int emaOffset(final int recordOffset)
    {
        return recordOffset + EMA_OFFSET;
    }

    /**
     * The site's exact sample count: the EMA cell's count (its claimants') plus the contended count, read
     * volatile in that order, both before the caller reads the word (see {@code AtomicEma}). Any thread.
     *
     * @param buffer       the state.
     * @param recordOffset of the record.
     * @return samples applied, lagging the word by at most the observes in flight.
     */
    public static long sampleCountVolatile(final AtomicBuffer buffer, final int recordOffset)
    {
        return buffer.getLongVolatile(recordOffset + EMA_OFFSET + AtomicEma.COUNT_OFFSET) +
            buffer.getLongVolatile(recordOffset + CONTENDED_COUNT_OFFSET);
    }

    /**
     * Pure.
     *
     * @param recordOffset of the record.
     * @return offset of its history control words.
     */
    public static int historyOffset(final int recordOffset)
    {
        return recordOffset + HISTORY_OFFSET;
    }

    /**
     * Any thread.
     *
     * @param buffer       the state.
     * @param recordOffset of the record.
     * @return the last-seen word; volatile, so it is the latest heartbeat's CAS and orders the reads after it.
     */
    public static long lastSeenVolatile(final AtomicBuffer buffer, final int recordOffset)
    {
        return buffer.getLongVolatile(recordOffset + LAST_SEEN_OFFSET);
    }

    /**
     * Any thread: the heartbeat's CAS, a full fence.
     *
     * @param buffer       the state.
     * @param recordOffset of the record.
     * @param expected     the word read.
     * @param update       the new word.
     * @return the witness: {@code expected} when the exchange happened.
     */
    public static long compareAndExchangeLastSeen(
        final AtomicBuffer buffer, final int recordOffset, final long expected, final long update)
    {
        return buffer.compareAndExchangeLong(recordOffset + LAST_SEEN_OFFSET, expected, update);
    }

    /**
     * {@link #lastSeenVolatile(AtomicBuffer, int)} on a record addressed directly; any thread.
     *
     * @param base          {@code RecordMemory.base} of the buffer.
     * @param recordAddress of the record, whose whole range the caller checked with {@code RecordMemory.address}.
     * @return the last-seen word; volatile, as the buffer variant.
     */
    public static long lastSeenVolatile(final Object base, final long recordAddress)
    {
        return RecordMemory.getLongVolatile(base, recordAddress + LAST_SEEN_OFFSET);
    }

    /**
     * {@link #compareAndExchangeLastSeen(AtomicBuffer, int, long, long)} on a record addressed directly;
     * any thread: the heartbeat's CAS, a full fence.
     *
     * @param base          {@code RecordMemory.base} of the buffer.
     * @param recordAddress of the record, whose whole range the caller checked with {@code RecordMemory.address}.
     * @param expected      the word read.
     * @param update        the new word.
     * @return the witness: {@code expected} when the exchange happened.
     */
    public static long compareAndExchangeLastSeen(
        final Object base, final long recordAddress, final long expected, final long update)
    {
        return RecordMemory.compareAndExchangeLong(base, recordAddress + LAST_SEEN_OFFSET, expected, update);
    }

    /**
     * Plain store: single-threaded repair, import and reset only, published by handing the tracker over.
     *
     * @param buffer       the state.
     * @param recordOffset of the record.
     * @param word         the last-seen word.
     */
    public static void putLastSeen(final AtomicBuffer buffer, final int recordOffset, final long word)
    {
        buffer.putLong(recordOffset + LAST_SEEN_OFFSET, word);
    }

    /**
     * Any thread.
     *
     * @param buffer       the state.
     * @param recordOffset of the record.
     * @return the code of the φ state last reported; volatile, so it is the latest scan's CAS.
     */
    public static long phiStateVolatile(final AtomicBuffer buffer, final int recordOffset)
    {
        return buffer.getLongVolatile(recordOffset + PHI_STATE_OFFSET);
    }

    /**
     * Any thread: the scan's CAS, which lets exactly one of racing scans report a change.
     *
     * @param buffer       the state.
     * @param recordOffset of the record.
     * @param expected     the code read.
     * @param update       the new code.
     * @return {@code true} when this call changed it.
     */
    public static boolean casPhiState(
        final AtomicBuffer buffer, final int recordOffset, final long expected, final long update)
    {
        return buffer.compareAndSetLong(recordOffset + PHI_STATE_OFFSET, expected, update);
    }

    /**
     * Plain store: single-threaded repair and reset only.
     *
     * @param buffer       the state.
     * @param recordOffset of the record.
     * @param code         the φ state code.
     */
    public static void putPhiState(final AtomicBuffer buffer, final int recordOffset, final long code)
    {
        buffer.putLong(recordOffset + PHI_STATE_OFFSET, code);
    }

    /**
     * Pure.
     *
     * @param nowNs a time, {@code >= 0}.
     * @return the last-seen word for "last seen at {@code nowNs}".
     */
    public static long encodeLastSeen(final long nowNs)
    {
        return nowNs | Long.MIN_VALUE;
    }

    /**
     * Pure.
     *
     * @param word a last-seen word.
     * @return {@code true} when it holds a time.
     */
    public static boolean isSeen(final long word)
    {
        return word < 0;
    }

    /**
     * Pure.
     *
     * @param word a last-seen word.
     * @return the time it holds, 0 when not seen.
     */
    public static long lastSeenNs(final long word)
    {
        return word < 0 ? word & Long.MAX_VALUE : 0;
    }

    /**
     * Pure.
     *
     * @param word a last-seen word.
     * @return {@code true} for a word this library writes: never seen, restored, or a time.
     */
    public static boolean isValidLastSeen(final long word)
    {
        return word <= RESTORED;
    }
}
