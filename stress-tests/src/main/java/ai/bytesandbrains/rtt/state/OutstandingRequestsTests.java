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
 * end with the exact count; the end of a period leaves its anchor and the next period carries it; a reader
 * that sees a count opened by a start sees that start's period, never an ended period's word. Each result
 * holds every word of the marker and both canaries, and lists only whole states as acceptable. The site was
 * last seen at {@link #LAST_SEEN}.
 */
public final class OutstandingRequestsTests
{
    /** The site's last answer. */
    static final long LAST_SEEN = 50;
    /** A period start, after the last answer. */
    static final long OLD = 100;
    /** The racing end's time. */
    static final long END = 150;
    /** The racing start's time. */
    static final long NOW = 200;
    /** Another racing start's time. */
    static final long OTHER = 300;
    /** The anchor of a period answered after it ended: nothing carried (X below last-seen). */
    static final long ANSWERED = OutstandingRequests.anchor(40);
    /** When the reader of {@link ReadVsStart} asks. */
    static final long READ_AT = 1_000;

    private OutstandingRequestsTests()
    {
    }

    /**
     * One request outstanding since OLD ends at END (unanswered: 50 ns after the last answer's... period
     * start) while another starts at NOW.
     */
    @JCStressTest
    @Description("Outstanding marker: a start racing the last end: count 1, the ended period's wait carried")
    @Outcome(id = "start=1 end=2 count=1 since=100 canary=ok", expect = ACCEPTABLE,
        desc = "the start first: it joins the open period")
    @Outcome(id = "start=0 end=1 count=1 since=150 canary=ok", expect = ACCEPTABLE,
        desc = "the end first (anchor 100: 50 ns unanswered), then the start opens at 200 - 50")
    @Outcome(id = "start=0 end=1 count=1 since=anchor:(100|0) canary=ok", expect = ACCEPTABLE_INTERESTING,
        desc = "documented: the end's anchor landed under the start's count (computed from the ended period, " +
            "100, or from the new one's start, 0): the open period holds the carried silence until the next send")
    @Outcome(id = "start=0 end=1 count=1 since=200 canary=ok", expect = ACCEPTABLE_INTERESTING,
        desc = "documented: the start read the since word before the end stored its anchor: the carry is lost")
    @Outcome(expect = FORBIDDEN, desc = "a lost or doubled count, a since word no send or end made, an overwrite")
    @State
    public static class StartVsEnd
    {
        final MarkerRecord marker = new MarkerRecord(1, OLD, LAST_SEEN);
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
            end = OutstandingRequests.end(marker.buffer, MarkerRecord.RECORD, END);
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
    @Outcome(expect = FORBIDDEN, desc = "a lost count, the ended period's anchor kept, an overwrite")
    @State
    public static class StartVsStart
    {
        final MarkerRecord marker = new MarkerRecord(0, ANSWERED, LAST_SEEN);

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
    @Description("Outstanding marker: start/end pairs on two threads end with nothing outstanding and an anchor")
    @Outcome(id = "count=0 since=anchor carried<=110 canary=ok", expect = ACCEPTABLE,
        desc = "every start matched by its end; the last end left an anchor carrying no more than the waits " +
            "could span (the two requests' times lie within 200..310)")
    @Outcome(expect = FORBIDDEN, desc = "a count left up or below 0, a period left open, more silence carried " +
        "than was waited, an overwrite")
    @State
    public static class PairsOnTwoThreads
    {
        final MarkerRecord marker = new MarkerRecord(0, ANSWERED, LAST_SEEN);

        @Actor
        public void first()
        {
            OutstandingRequests.start(marker.buffer, MarkerRecord.RECORD, NOW);
            OutstandingRequests.end(marker.buffer, MarkerRecord.RECORD, NOW + 10);
        }

        @Actor
        public void second()
        {
            OutstandingRequests.start(marker.buffer, MarkerRecord.RECORD, OTHER);
            OutstandingRequests.end(marker.buffer, MarkerRecord.RECORD, OTHER + 10);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            final long since = OutstandingRequests.sinceVolatile(marker.buffer, MarkerRecord.RECORD);
            final long carried = (since & Long.MAX_VALUE) - LAST_SEEN;
            r.r1 = "count=" + OutstandingRequests.countVolatile(marker.buffer, MarkerRecord.RECORD) +
                (since < 0 && carried <= OTHER + 10 - NOW ? " since=anchor carried<=110" : " since=" + MarkerRecord.since(since)) +
                " canary=" + marker.state().substring(marker.state().indexOf("canary=") + "canary=".length());
        }
    }

    /**
     * A φ reader races the first send a site ever had (the record's marker words zero, as inserted), after
     * 150 ns of idleness since its last answer.
     */
    @JCStressTest
    @Description("Outstanding marker: a reader that sees the new count sees the new period start (since before count)")
    @Outcome(id = "read=none count=1 since=200 canary=ok", expect = ACCEPTABLE,
        desc = "read before the add: nothing outstanding, nothing carried: no silence")
    @Outcome(id = "read=200 count=1 since=200 canary=ok", expect = ACCEPTABLE,
        desc = "read after the add: the silence starts at this send")
    @Outcome(id = "read=50 .*", expect = FORBIDDEN,
        desc = "the new count with the word before the send: silence from the last answer, the idle time counted")
    @Outcome(expect = FORBIDDEN, desc = "any other state")
    @State
    public static class ReadVsStart
    {
        final MarkerRecord marker = new MarkerRecord(0, 0, LAST_SEEN);
        long read;

        @Actor
        public void send()
        {
            OutstandingRequests.start(marker.buffer, MarkerRecord.RECORD, NOW);
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
}
