package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.ema.EmaShifts;
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
 * The priors' thread-owned stripes ({@link StripedPrior}), contract §3 clauses 1, 2 and 10 on the new
 * cells: a reader of the published word sees a whole word some writer published, with a count (read
 * first) never ahead of it, on an owned stripe and on the shared cell; two writers' samples are all
 * counted, on owned stripes and on the shared cell, and the published word is one a stripe computed.
 */
public final class StripedPriorTests
{
    static final long S1 = 1_000;
    static final long S2 = 30_000;
    static final int GA = EmaShifts.GLOBAL_ALPHA_SHIFT;
    static final int GB = EmaShifts.GLOBAL_BETA_SHIFT;
    static final long ONE = EmaWord.update(EmaWord.EMPTY, S1, GA, GB);
    static final long TWO = EmaWord.update(ONE, S2, GA, GB);
    static final long[] WORDS = {EmaWord.EMPTY, ONE, TWO};
    static final String[] NAMES = {"empty", "one", "two"};

    static
    {
        Outcomes.requireAllDistinct(WORDS, "the published words");
    }

    private StripedPriorTests()
    {
    }

    static String publication(final PriorFixture fixture, final long count, final long word)
    {
        return "count=" + count + " word=" + Outcomes.name(word, WORDS, NAMES) +
            " final=" + Outcomes.name(fixture.globalWord(), TWO, "two") + " " + fixture.globalCount();
    }

    /** The writer owns its stripe (the first to write, on a fresh state): plain loads and release stores. */
    @JCStressTest
    @Description("Owned stripe: a reader sees a whole published word, its count (read first) never ahead of it")
    @Outcome(id = "count=0 word=(empty|one|two) final=two 2", expect = ACCEPTABLE, desc = "read before or during")
    @Outcome(id = "count=1 word=(one|two) final=two 2", expect = ACCEPTABLE, desc = "read between or during")
    @Outcome(id = "count=2 word=two final=two 2", expect = ACCEPTABLE, desc = "read after")
    @Outcome(expect = FORBIDDEN, desc = "torn or unknown word, a count ahead of its word, a lost count")
    @State
    public static class OwnedPublication
    {
        final PriorFixture fixture = new PriorFixture(8);
        long count;
        long word;

        @Actor
        public void writer()
        {
            fixture.prior.observeGlobal(S1);
            fixture.prior.observeGlobal(S2);
        }

        @Actor
        public void reader()
        {
            count = fixture.globalCount();
            word = fixture.globalWord();
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = publication(fixture, count, word);
        }
    }

    /** Every stripe belongs to another thread: the writer goes through the shared cell's CAS and publishes. */
    @JCStressTest
    @Description("Shared cell: a reader sees a whole published word, its count (read first) never ahead of it")
    @Outcome(id = "count=0 word=(empty|one|two) final=two 2", expect = ACCEPTABLE, desc = "read before or during")
    @Outcome(id = "count=1 word=(one|two) final=two 2", expect = ACCEPTABLE, desc = "read between or during")
    @Outcome(id = "count=2 word=two final=two 2", expect = ACCEPTABLE, desc = "read after")
    @Outcome(expect = FORBIDDEN, desc = "torn or unknown word, a count ahead of its word, a lost count")
    @State
    public static class SharedPublication
    {
        final PriorFixture fixture = new PriorFixture(2);
        long count;
        long word;

        public SharedPublication()
        {
            fixture.ownAllStripesElsewhere();
        }

        @Actor
        public void writer()
        {
            fixture.prior.observeGlobal(S1);
            fixture.prior.observeGlobal(S2);
        }

        @Actor
        public void reader()
        {
            count = fixture.globalCount();
            word = fixture.globalWord();
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = publication(fixture, count, word);
        }
    }

    static final long A1 = 1_000;
    static final long A2 = 2_000;
    static final long B1 = 50_000;
    static final long B2 = 70_000;
    /** Every word either prior can publish last (see {@link PriorFixture#lastPublished}). */
    static final long[] GLOBAL_LAST = PriorFixture.lastPublished(A1, A2, B1, B2, GA, GB);
    static final long[] CHAIN_LAST = PriorFixture.lastPublished(
        A1, A2, B1, B2, EmaShifts.DEFAULT_ALPHA_SHIFT, EmaShifts.DEFAULT_BETA_SHIFT);

    /** One writer's observe: the chain prior then the global prior, through its own stripe, as RttTracker does. */
    static void observe(final PriorFixture fixture, final long sample)
    {
        final int stripe = fixture.prior.stripe();
        fixture.prior.observeChain(stripe, fixture.chain, sample);
        fixture.prior.observeGlobal(stripe, sample);
    }

    static String counts(final PriorFixture fixture)
    {
        return "global=" + fixture.globalCount() + " " + whole(fixture.globalWord(), GLOBAL_LAST) +
            " chain=" + fixture.chainCount() + " " + whole(fixture.chainWord(), CHAIN_LAST);
    }

    private static String whole(final long word, final long[] candidates)
    {
        for (final long candidate : candidates)
        {
            if (word == candidate)
            {
                return "whole";
            }
        }
        return "0x" + Long.toHexString(word);
    }

    /** One stripe: the first writer owns it, the other goes through the shared cell. */
    @JCStressTest
    @Description("Owned stripe and shared cell: two writers' samples all counted, a whole stripe's word published")
    @Outcome(id = "global=4 whole chain=4 whole owned", expect = ACCEPTABLE, desc = "exact counts, a stripe's word")
    @Outcome(expect = FORBIDDEN, desc = "lost count, unknown word, or no owner")
    @State
    public static class OwnedAndSharedCount
    {
        final PriorFixture fixture = new PriorFixture(1);

        @Actor
        public void actor1()
        {
            observe(fixture, A1);
            observe(fixture, A2);
        }

        @Actor
        public void actor2()
        {
            observe(fixture, B1);
            observe(fixture, B2);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = counts(fixture) + (StripedPrior.owner(fixture.buffer, 0) != 0 ? " owned" : " unowned");
        }
    }

    /** Many stripes: the writers most often own one each (a collision sends one to the shared cell). */
    @JCStressTest
    @Description("Owned stripes: two writers' samples all counted, a whole stripe's word published")
    @Outcome(id = "global=4 whole chain=4 whole", expect = ACCEPTABLE, desc = "exact counts, a stripe's word")
    @Outcome(expect = FORBIDDEN, desc = "lost count or unknown word")
    @State
    public static class OwnedStripesCount
    {
        final PriorFixture fixture = new PriorFixture(64);

        @Actor
        public void actor1()
        {
            observe(fixture, A1);
            observe(fixture, A2);
        }

        @Actor
        public void actor2()
        {
            observe(fixture, B1);
            observe(fixture, B2);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = counts(fixture);
        }
    }
}
