package ai.bytesandbrains.rtt.broken;

import ai.bytesandbrains.rtt.state.MarkerRecord;
import ai.bytesandbrains.rtt.state.OutstandingRequests;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * DELIBERATELY BROKEN, must be reported FAILED: the outstanding marker with the natural-looking order, the
 * count added first and the period start stored only by the send whose add saw 0. A φ reader can then see
 * the new count with the word before the send (here a fresh record's 0), and count the silence from the
 * last answer: an idle peer's first send after an hour would read as an hour of silence. The outcome table is
 * {@code OutstandingRequestsTests.ReadVsStart}'s; the reader is the real {@link OutstandingRequests} read.
 */
@JCStressTest
@Description("BROKEN outstanding marker: count before since lets a reader see an ended period's start")
@Outcome(id = "read=none count=1 since=200 canary=ok", expect = ACCEPTABLE, desc = "read before the add")
@Outcome(id = "read=200 count=1 since=200 canary=ok", expect = ACCEPTABLE, desc = "read after the add and the store")
@Outcome(id = "read=50 .*", expect = FORBIDDEN, desc = "the new count with the word before the send")
@Outcome(expect = FORBIDDEN, desc = "any other state")
@State
public class BrokenOutstandingPublicationTest
{
    static final long LAST_SEEN = 50;
    static final long NOW = 200;
    static final long READ_AT = 1_000;

    final MarkerRecord marker = new MarkerRecord(0, 0, LAST_SEEN); // a site's first request ever
    long read;

    @Actor
    public void send()
    {
        // BROKEN: the add first, then the start, so the count is visible before its period start.
        if (marker.buffer.getAndAddLong(MarkerRecord.RECORD + OutstandingRequests.COUNT_OFFSET, 1) == 0)
        {
            marker.buffer.putLongRelease(MarkerRecord.RECORD + OutstandingRequests.SINCE_OFFSET, NOW);
        }
    }

    @Actor
    public void reader()
    {
        read = OutstandingRequests.silenceStartNs(marker.buffer, MarkerRecord.RECORD, LAST_SEEN, READ_AT);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "read=" + (read == OutstandingRequests.NO_SILENCE ? "none" : Long.toString(read)) + " " + marker.state();
    }
}
