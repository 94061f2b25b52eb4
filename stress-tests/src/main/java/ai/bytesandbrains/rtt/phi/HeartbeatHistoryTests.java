package ai.bytesandbrains.rtt.phi;

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
 * Contract §3 clause 6 on {@link HeartbeatHistory} itself: concurrent records leave the counters, the
 * ring and the running sum consistent, and a mean read racing a record is taken from a quiescent
 * view, or else counted as non-quiescent.
 *
 * <p>Values are small decimal numbers so the ring prints literally: {@code ring=p0,p1,...}, and
 * {@code sum=ring} when the running sum equals the sum of the ring (else the sum is printed).
 */
public final class HeartbeatHistoryTests
{
    static final long A = 100;
    static final long B = 200;
    static final long C = 300;
    static final long V1 = 1_000;
    static final long V2 = 5_000;

    private HeartbeatHistoryTests()
    {
    }

    /** A full ring of 3 takes two racing records on two distinct positions (0 and 1), evicting A, B. */
    @JCStressTest
    @Description("Clause 6: racing records on a full ring keep counters, ring and sum consistent")
    @Outcome(id = "ring=1000,5000,300 sum=ring claimed=5 completed=5 canaries=ok", expect = ACCEPTABLE,
        desc = "actor1 claimed first")
    @Outcome(id = "ring=5000,1000,300 sum=ring claimed=5 completed=5 canaries=ok", expect = ACCEPTABLE,
        desc = "actor2 claimed first")
    @Outcome(expect = FORBIDDEN, desc = "lost value, wrong sum, lost count or overwrite")
    @State
    public static class DistinctPositions
    {
        final HistoryBuffer history = new HistoryBuffer(3, A, B, C);

        @Actor
        public void actor1()
        {
            history.record(V1);
        }

        @Actor
        public void actor2()
        {
            history.record(V2);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = history.ringAndSum() + " claimed=" + history.claimed() + " completed=" + history.completed() +
                " canaries=" + history.canaries();
        }
    }

    /**
     * A ring of 1 makes both records land on the same position: the ring keeps one of them and the sum
     * still matches the ring (the swap hands each record the exact value it evicted).
     */
    @JCStressTest
    @Description("Clause 6: two records on one ring position: the ring keeps one, the sum matches it")
    @Outcome(id = "ring=1000 sum=ring claimed=3 completed=3 canaries=ok", expect = ACCEPTABLE, desc = "actor1 swapped last")
    @Outcome(id = "ring=5000 sum=ring claimed=3 completed=3 canaries=ok", expect = ACCEPTABLE, desc = "actor2 swapped last")
    @Outcome(expect = FORBIDDEN, desc = "sum out of step with the ring, lost count or overwrite")
    @State
    public static class SamePosition
    {
        final HistoryBuffer history = new HistoryBuffer(1, A);

        @Actor
        public void actor1()
        {
            history.record(V1);
        }

        @Actor
        public void actor2()
        {
            history.record(V2);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = history.ringAndSum() + " claimed=" + history.claimed() + " completed=" + history.completed() +
                " canaries=" + history.canaries();
        }
    }

    /**
     * A mean racing a record on a growing history (length 1 to 2): a quiescent view gives the old mean
     * A or the new mean (A + V1) / 2. Only a reader that found a record in flight on every attempt may
     * use its last view, and it must have counted that read. That view read {@code completed} first and
     * {@code claimed} last, so it is non-quiescent only with {@code completed = 1} (had it read 2, the
     * one racing record was complete and {@code claimed} could only be 2): the old mean (sum A) or the
     * mixed one (sum A + V1 over length 1), never the new mean.
     */
    @JCStressTest
    @Description("Clause 6: a mean racing a record is the old or new mean; a mixed view is always counted")
    @Outcome(id = "mean=old nq=0 final=new canaries=ok", expect = ACCEPTABLE, desc = "read before the record")
    @Outcome(id = "mean=new nq=0 final=new canaries=ok", expect = ACCEPTABLE, desc = "read after the record")
    @Outcome(id = "mean=(old|mixed) nq=1 final=new canaries=ok", expect = ACCEPTABLE_INTERESTING,
        desc = "documented: no quiescent view in 16 attempts; the last view (completed 1) was used and counted")
    @Outcome(expect = FORBIDDEN, desc = "uncounted mixed view, wrong mean or overwrite")
    @State
    public static class MeanWhileRecording
    {
        static final double OLD = A;
        static final double NEW = (A + V1) / 2.0;
        static final double MIXED = A + V1;

        final HistoryBuffer history = new HistoryBuffer(4, A);
        double mean;

        @Actor
        public void writer()
        {
            history.record(V1);
        }

        @Actor
        public void reader()
        {
            mean = history.mean();
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            final String seen = mean == OLD ? "old" : mean == NEW ? "new" : mean == MIXED ? "mixed" : Double.toString(mean);
            final double finalMean = history.mean();
            r.r1 = "mean=" + seen + " nq=" + history.nonQuiescentReads() +
                " final=" + (finalMean == NEW ? "new" : Double.toString(finalMean)) + " canaries=" + history.canaries();
        }
    }
}
