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
 *  since: while a period is open, its start V (a time, sign bit clear); once the last request of a
 *         period ended, an anchor X | Long.MIN_VALUE (sign bit set): lastSeen + the time the period
 *         spent outstanding after the site's last answer, so that X - lastSeen is the silence carried
 *         forward, and an answer after the end (lastSeen >= the end >= X) cancels it.
 * </pre>
 *
 * <h2>The silence rule</h2>
 * Idle-aware silence is the time requests to the site spent outstanding since its last answer: it grows
 * while a request is outstanding, holds still while none is, and an answer resets it. At {@code now}:
 * <ul>
 *   <li>{@code count > 0} with a period start V: {@code now - max(lastSeen, V)};</li>
 *   <li>an anchor X (whatever the count): {@code X - lastSeen} if positive (held), else none;</li>
 *   <li>{@code count <= 0} with a period start: none (φ 0).</li>
 * </ul>
 * It never exceeds plain φ's silence {@code now - lastSeen}. A peer nobody calls has none; a dead peer
 * accrues the outstanding time of every unanswered call, whether its calls overlap or each times out
 * before the next (its silence then rises call by call and holds between them); a healthy peer's occasional
 * timeout carries one timeout's worth of silence until its next answer.
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li><b>start</b>: read {@code count} then {@code since} (volatile); if the count is {@code <= 0}, or
 *   {@code since} is an anchor, this send opens a period (or gives a start to one a race left without):
 *   read last-seen, store {@code since = V = now - carried} (ordered store, not an atomic),
 *   {@code carried = X - lastSeen} when positive, else 0; then {@code getAndAdd(count, 1)}, the one atomic of
 *   a send. "since before count": the add releases the store, so a reader that sees the count this add made
 *   sees this period's start, never the anchor or start of an ended period. A send that finds the count
 *   above 0 leaves {@code since} alone: continuous sends do not restart the silence.</li>
 *   <li><b>end</b>: {@code getAndAdd(count, -1)}, its one atomic; the end that takes the count from 1 to 0
 *   then reads {@code since} and, when it is a period start, last-seen, and stores the anchor (ordered
 *   store). A period a race left with an anchor keeps it.</li>
 *   <li><b>read</b>: {@code count} (volatile) then {@code since} (volatile), pairing with the start's order.</li>
 * </ul>
 * No call waits for another and none loops: start and end are wait-free.
 *
 * <h2>Approximations under races</h2>
 * Each keeps the silence at or below plain φ's and within the outstanding time of the requests involved:
 * <ul>
 *   <li>a send that read {@code count > 0} just before the last request ended joins that period: it counts
 *   from the period's start (its read came before the end); when the end's anchor lands under its count, the
 *   open period holds the anchor's carried silence, without growing, until the next send gives it a start;</li>
 *   <li>a send that opens a period while the last end has lowered the count but not yet stored its anchor
 *   starts afresh (that end's carried silence is lost), or its start is overwritten by that anchor (as above);
 *   an end can then compute its anchor from the new period's start, which carries at most the race's
 *   window; less silence, never more;</li>
 *   <li>between the last end's decrement and its anchor store, a reader sees nothing held (φ 0 for that
 *   instant);</li>
 *   <li>two sends that both open a period store their own {@code V}; the later store wins;</li>
 *   <li>a send or end whose caller read its clock long before calling counts from that clock read.</li>
 * </ul>
 * The local pause discount applies to the window {@code [now - silence, now]}; for a carried silence that
 * window stands in for the periods it sums.
 *
 * <h2>Eviction</h2>
 * Eviction and reuse reset both words with the rest of the record, {@code since} to an anchor carrying
 * nothing ({@link #resetForReuse}), not to a period start. Starts and ends carry the site's handle
 * ({@link ai.bytesandbrains.rtt.internal.RecordTable}'s generation), so that an end of a request started on
 * an earlier occupant changes nothing; see {@code RttTracker.requestStarted} for the two narrow windows
 * where a count can be left one low. A count below 0 reads as nothing outstanding, and the next send that
 * finds it repairs it ({@link #start}).
 *
 * <p>Static, allocation-free; each method states its thread-safety.
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
    /** {@link #silenceStartNs(long, long, long, long)} result: no silence. */
    public static final long NO_SILENCE = Long.MAX_VALUE;

    private OutstandingRequests()
    {
    }

    /**
     * Mark one request started. Any thread, wait-free: two or three volatile reads, at most one ordered
     * store, one atomic add; plus one CAS when the add finds a count below 0, which only an eviction race
     * leaves (see {@code RttTracker.requestStarted}): the CAS sets the count to 1, this request alone, if
     * nothing changed it since the add, so such a count is repaired by the next send that finds it and is
     * never raised above the requests really outstanding.
     *
     * @param buffer       the state.
     * @param recordOffset of the site record.
     * @param nowNs        the send time, {@code >= 0}.
     * @return the count before this start.
     */
    public static long start(final AtomicBuffer buffer, final int recordOffset, final long nowNs)
    {
        // volatile, count then since: the latest count decides whether this send opens a period, and an
        // anchor under a count above 0 (a race at a period's end) is a period with no start: this send gives it one
        final long count = buffer.getLongVolatile(recordOffset + COUNT_OFFSET);
        final long since = buffer.getLongVolatile(recordOffset + SINCE_OFFSET);
        if (count <= 0 || since < 0)
        {
            final long carried = carriedNs(since, lastSeenNs(buffer, recordOffset));
            // since before count: the add below releases this store to any reader that sees its count
            buffer.putLongRelease(recordOffset + SINCE_OFFSET, Math.max(0, nowNs - carried));
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
     * Mark one request ended (answered, timed out or cancelled): after the answer's observe, so that
     * last-seen has moved. Any thread, wait-free: one atomic add; the end of a period's last request then
     * reads {@code since} and last-seen and stores the period's anchor (an ordered store).
     *
     * @param buffer       the state.
     * @param recordOffset of the site record.
     * @param nowNs        the end time, {@code >= 0}.
     * @return the count before this end.
     */
    public static long end(final AtomicBuffer buffer, final int recordOffset, final long nowNs)
    {
        final long before = buffer.getAndAddLong(recordOffset + COUNT_OFFSET, -1); // atomic: starts and ends add up
        if (before == 1)
        {
            final long since = buffer.getLongVolatile(recordOffset + SINCE_OFFSET);
            // A period with no start (an anchor: a race at the previous end) keeps its anchor: nothing to add.
            if (since >= 0)
            {
                final long lastSeen = lastSeenNs(buffer, recordOffset);
                final long start = Math.max(lastSeen, since);
                // X = lastSeen + the time outstanding after the last answer; ordered: a whole word for readers
                buffer.putLongRelease(recordOffset + SINCE_OFFSET, anchor(Math.max(0, lastSeen + (nowNs - start))));
            }
        }
        return before;
    }

    /**
     * Where idle-aware silence starts, read from the record: count (volatile), then since (volatile).
     * Any thread; writes nothing.
     *
     * @param buffer       the state.
     * @param recordOffset of the site record.
     * @param lastSeenNs   the site's last heartbeat, read by the caller before.
     * @param nowNs        the current time.
     * @return the start of the silence (see {@link #silenceStartNs(long, long, long, long)}).
     */
    public static long silenceStartNs(
        final AtomicBuffer buffer, final int recordOffset, final long lastSeenNs, final long nowNs)
    {
        final long count = buffer.getLongVolatile(recordOffset + COUNT_OFFSET); // first: pairs with start's add
        return silenceStartNs(count, buffer.getLongVolatile(recordOffset + SINCE_OFFSET), lastSeenNs, nowNs);
    }

    /**
     * The silence rule (class Javadoc) as the start of a silence ending at {@code nowNs}. Pure.
     *
     * @param count      a count word.
     * @param since      a since word read after it.
     * @param lastSeenNs the site's last heartbeat.
     * @param nowNs      the current time.
     * @return {@code now - silence}, at least {@code lastSeenNs}, or {@link #NO_SILENCE}.
     */
    public static long silenceStartNs(final long count, final long since, final long lastSeenNs, final long nowNs)
    {
        if (since >= 0)
        {
            return count > 0 ? Math.max(lastSeenNs, since) : NO_SILENCE;
        }
        final long carried = carriedNs(since, lastSeenNs); // held: an ended period, or an open one with no start
        return carried > 0 ? Math.max(lastSeenNs, nowNs - carried) : NO_SILENCE;
    }

    /** Silence an ended period carries: {@code X - lastSeen} for an anchor X, else 0. */
    private static long carriedNs(final long since, final long lastSeenNs)
    {
        return since < 0 ? Math.max(0, (since & Long.MAX_VALUE) - lastSeenNs) : 0;
    }

    /**
     * Pure.
     *
     * @param anchorNs X, {@code >= 0}.
     * @return the since word of an ended period with that anchor.
     */
    public static long anchor(final long anchorNs)
    {
        return anchorNs | Long.MIN_VALUE;
    }

    /** The site's last heartbeat, 0 when never seen (φ is then 0 whatever the marker says). */
    private static long lastSeenNs(final AtomicBuffer buffer, final int recordOffset)
    {
        return SiteRecord.lastSeenNs(SiteRecord.lastSeenVolatile(buffer, recordOffset));
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
     * Pure.
     *
     * @param count a count word.
     * @return {@code true} for a count a writer leaves: within {@link #MAX_COUNT} either way (every since word
     * decodes to a time or an anchor).
     */
    public static boolean isValid(final long count)
    {
        return count >= -MAX_COUNT && count <= MAX_COUNT;
    }

    /**
     * Reset the since word of an evicted site's record before the record is reused, after its payload was
     * zeroed: an anchor carrying nothing, so that the next occupant starts with no silence and no period.
     * Not a period start (zero): a send that read the evicted occupant's count above 0 stores no start, and
     * its add can still land on this record before it takes the add back; a send of the next occupant that
     * meets that count must then find an anchor and give the period its own start, not join a period whose
     * start is this reset's 0, which would date its silence from the occupant's last answer. Volatile: the
     * evictor's thread, after the removal's CAS; sends and ends race it with their own stores. The count is
     * stored again (volatile) although the bulk zeroing cleared it: a plain {@code setMemory} is in no
     * synchronization order with a stale send's {@code getAndAdd}, a volatile store is, so that add is either
     * erased here or lands after it and is taken back by its sender, as the concurrency notes argue.
     *
     * @param buffer       the state.
     * @param recordOffset of the site record.
     */
    public static void resetForReuse(final AtomicBuffer buffer, final int recordOffset)
    {
        buffer.putLongVolatile(recordOffset + COUNT_OFFSET, 0);
        buffer.putLongVolatile(recordOffset + SINCE_OFFSET, anchor(0));
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
