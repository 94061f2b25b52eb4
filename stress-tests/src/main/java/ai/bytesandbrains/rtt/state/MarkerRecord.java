package ai.bytesandbrains.rtt.state;

import ai.bytesandbrains.rtt.stress.Outcomes;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A site record's outstanding-request marker at its real offsets ({@link OutstandingRequests}), with the
 * record's last-seen word, which the marker reads, and a canary word on either side (the history control's
 * last word before it, the pad after it), for the jcstress tests of the marker. One per test state.
 *
 * <pre>... | last seen | ... | canary | count | since | canary</pre>
 */
public final class MarkerRecord
{
    /** The record's offset: 0, so the marker words sit at their offsets in a site record. */
    public static final int RECORD = 0;
    static final int BEFORE = OutstandingRequests.COUNT_OFFSET - Long.BYTES;
    static final int AFTER = OutstandingRequests.SINCE_OFFSET + Long.BYTES;

    /** The buffer; the test's actors go through {@link OutstandingRequests} on it. */
    public final AtomicBuffer buffer = new UnsafeBuffer(new byte[AFTER + Long.BYTES]);

    /**
     * A marker with {@code count} requests outstanding and the given since word, for a site last seen at
     * {@code lastSeenNs}.
     *
     * @param count      the initial count.
     * @param sinceWord  the initial since word: a period start, or an {@link OutstandingRequests#anchor}.
     * @param lastSeenNs the site's last heartbeat.
     */
    public MarkerRecord(final long count, final long sinceWord, final long lastSeenNs)
    {
        buffer.putLong(BEFORE, Outcomes.CANARY);
        buffer.putLong(AFTER, Outcomes.CANARY);
        SiteRecord.putLastSeen(buffer, RECORD, SiteRecord.encodeLastSeen(lastSeenNs));
        buffer.putLong(OutstandingRequests.COUNT_OFFSET, count);
        buffer.putLongVolatile(OutstandingRequests.SINCE_OFFSET, sinceWord); // volatile: published with the state
    }

    /**
     * @param sinceWord a since word.
     * @return {@code anchor:<X>} for an anchor, else the period start.
     */
    public static String since(final long sinceWord)
    {
        return sinceWord < 0 ? "anchor:" + (sinceWord & Long.MAX_VALUE) : Long.toString(sinceWord);
    }

    /** @return {@code count=<n> since=<ns|anchor:X> canary=<ok|HIT>}, read after the actors. */
    public String state()
    {
        return "count=" + OutstandingRequests.countVolatile(buffer, RECORD) +
            " since=" + since(OutstandingRequests.sinceVolatile(buffer, RECORD)) +
            " canary=" + Outcomes.canaries(buffer.getLongVolatile(BEFORE), buffer.getLongVolatile(AFTER));
    }
}
