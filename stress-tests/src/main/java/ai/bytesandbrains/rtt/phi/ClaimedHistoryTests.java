package ai.bytesandbrains.rtt.phi;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import static ai.bytesandbrains.rtt.phi.HeartbeatHistoryTests.A;
import static ai.bytesandbrains.rtt.phi.HeartbeatHistoryTests.B;
import static ai.bytesandbrains.rtt.phi.HeartbeatHistoryTests.C;
import static ai.bytesandbrains.rtt.phi.HeartbeatHistoryTests.V1;
import static ai.bytesandbrains.rtt.phi.HeartbeatHistoryTests.V2;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The claim split of {@link HeartbeatHistory}: the writer holding its owner's claim records with plain
 * loads and release stores on {@code completed} and {@code sum} ({@link HeartbeatHistory#recordClaimedAt}),
 * while a writer that found the owner claimed records atomically on the contended pair
 * ({@link HeartbeatHistory#recordAt}). The totals must stay what one atomic protocol gives: counters,
 * ring and sum consistent once both finish, and a mean read racing the claimant from a quiescent view or
 * counted. {@code broken.BrokenClaimedHistoryTest} is {@link ClaimantVersusContended} with two claimants
 * and no claim, which loses a count or a sum update.
 */
public final class ClaimedHistoryTests
{
    private ClaimedHistoryTests()
    {
    }

    /** A full ring of 3: the claimant's and the contended record take distinct positions (0 and 1). */
    @JCStressTest
    @Description("Claim split: a claimant's and a contended record keep counters, ring and the two sums consistent")
    @Outcome(id = "ring=1000,5000,300 sum=ring claimed=5 completed=5 canaries=ok", expect = ACCEPTABLE,
        desc = "the claimant claimed its position first")
    @Outcome(id = "ring=5000,1000,300 sum=ring claimed=5 completed=5 canaries=ok", expect = ACCEPTABLE,
        desc = "the contended writer claimed its position first")
    @Outcome(expect = FORBIDDEN, desc = "lost value, wrong sum total, lost count or overwrite")
    @State
    public static class ClaimantVersusContended
    {
        final HistoryBuffer history = new HistoryBuffer(3, A, B, C);

        @Actor
        public void claimant()
        {
            history.recordClaimed(V1);
        }

        @Actor
        public void contended()
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
     * A ring of 1: both records land on one position. The swap hands each the exact value it evicts, so
     * the two partial sums still add up to the one value the ring keeps, whichever writer swapped last.
     */
    @JCStressTest
    @Description("Claim split: a claimant and a contended record on one position: the sums add up to the ring")
    @Outcome(id = "ring=1000 sum=ring claimed=3 completed=3 canaries=ok", expect = ACCEPTABLE, desc = "claimant swapped last")
    @Outcome(id = "ring=5000 sum=ring claimed=3 completed=3 canaries=ok", expect = ACCEPTABLE, desc = "contended swapped last")
    @Outcome(expect = FORBIDDEN, desc = "sum total out of step with the ring, lost count or overwrite")
    @State
    public static class ClaimantVersusContendedSamePosition
    {
        final HistoryBuffer history = new HistoryBuffer(1, A);

        @Actor
        public void claimant()
        {
            history.recordClaimed(V1);
        }

        @Actor
        public void contended()
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
     * A mean racing a claimant's record, as {@code HeartbeatHistoryTests.MeanWhileRecording} races an atomic
     * one: the claimant's release stores (sum, then completed) keep the reader's quiescence proof.
     */
    @JCStressTest
    @Description("Claim split: a mean racing a claimant's record is the old or new mean; a mixed view is counted")
    @Outcome(id = "mean=old nq=0 final=new canaries=ok", expect = ACCEPTABLE, desc = "read before the record")
    @Outcome(id = "mean=new nq=0 final=new canaries=ok", expect = ACCEPTABLE, desc = "read after the record")
    @Outcome(id = "mean=(old|mixed) nq=1 final=new canaries=ok", expect = ACCEPTABLE_INTERESTING,
        desc = "documented: no quiescent view in 16 attempts; the last view was used and counted")
    @Outcome(expect = FORBIDDEN, desc = "uncounted mixed view, wrong mean or overwrite")
    @State
    public static class MeanWhileClaimantRecords
    {
        static final double OLD = A;
        static final double NEW = (A + V1) / 2.0;
        static final double MIXED = A + V1;

        final HistoryBuffer history = new HistoryBuffer(4, A);
        double mean;

        @Actor
        public void claimant()
        {
            history.recordClaimed(V1);
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

    /**
     * A mean racing a claimant's record followed by a contended one (one writer, both word pairs changing
     * while the reader reads them; jcstress needs a core per actor, so the two writers share one). A
     * quiescent view is the mean before both, after the first, or after both; any other view was counted.
     */
    @JCStressTest
    @Description("Claim split: a mean racing records on both word pairs is a real state or counted")
    @Outcome(id = "mean=(old|v1|both) nq=0 final=both canaries=ok", expect = ACCEPTABLE,
        desc = "a quiescent view: before both records, after the claimant's, or after both")
    @Outcome(id = "mean=\\S+ nq=1 final=both canaries=ok", expect = ACCEPTABLE_INTERESTING,
        desc = "documented: no quiescent view in 16 attempts; the last view was used and counted")
    @Outcome(expect = FORBIDDEN, desc = "an uncounted mixed view, a wrong final mean or overwrite")
    @State
    public static class MeanWhileBothPathsRecord
    {
        static final double OLD = A;
        static final double AFTER_V1 = (A + V1) / 2.0;
        static final double BOTH = (A + V1 + V2) / 3.0;

        final HistoryBuffer history = new HistoryBuffer(4, A);
        double mean;

        @Actor
        public void writer()
        {
            history.recordClaimed(V1);
            history.record(V2);
        }

        @Actor
        public void reader()
        {
            mean = history.mean();
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            final String seen = mean == OLD ? "old" : mean == AFTER_V1 ? "v1" : mean == BOTH ? "both" : Double.toString(mean);
            final double finalMean = history.mean();
            r.r1 = "mean=" + seen + " nq=" + history.nonQuiescentReads() +
                " final=" + (finalMean == BOTH ? "both" : Double.toString(finalMean)) + " canaries=" + history.canaries();
        }
    }
}
