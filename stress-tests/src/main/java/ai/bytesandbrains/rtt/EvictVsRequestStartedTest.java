package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.state.OutstandingRequests;
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
 * {@link RttTracker#requestStarted} racing the eviction of its site, whose record a new site T then takes:
 * the send has no pin (its one atomic is the count's add), so it re-checks the generation after the add and
 * takes the add back when S was evicted meanwhile. A new occupant never inherits a count: T's count is 0,
 * or -1 when the add landed before the reset and was taken back after it (documented: one request fewer,
 * and a count below 1 reads as none), which T's next send repairs: T's count is then exactly 1. A ticket
 * the send kept names the evicted S and its end (in the
 * arbiter) changes nothing. The canary site C, never sent to, keeps a count of 0.
 *
 * <p>Result: {@code ticket=<S|none> T=<count> next=<count after one send to T> C=<count>}.
 */
@JCStressTest
@Description("Idle-aware φ: a send racing its site's eviction never leaves a count on the record's next occupant")
@Outcome(id = "ticket=(S|none) T=0 next=1 C=0", expect = ACCEPTABLE,
    desc = "the add was wiped with S's record, taken back before the reset, or never made (S gone)")
@Outcome(id = "ticket=none T=-1 next=1 C=0", expect = ACCEPTABLE_INTERESTING,
    desc = "documented: the add landed before the reset and was taken back after it; the next send repairs it")
@Outcome(expect = FORBIDDEN, desc = "T inherits the send's count, a kept ticket that changes T, the canary disturbed")
@State
public class EvictVsRequestStartedTest
{
    static final long S = 0x5E_0002L;
    static final long T = 0x7E_0002L;
    static final long C = 0xCA_0002L;
    static final long NOW = 50_000;

    final RttTracker tracker = RttTracker.builder().siteCapacity(3).edgeCapacity(2).chainCapacity(2)
        .reportedCapacity(2).historyCapacity(4).idleAwarePhi(true).build();
    long ticket;

    public EvictVsRequestStartedTest()
    {
        tracker.observeRoundTrip(C, 1_000, 1_000);
        tracker.observeRoundTrip(S, 1_000, 2_000);
    }

    @Actor
    public void sender()
    {
        ticket = tracker.requestStarted(S, NOW);
    }

    @Actor
    public void evictor()
    {
        tracker.evictSite(S);
        tracker.observeRoundTrip(T, 1_000, 3_000);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        final String kept = ticket == RttTracker.NO_TICKET ? "none" : "S";
        tracker.requestEnded(ticket, NOW + 1); // S's ticket after S's eviction: must change nothing
        final String t = count(T);
        tracker.requestStarted(T, NOW); // a count left one low is repaired by the next send
        r.r1 = "ticket=" + kept + " T=" + t + " next=" + count(T) + " C=" + count(C);
    }

    private String count(final long site)
    {
        final long handle = tracker.tables().sites().find(site, 0, 0);
        return handle == RecordTable.NOT_FOUND ? "gone" : Long.toString(OutstandingRequests.countVolatile(
            tracker.buffer(), tracker.tables().sites().recordOffset(RecordTable.record(handle))));
    }
}
