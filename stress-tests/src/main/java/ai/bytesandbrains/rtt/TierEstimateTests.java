package ai.bytesandbrains.rtt;


import ai.bytesandbrains.rtt.ema.EmaShifts;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.stress.Outcomes;
import ai.bytesandbrains.rtt.internal.RecordTable;
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
 * Contract §3 clauses 8 and 10 on the shared tiers: an observe racing an estimate that falls to the
 * chain prior or the global prior, and two observes racing on the global prior. The priors are
 * striped (StripedPrior): no sample is ever skipped from the count, and a reader sees a whole word some
 * stripe published; with two racing writers that word is the EMA of the last publisher's stripe.
 */
public final class TierEstimateTests
{
    static final long SEED = 2_000;
    static final long SAMPLE = 40_000;
    static final long DEFAULT = 999_999_999;
    static final long CHAIN = 0xC4A1_0000_0000_0003L;
    static final long WARM_SITE = 51;
    static final long OTHER_SITE = 52;
    static final long QUERY_SITE = 53;

    static final long CHAIN_OLD = rfc(SEED, SEED, SEED);
    static final long CHAIN_NEW = EmaWord.update(CHAIN_OLD, SAMPLE);
    // The fixture's canary observe is the global prior's first sample.
    static final long GLOBAL_OLD = global(EmaWord.EMPTY, TrackerFixture.CANARY_ELAPSED, SEED, SEED, SEED);
    static final long GLOBAL_NEW = global(GLOBAL_OLD, SAMPLE);

    static
    {
        Outcomes.requireDistinct(EmaWord.budgetNs(CHAIN_OLD), EmaWord.budgetNs(CHAIN_NEW), "chain budgets");
        Outcomes.requireDistinct(EmaWord.budgetNs(GLOBAL_OLD), EmaWord.budgetNs(GLOBAL_NEW), "global budgets");
        // An estimate answered by the wrong tier must not print as the right one.
        for (final long chain : new long[]{CHAIN_OLD, CHAIN_NEW})
        {
            for (final long global : new long[]{GLOBAL_OLD, GLOBAL_NEW})
            {
                Outcomes.requireDistinct(EmaWord.budgetNs(chain), EmaWord.budgetNs(global), "chain and global budgets");
            }
        }
        for (final long word : new long[]{CHAIN_OLD, CHAIN_NEW, GLOBAL_OLD, GLOBAL_NEW})
        {
            Outcomes.requireDistinct(EmaWord.budgetNs(word), DEFAULT, "a tier budget and the static default");
        }
    }

    private TierEstimateTests()
    {
    }

    static long rfc(final long... samples)
    {
        long word = EmaWord.EMPTY;
        for (final long sample : samples)
        {
            word = EmaWord.update(word, sample);
        }
        return word;
    }

    static long global(final long from, final long... samples)
    {
        long word = from;
        for (final long sample : samples)
        {
            word = EmaWord.update(word, sample, EmaShifts.GLOBAL_ALPHA_SHIFT, EmaShifts.GLOBAL_BETA_SHIFT);
        }
        return word;
    }

    /** Three observes of WARM_SITE in CHAIN warm the chain prior and the global prior. */
    static TrackerFixture warmed()
    {
        final TrackerFixture fixture = new TrackerFixture();
        for (int i = 0; i < 3; i++)
        {
            fixture.tracker.observeRoundTrip(WARM_SITE, CHAIN, 0, SEED, 1_000 + i);
        }
        return fixture;
    }

    static String chainAndGlobal(final TrackerFixture fixture)
    {
        final int chain = RecordTable.record(fixture.chains.find(CHAIN, 0, 0));
        final long chainWord = chain == RecordTable.NOT_FOUND ? -1 : fixture.emaWord(fixture.chains, chain);
        final long chainCount = chain == RecordTable.NOT_FOUND ? -1 : fixture.emaCount(fixture.chains, chain);
        final long globalCount = fixture.globalCount();
        final long globalWord = fixture.globalWord();
        return "chain=" + Outcomes.name(chainWord, CHAIN_NEW, "new") + " " + chainCount +
            " global=" + Outcomes.name(globalWord, GLOBAL_NEW, "new") + " " + globalCount;
    }

