package ai.bytesandbrains.rtt.state;

import ai.bytesandbrains.rtt.stress.Outcomes;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A site record's outstanding-request marker at its real offsets ({@link OutstandingRequests}), with a
 * canary word on either side (the history control's last word before it, the pad after it), for the
 * jcstress tests of the marker. One per test state.
 *
 * <pre>... | canary | count | since | canary</pre>
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
     * A marker with {@code count} requests outstanding since {@code sinceNs}.
     *
     * @param count   the initial count.
     * @param sinceNs the initial period start (a stale one when {@code count} is 0).
     */
    public MarkerRecord(final long count, final long sinceNs)
    {
        buffer.putLong(BEFORE, Outcomes.CANARY);
        buffer.putLong(AFTER, Outcomes.CANARY);
        buffer.putLong(OutstandingRequests.COUNT_OFFSET, count);
        buffer.putLongVolatile(OutstandingRequests.SINCE_OFFSET, sinceNs); // volatile: published with the state
    }

    /** @return {@code count=<n> since=<ns> canary=<ok|HIT>}, read after the actors. */
    public String state()
    {
        return "count=" + OutstandingRequests.countVolatile(buffer, RECORD) +
            " since=" + OutstandingRequests.sinceVolatile(buffer, RECORD) +
            " canary=" + Outcomes.canaries(buffer.getLongVolatile(BEFORE), buffer.getLongVolatile(AFTER));
    }
}
