package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.ema.EmaWord;

import ai.bytesandbrains.rtt.stress.Outcomes;
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
 * Contract §3 clause 1: two concurrent {@link AtomicEma#observe} calls on one EMA word end in the state
 * one of the two sequential orders gives, with the exact sample count. One test per warm-up phase of
 * the word (cold: 0 samples before, warming: 1, warm: 3), since {@link EmaWord#update} takes a
 * different path in each.
 *
 * <p>Arbiter result: {@code word=<order> count=<n> canaries=<ok|HIT>}, where order {@code s1s2} is
 * {@code update(update(seed, S1), S2)} and {@code s2s1} the other order, both computed with the real
 * {@link EmaWord}; any other word prints in hex.
 */
public final class AtomicEmaObserveTests
{
    static final long S1 = 1_000;
    static final long S2 = 3_000;
    static final long SEED = 2_000;

    private AtomicEmaObserveTests()
    {
    }

    static String finalState(final EmaCell cell, final long[] orders, final long seedCount)
    {
        return "word=" + Outcomes.name(cell.word(), orders, new String[]{"s1s2", "s2s1"}) +
            " count=" + (cell.count() - seedCount) + " canaries=" + cell.canaries();
    }

    static long[] orders(final long seed)
    {
        final long s1s2 = EmaWord.update(EmaWord.update(seed, S1), S2);
        final long s2s1 = EmaWord.update(EmaWord.update(seed, S2), S1);
        Outcomes.requireDistinct(s1s2, s2s1, "the two orders");
        return new long[]{s1s2, s2s1};
    }

    /** Both observes on an empty word: one initialises it, the other applies the RFC 6298 step. */
    @JCStressTest
    @Description("Clause 1, cold EMA: two racing observes linearise; count exact")
    @Outcome(id = "word=s1s2 count=2 canaries=ok", expect = ACCEPTABLE, desc = "S1 then S2")
    @Outcome(id = "word=s2s1 count=2 canaries=ok", expect = ACCEPTABLE, desc = "S2 then S1")
    @Outcome(expect = FORBIDDEN, desc = "lost update, torn word, lost count or overwrite")
    @State
    public static class Cold
    {
        static final long[] ORDERS = orders(EmaWord.EMPTY);
        final EmaCell cell = new EmaCell();

        @Actor
        public void actor1()
        {
            cell.observe(S1);
        }

        @Actor
        public void actor2()
        {
            cell.observe(S2);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = finalState(cell, ORDERS, 0);
        }
    }

    /** One sample already in: the race takes the word from warming (1) through 2 to warm (3). */
    @JCStressTest
    @Description("Clause 1, warming EMA: two racing observes linearise; count exact")
    @Outcome(id = "word=s1s2 count=2 canaries=ok", expect = ACCEPTABLE, desc = "S1 then S2")
    @Outcome(id = "word=s2s1 count=2 canaries=ok", expect = ACCEPTABLE, desc = "S2 then S1")
    @Outcome(expect = FORBIDDEN, desc = "lost update, torn word, lost count or overwrite")
    @State
    public static class Warming
    {
        static final long[] ORDERS = orders(EmaCell.seededWord(SEED));
        final EmaCell cell = new EmaCell(SEED);

        @Actor
        public void actor1()
        {
            cell.observe(S1);
        }

        @Actor
        public void actor2()
        {
            cell.observe(S2);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = finalState(cell, ORDERS, 1);
        }
    }

    /** Three samples already in: both observes are plain RFC 6298 steps on a warm word. */
    @JCStressTest
    @Description("Clause 1, warm EMA: two racing observes linearise; count exact")
    @Outcome(id = "word=s1s2 count=2 canaries=ok", expect = ACCEPTABLE, desc = "S1 then S2")
    @Outcome(id = "word=s2s1 count=2 canaries=ok", expect = ACCEPTABLE, desc = "S2 then S1")
    @Outcome(expect = FORBIDDEN, desc = "lost update, torn word, lost count or overwrite")
    @State
    public static class Warm
    {
        static final long[] ORDERS = orders(EmaCell.seededWord(SEED, SEED, SEED));
        final EmaCell cell = new EmaCell(SEED, SEED, SEED);

        @Actor
        public void actor1()
        {
            cell.observe(S1);
        }

        @Actor
        public void actor2()
        {
            cell.observe(S2);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = finalState(cell, ORDERS, 3);
        }
    }
}