    /**
     * An estimate for hop 1 of CHAIN to a site the tracker does not know: no edge, no site, so it is
     * answered by the chain prior, which a racing observe (another site, same chain) updates.
     */
    @JCStressTest
    @Description("Clause 8: an estimate answered by the chain prior racing an observe is the old or new chain budget")
    @Outcome(id = "estimate=(old|new) chain=new 4 global=new 5 canary=ok", expect = ACCEPTABLE,
        desc = "whole old or whole new chain prior")
    @Outcome(expect = FORBIDDEN, desc = "torn chain word, wrong tier, lost sample or overwrite")
    @State
    public static class ChainTier
    {
        final TrackerFixture fixture = warmed();
        long estimate;

        @Actor
        public void writer()
        {
            fixture.tracker.observeRoundTrip(OTHER_SITE, CHAIN, 2, SAMPLE, 2_000);
        }

        @Actor
        public void reader()
        {
            estimate = fixture.tracker.estimateBudgetNs(QUERY_SITE, CHAIN, 1, DEFAULT);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "estimate=" + Outcomes.name(estimate,
                new long[]{EmaWord.budgetNs(CHAIN_OLD), EmaWord.budgetNs(CHAIN_NEW)}, new String[]{"old", "new"}) +
                " " + chainAndGlobal(fixture) + " canary=" + fixture.canary();
        }
    }

    /**
     * An estimate with no chain context for an unknown site is answered by the global prior, which a
     * racing observe without chain context updates (after the other site's own EMA).
     */
    @JCStressTest
    @Description("Clause 8: an estimate answered by the global prior racing an observe is the old or new budget")
    @Outcome(id = "estimate=(old|new) chain=old 3 global=new 5 canary=ok", expect = ACCEPTABLE,
        desc = "whole old or whole new global prior; chain untouched")
    @Outcome(expect = FORBIDDEN, desc = "torn global word, wrong tier, lost sample or overwrite")
    @State
    public static class GlobalTier
    {
        final TrackerFixture fixture = warmed();
        long estimate;

        @Actor
        public void writer()
        {
            fixture.tracker.observeRoundTrip(OTHER_SITE, SAMPLE, 2_000);
        }

        @Actor
        public void reader()
        {
            estimate = fixture.tracker.estimateBudgetNs(QUERY_SITE, DEFAULT);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "estimate=" + Outcomes.name(estimate,
                new long[]{EmaWord.budgetNs(GLOBAL_OLD), EmaWord.budgetNs(GLOBAL_NEW)}, new String[]{"old", "new"}) +
                " " + chainAndGlobal(fixture).replace("chain=0x" + Long.toHexString(CHAIN_OLD), "chain=old") +
                " canary=" + fixture.canary();
        }
    }

    /**
     * Two observes of different sites race on the global prior: no sample is skipped from the count, which
     * is exact. The global prior is striped (StripedPrior): each thread applies its sample, with shifts
     * (6, 5), to its own stripe, which joined from the published word, and publishes the result; the
     * published word is the last publisher's: both samples in one of the two orders when one thread joined
     * after the other published, else one sample on the warmed prior. Never a torn or an older word.
     */
    @JCStressTest
    @Description("Clauses 1, 10: racing observes on the global prior: both counted, the last publisher's whole word")
    @Outcome(id = "global=(s1s2|s2s1) count=6 canary=ok", expect = ACCEPTABLE, desc = "both samples, some order")
    @Outcome(id = "global=(s1|s2) count=6 canary=ok", expect = ACCEPTABLE_INTERESTING,
        desc = "documented (striped priors): both stripes joined from the warmed prior; the last publisher's word " +
            "has its own sample, the count both")
    @Outcome(expect = FORBIDDEN, desc = "lost count, torn word, the old word, or an overwrite")
    @State
    public static class GlobalPriorContention
    {
        static final long S1 = 1_000;
        static final long S2 = 30_000;
        static final long[] ORDERS = {
            global(GLOBAL_OLD, S1, S2), global(GLOBAL_OLD, S2, S1), global(GLOBAL_OLD, S1), global(GLOBAL_OLD, S2)};

        static
        {
            Outcomes.requireAllDistinct(ORDERS, "the global orders and single samples");
        }

        final TrackerFixture fixture = warmed();

        @Actor
        public void actor1()
        {
            fixture.tracker.observeRoundTrip(OTHER_SITE, S1, 2_000);
        }

        @Actor
        public void actor2()
        {
            fixture.tracker.observeRoundTrip(QUERY_SITE, S2, 2_000);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            // Global count: the canary's observe, 3 warm-up observes and the 2 racing ones.
            r.r1 = "global=" + Outcomes.name(fixture.globalWord(),
                ORDERS, new String[]{"s1s2", "s2s1", "s1", "s2"}) +
                " count=" + fixture.globalCount() +
                " canary=" + fixture.canary();
        }
    }
}
