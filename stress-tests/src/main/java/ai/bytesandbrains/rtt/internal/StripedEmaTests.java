package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.ema.EmaShifts;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.stress.Outcomes;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import java.nio.ByteBuffer;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * SEMANTICS §4, striped shared priors ({@link StripedEma}, the global prior): samples written to
 * different stripes are all in the merge, and a reader of the merge sees each cell whole with a count
 * that never leads the words it merged. Canary words before and after the striped EMA stay untouched.
 *
 * <p>Names: {@code s1} is stripe 0 holding S1 alone, {@code s2} stripe 1 holding S2 alone, {@code both}
 * their merge (count-weighted means), {@code none} the empty EMA.
 */
public final class StripedEmaTests
{
    static final long S1 = 1_000;
    static final long S2 = 30_000;
    static final int OFFSET = Long.BYTES;
    static final int AFTER_OFFSET = OFFSET + StripedEma.LENGTH;
    static final long ONLY_S1 = global(EmaWord.EMPTY, S1);
    static final long ONLY_S2 = global(EmaWord.EMPTY, S2);
    static final long BOTH = bothMerged();

    static
    {
        Outcomes.requireDistinct(ONLY_S1, ONLY_S2, "the two single cells");
        Outcomes.requireDistinct(ONLY_S1, BOTH, "stripe 0 alone and the merge");
        Outcomes.requireDistinct(ONLY_S2, BOTH, "stripe 1 alone and the merge");
    }

    private StripedEmaTests()
    {
    }

    static long global(final long word, final long sample)
    {
        return EmaWord.update(word, sample, EmaShifts.GLOBAL_ALPHA_SHIFT, EmaShifts.GLOBAL_BETA_SHIFT);
    }

    private static long bothMerged()
    {
        final AtomicBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(StripedEma.LENGTH));
        observe(scratch, 0, 0, S1);
        observe(scratch, 0, 1, S2);
        return StripedEma.word(scratch, 0);
    }

    static void observe(final AtomicBuffer buffer, final int offset, final int stripe, final long sample)
    {
        StripedEma.observe(buffer, offset, stripe, sample, EmaShifts.GLOBAL_ALPHA_SHIFT, EmaShifts.GLOBAL_BETA_SHIFT);
    }

    static String name(final long word)
    {
        return Outcomes.name(word, new long[]{EmaWord.EMPTY, ONLY_S1, ONLY_S2, BOTH}, new String[]{"none", "s1", "s2", "both"});
    }

    /** A striped EMA between two canary words. */
    static AtomicBuffer guarded()
    {
        final AtomicBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(AFTER_OFFSET + Long.BYTES));
        buffer.putLong(0, Outcomes.CANARY);
        buffer.putLong(AFTER_OFFSET, Outcomes.CANARY);
        return buffer;
    }

    static String finalState(final AtomicBuffer buffer)
    {
        final long count = StripedEma.sampleCount(buffer, OFFSET); // count first, as every reader does
        return "final=" + name(StripedEma.word(buffer, OFFSET)) + " " + count + " canaries=" +
            Outcomes.canaries(buffer.getLongVolatile(0), buffer.getLongVolatile(AFTER_OFFSET));
    }

    /** Two threads on different stripes observe at once: both samples end in the merge, count 2. */
    @JCStressTest
    @Description("§4 striped prior: writers on two stripes: both samples in the merge, exact count, no overwrite")
    @Outcome(id = "final=both 2 canaries=ok", expect = ACCEPTABLE, desc = "both cells merged")
    @Outcome(expect = FORBIDDEN, desc = "a lost or unmerged cell, a wrong count or an overwrite")
    @State
    public static class TwoStripes
    {
        final AtomicBuffer buffer = guarded();

        @Actor
        public void writer1()
        {
            observe(buffer, OFFSET, 0, S1);
        }

        @Actor
        public void writer2()
        {
            observe(buffer, OFFSET, 1, S2);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = finalState(buffer);
        }
    }

    /**
     * Stripe 0 holds S1; a writer adds S2 to stripe 1 while a reader reads the merge (count, then words):
     * the reader sees stripe 0 alone or the merge, with a count that may lag (1 with the merge), never
     * lead (2 with stripe 0 alone); the final merge holds both.
     */
    @JCStressTest
    @Description("§4 striped prior: a merge read racing a write to another stripe: whole cells, count never ahead")
    @Outcome(id = "read=s1 1 final=both 2 canaries=ok", expect = ACCEPTABLE, desc = "read before the write")
    @Outcome(id = "read=both 1 final=both 2 canaries=ok", expect = ACCEPTABLE,
        desc = "read between the write's CAS and its count: the count lags")
    @Outcome(id = "read=both 2 final=both 2 canaries=ok", expect = ACCEPTABLE,
        desc = "read after the write")
    @Outcome(expect = FORBIDDEN, desc = "a lost or unmerged cell, a count ahead of the words, a torn word or an overwrite")
    @State
    public static class WriteVsRead
    {
        final AtomicBuffer buffer = guarded();
        String read;

        public WriteVsRead()
        {
            observe(buffer, OFFSET, 0, S1);
        }

        @Actor
        public void writer()
        {
            observe(buffer, OFFSET, 1, S2);
        }

        @Actor
        public void reader()
        {
            final long count = StripedEma.sampleCount(buffer, OFFSET); // count first, as every reader does
            read = name(StripedEma.word(buffer, OFFSET)) + " " + count;
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "read=" + read + " " + finalState(buffer);
        }
    }
}
