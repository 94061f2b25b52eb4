package ai.bytesandbrains.rtt.state;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The outstanding-request marker of idle-aware φ ({@link OutstandingRequests}): starts and ends racing
 * end with the exact count, and a reader that sees a count opened by a start sees that start's period
 * begin, never the start of an earlier, ended period. Each result holds every word of the marker and both
 * canaries, and lists only whole states as acceptable.
 */
public final class OutstandingRequestsTests
{
    /** A stale period start, left by a period that ended. */
    static final long OLD = 100;
    /** The racing start's time. */
    static final long NOW = 200;
    /** Another racing start's time. */
    static final long OTHER = 300;

    private OutstandingRequestsTests()
    {
    }

    /** One request outstanding since OLD ends while another starts. */
    @JCStressTest
    @Description("Outstanding marker: a start racing the last end ends with count 1 and a real period start")
    @Outcome(id = "start=1 end=2 count=1 since=100 canary=ok", expect = ACCEPTABLE,
        desc = "the start first: it joins the open period")
    @Outcome(id = "start=0 end=1 count=1 since=200 canary=ok", expect = ACCEPTABLE,
        desc = "the end first: the start opens a new period at its own time")
    @Outcome(id = "start=0 end=1 count=1 since=100 canary=ok", expect = ACCEPTABLE_INTERESTING,
        desc = "documented: the start read the count before the end and added after it; it joins the period " +
            "the ended request opened, as if sent before the end, which its read was")
    @Outcome(expect = FORBIDDEN, desc = "a lost or doubled count, a period start no send made, an overwrite")
    @State
    public static class StartVsEnd
    {
        final MarkerRecord marker = new MarkerRecord(1, OLD);
        long start;
        long end;

        @Actor
        public void start()
        {
            start = OutstandingRequests.start(marker.buffer, MarkerRecord.RECORD, NOW);
        }

        @Actor
        public void end()
        {
            end = OutstandingRequests.end(marker.buffer, MarkerRecord.RECORD);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "start=" + start + " end=" + end + " " + marker.state();
        }
    }

    /** Two sends open a period at once, over a stale start. */
    @JCStressTest
    @Description("Outstanding marker: two starts from idle count 2 and keep one of their own times")
    @Outcome(id = "count=2 since=(200|300) canary=ok", expect = ACCEPTABLE,
        desc = "both counted; the period starts at one of the two sends (the later store wins)")
    @Outcome(expect = FORBIDDEN, desc = "a lost count, the stale start kept, an overwrite")
    @State
    public static class StartVsStart
    {
        final MarkerRecord marker = new MarkerRecord(0, OLD);

        @Actor
        public void first()
        {
            OutstandingRequests.start(marker.buffer, MarkerRecord.RECORD, NOW);
        }

        @Actor
        public void second()
        {
            OutstandingRequests.start(marker.buffer, MarkerRecord.RECORD, OTHER);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = marker.state();
        }
    }

    /** Two threads each start and end a request on an idle marker. */
    @JCStressTest
    @Description("Outstanding marker: start/end pairs on two threads end with nothing outstanding")
    @Outcome(id = "count=0 since=(200|300) canary=ok", expect = ACCEPTABLE,
        desc = "every start matched by its end; a period start one of the sends made")
    @Outcome(expect = FORBIDDEN, desc = "a count left up or below 0, a stale period start, an overwrite")
    @State
    public static class PairsOnTwoThreads
    {
        final MarkerRecord marker = new MarkerRecord(0, OLD);

        @Actor
        public void first()
        {
            OutstandingRequests.start(marker.buffer, MarkerRecord.RECORD, NOW);
            OutstandingRequests.end(marker.buffer, MarkerRecord.RECORD);
        }

        @Actor
        public void second()
        {
            OutstandingRequests.start(marker.buffer, MarkerRecord.RECORD, OTHER);
            OutstandingRequests.end(marker.buffer, MarkerRecord.RECORD);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = marker.state();
        }
    }

    /** A φ reader races the send that opens a period, over the stale start of an ended period. */
    @JCStressTest
    @Description("Outstanding marker: a reader that sees the new count sees the new period start (since before count)")
    @Outcome(id = "read=none count=1 since=200 canary=ok", expect = ACCEPTABLE,
        desc = "read before the add: nothing outstanding, no silence")
    @Outcome(id = "read=200 count=1 since=200 canary=ok", expect = ACCEPTABLE,
        desc = "read after the add: the period started by this send")
    @Outcome(id = "read=100 .*", expect = FORBIDDEN,
        desc = "the count of the new period with the start of the ended one: silence from a period long over")
    @Outcome(expect = FORBIDDEN, desc = "any other state")
    @State
    public static class ReadVsStart
    {
        final MarkerRecord marker = new MarkerRecord(0, OLD);
        long read;

        @Actor
        public void send()
        {
            OutstandingRequests.start(marker.buffer, MarkerRecord.RECORD, NOW);
        }

        @Actor
        public void reader()
        {
            read = OutstandingRequests.outstandingSinceNs(marker.buffer, MarkerRecord.RECORD);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "read=" + (read == OutstandingRequests.NO_SILENCE ? "none" : Long.toString(read)) + " " + marker.state();
        }
    }
}
