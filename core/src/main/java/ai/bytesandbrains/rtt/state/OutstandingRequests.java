package ai.bytesandbrains.rtt.state;

import ai.bytesandbrains.rtt.internal.TrackerLayout;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The outstanding-request marker of idle-aware φ: two words of a site record, their protocol, and the
 * one rule that turns them into a silence. The tracker's sends and ends, its readers and the jcstress
 * tests all go through these methods, so the protocol is written once.
 *
 * <pre>
 *  site record, after the history control words:
 *  +------------------------+-------------------------------+
 *  | count (COUNT_OFFSET)   | since (SINCE_OFFSET)          |
 *  +------------------------+-------------------------------+
 *  count: requests started and not yet ended (a signed 64-bit counter; 0 in zeroed memory)
 *  since: nowNs of the send that opened the current outstanding period; meaningful only while count > 0
 * </pre>
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li><b>start</b>: read {@code count} (volatile); if it is {@code <= 0}, this send may open a period:
 *   store {@code since = nowNs} (ordered store, not an atomic); then {@code getAndAdd(count, 1)}, the one
 *   atomic of a send. "since before count": the add releases the store, so a reader that sees the count
 *   this add made sees this {@code since} or a later one, never the start of an earlier, ended period.
 *   A send that finds the count above 0 leaves {@code since} alone: continuous sends to a dead peer keep
 *   the silence running from the first unanswered one.</li>
 *   <li><b>end</b>: {@code getAndAdd(count, -1)}, its one atomic; {@code since} is left as it is (it
 *   means nothing at count 0 and the next opening send overwrites it).</li>
 *   <li><b>read</b>: {@code count} (volatile) then {@code since} (volatile), pairing with the start's order.</li>
 * </ul>
 * No call waits for another and none loops: start and end are wait-free.
 *
 * <h2>The silence rule</h2>
 * With idle-aware φ, a site's silence at {@code now} is {@code now - max(lastSeen, since)} while
 * {@code count > 0}, and none (φ 0) otherwise. Approximations under races, each bounded:
 * <ul>
 *   <li>a send that read {@code count > 0} just before the last outstanding request ended joins the period
 *   that request opened: its silence runs from that earlier {@code since}, as if it had been sent before the
 *   end, which in real time it was (its read came first). When the ended request was answered, lastSeen is
 *   at least its answer and the max hides the older {@code since};</li>
 *   <li>two sends that both open a period store their own {@code nowNs}; the later store wins, so the period
 *   may start up to the time between their clock reads late (less silence, never more);</li>
 *   <li>a send whose caller read its clock long before calling counts from that clock read.</li>
 * </ul>
 * A period ends when the count reaches 0, whatever the outcome of its requests: a peer called less often
 * than its requests time out is judged request by request (see docs/semantics.md).
 *
 * <h2>Eviction</h2>
 * Eviction and reuse reset both words with the rest of the record. Starts and ends carry the site's handle
 * ({@link ai.bytesandbrains.rtt.internal.RecordTable}'s generation), so that an end of a request started on
 * an earlier occupant changes nothing; see {@code RttTracker.requestStarted} for the two narrow windows
 * where a count can be left one low. A count below 0 reads as nothing outstanding, and the next send that
 * finds it repairs it ({@link #start}).
 *
 * <p>Static, allocation-free; each method states its thread-safety.
 *
 * @see ai.bytesandbrains.rtt.internal.RecordTable
 */
public final class OutstandingRequests
{
    /** Offset of the count in a site record. */
    public static final int COUNT_OFFSET = TrackerLayout.SITE_OUTSTANDING_COUNT_OFFSET;
    /** Offset of the period start in a site record. */
    public static final int SINCE_OFFSET = TrackerLayout.SITE_OUTSTANDING_SINCE_OFFSET;
    /**
     * Largest count magnitude a writer can leave: 2^40 requests outstanding at once is beyond any process;
     * a larger one (or one below its negative) in a file is corrupt.
     */
    public static final long MAX_COUNT = 1L << 40;
    /** {@link #silenceStartNs} result: nothing outstanding, so no silence accrues. */
    public static final long NO_SILENCE = Long.MAX_VALUE;

    private OutstandingRequests()
    {
    }

    /**
     * Mark one request started. Any thread, wait-free: one volatile read, at most one ordered store, one
     * atomic add; plus one CAS when the add finds a count below 0, which only an eviction race leaves
     * (see {@code RttTracker.requestStarted}): the CAS sets the count to 1, this request alone, if nothing
     * changed it since the add, so such a count is repaired by the next send that finds it and is never
     * raised above the requests really outstanding.
     *
     * @param buffer       the state.
     * @param recordOffset of the site record.
     * @param nowNs        the send time, {@code >= 0}.
     * @return the count before this start.
     */
    public static long start(final AtomicBuffer buffer, final int recordOffset, final long nowNs)
    {
        // volatile: the latest count decides whether this send may open a period
        if (buffer.getLongVolatile(recordOffset + COUNT_OFFSET) <= 0)
        {
            // since before count: the add below releases this store to any reader that sees its count
            buffer.putLongRelease(recordOffset + SINCE_OFFSET, nowNs);
        }
        final long before = buffer.getAndAddLong(recordOffset + COUNT_OFFSET, 1); // the send's one atomic
        if (before < 0)
        {
            // CAS, not add: a racing start or end means another thread will meet the count; never overshoot.
            buffer.compareAndSetLong(recordOffset + COUNT_OFFSET, before + 1, 1);
        }
        return before;
    }

    /**
     * Mark one request ended (answered, timed out or cancelled). Any thread, wait-free: one atomic add.
     *
     * @param buffer       the state.
     * @param recordOffset of the site record.
     * @return the count before this end.
     */
    public static long end(final AtomicBuffer buffer, final int recordOffset)
    {
        return buffer.getAndAddLong(recordOffset + COUNT_OFFSET, -1); // atomic: racing starts and ends add up
    }

    /**
     * Any thread; two volatile reads, count first (see the protocol), writing nothing.
     *
     * @param buffer       the state.
     * @param recordOffset of the site record.
     * @return the period start while something is outstanding, else {@link #NO_SILENCE}.
     */
    public static long outstandingSinceNs(final AtomicBuffer buffer, final int recordOffset)
    {
        final long count = buffer.getLongVolatile(recordOffset + COUNT_OFFSET); // first: pairs with start's add
        return count > 0 ? buffer.getLongVolatile(recordOffset + SINCE_OFFSET) : NO_SILENCE;
    }

    /**
     * Any thread.
     *
     * @param buffer       the state.
     * @param recordOffset of the site record.
     * @return the count; volatile.
     */
    public static long countVolatile(final AtomicBuffer buffer, final int recordOffset)
    {
        return buffer.getLongVolatile(recordOffset + COUNT_OFFSET);
    }

    /**
     * Any thread.
     *
     * @param buffer       the state.
     * @param recordOffset of the site record.
     * @return the period start word; volatile.
     */
    public static long sinceVolatile(final AtomicBuffer buffer, final int recordOffset)
    {
        return buffer.getLongVolatile(recordOffset + SINCE_OFFSET);
    }

    /**
     * The silence rule: where idle-aware silence starts. Pure.
     *
     * @param lastSeenNs the site's last heartbeat.
     * @param sinceNs    {@link #outstandingSinceNs} ({@link #NO_SILENCE} when nothing is outstanding).
     * @return {@code max(lastSeenNs, sinceNs)}, or {@link #NO_SILENCE}.
     */
    public static long silenceStartNs(final long lastSeenNs, final long sinceNs)
    {
        return sinceNs == NO_SILENCE ? NO_SILENCE : Math.max(lastSeenNs, sinceNs);
    }

    /**
     * Pure.
     *
     * @param count a count word.
     * @param since a since word.
     * @return {@code true} for words a writer leaves: a count within {@link #MAX_COUNT} either way, a time
     * {@code >= 0}.
     */
    public static boolean isValid(final long count, final long since)
    {
        return count >= -MAX_COUNT && count <= MAX_COUNT && since >= 0;
    }

    /**
     * Plain stores: single-threaded repair, import and reset only; nothing is outstanding in a new process.
     *
     * @param buffer       the state.
     * @param recordOffset of the site record.
     */
    public static void clear(final AtomicBuffer buffer, final int recordOffset)
    {
        buffer.putLong(recordOffset + COUNT_OFFSET, 0);
        buffer.putLong(recordOffset + SINCE_OFFSET, 0);
    }
}
