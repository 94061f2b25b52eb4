package ai.bytesandbrains.rtt;


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
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Estimates racing {@link RttTracker#evictSite} of a warm site: an estimate reads the tier's one EMA
 * word, then checks the record's generation ({@code RecordTable.isCurrent}); a word read from a record
 * the eviction had begun to remove (its payload possibly zeroed) counts as absent and the estimate
 * falls through to the next tier. So the answer is the evicted tier's budget or the next warm tier's,
 * never the budget of a zeroed, partial or reused word. Every budget a tier could give is distinct
 * (checked in the static initialiser), so a wrong tier cannot print as a right one.
 */
public final class EvictVsEstimateTests
{
    static final long S = 0x5E_0002L;
    static final long OTHER = 0x5E_0003L;
    static final long CHAIN = 0xC4A1_0000_0000_0009L;
    static final long SEED = 2_000;
    static final long SITE_ONLY = 30_000;
    static final long OTHER_SAMPLE = 7_000;
    static final long DEFAULT = 999_999_999;

    private EvictVsEstimateTests()
    {
    }

    static String budget(final long actual, final long[] words, final String[] names)
    {
        final long[] budgets = new long[words.length];
        for (int i = 0; i < words.length; i++)
        {
            budgets[i] = EmaWord.budgetNs(words[i]);
        }
        return Outcomes.name(actual, budgets, names);
    }

    static void requireAllDistinct(final long... words)
    {
        for (int i = 0; i < words.length; i++)
        {
            for (int j = i + 1; j < words.length; j++)
            {
                Outcomes.requireDistinct(EmaWord.budgetNs(words[i]), EmaWord.budgetNs(words[j]), "two tier budgets");
            }
            Outcomes.requireDistinct(EmaWord.budgetNs(words[i]), DEFAULT, "a tier budget and the static default");
        }
    }

    /**
     * The no-chain estimate: site tier, then the global prior (warm: the canary's sample and S's three),
     * then the static default. S has three samples; the estimate returns S's budget (read before the
     * removal's state CAS, or read and still current) or the global prior's (S gone, or its word read
     * after the CAS, possibly zeroed, and rejected by the generation check). ACCEPTABLE: those two.
     * FORBIDDEN: the static default (the global prior is warm and untouched by evictions), a zero or any
     * other budget, S still tracked, a lost or leaked record, an eviction count other than 1, a changed
     * global prior, a disturbed canary.
     *
     * <p>Result: {@code estimate=<site|global> evicted=true S=gone sites=1 free=3 removed=1 global=4
     * canary=<ok|HIT>}.
     */
    @JCStressTest
    @Description("Eviction vs no-chain estimate: the site's budget or the global prior's, nothing else")
    @Outcome(id = "estimate=site evicted=true S=gone sites=1 free=3 removed=1 global=4 canary=ok",
        expect = ACCEPTABLE, desc = "the estimate read S's word before its removal began")
    @Outcome(id = "estimate=global evicted=true S=gone sites=1 free=3 removed=1 global=4 canary=ok",
        expect = ACCEPTABLE, desc = "S was gone, or its word was rejected by the generation check: fall-through")
    @Outcome(expect = FORBIDDEN, desc = "a zeroed, partial or default budget, a surviving site, leaked record or miscount")
    @State
    public static class SiteTier
    {
        static final long SITE = TierEstimateTests.rfc(SEED, SEED, SEED);
        static final long GLOBAL = TierEstimateTests.global(EmaWord.EMPTY, TrackerFixture.CANARY_ELAPSED, SEED, SEED, SEED);

        static
        {
            requireAllDistinct(SITE, GLOBAL);
        }

        final TrackerFixture fixture = new TrackerFixture();
        long estimate;
        boolean evicted;

        public SiteTier()
        {
            for (int i = 1; i <= 3; i++)
            {
                fixture.tracker.observeRoundTrip(S, SEED, 1_000L * i);
            }
        }

        @Actor
        public void estimator()
        {
            estimate = fixture.tracker.estimateBudgetNs(S, DEFAULT);
        }

        @Actor
        public void evictor()
        {
            evicted = fixture.tracker.evictSite(S);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "estimate=" + budget(estimate, new long[]{SITE, GLOBAL}, new String[]{"site", "global"}) +
                " evicted=" + evicted + " S=" + (fixture.siteWord(S) == -1 ? "gone" : "tracked") +
                " " + fixture.siteTable() +
                " global=" + Outcomes.name(fixture.globalWord(), GLOBAL, "") +
                fixture.globalCount() +
                " canary=" + fixture.canary();
        }
    }

    /**
     * The chain estimate: edge, site, chain prior, global prior, static default, each tier with a
     * distinct budget. S has an edge {@code (S, CHAIN, 0)} of three samples and a site EMA of four (the
     * three plus one without chain context); the chain prior has four (S's three and one of OTHER, which
     * also has an edge of its own that must survive). {@link RttTracker#evictSite} removes S's site
     * record first and then its edges, so an estimate that finds the edge gone (or rejects its word by
     * generation) finds the site gone as well: both removals are CASes, the edge's after the site's, and
     * the estimate's volatile read that saw the edge's removal makes the site's visible. ACCEPTABLE: the
     * edge's budget or the chain prior's. FORBIDDEN: the site's budget (it would mean the edge's removal
     * was seen but not the site's, earlier, one; derived from this order of removals, which a change of
     * {@code evictSite} would have to revisit), the global prior, the default, any other value; any
     * final state other than S and its edge gone with OTHER's edge, the chain prior and the global prior
     * intact.
     *
     * <p>Result: {@code estimate=<edge|chain> evicted=true S=gone sites=2 free=2 removed=1 edges=1/1
     * chain=4 canary=<ok|HIT>}.
     */
    @JCStressTest
    @Description("Eviction vs chain estimate: the edge's budget or the chain prior's; the site tier goes first")
    @Outcome(id = "estimate=edge evicted=true S=gone sites=2 free=2 removed=1 edges=1/1 chain=4 canary=ok",
        expect = ACCEPTABLE, desc = "the estimate read S's edge before its removal began")
    @Outcome(id = "estimate=chain evicted=true S=gone sites=2 free=2 removed=1 edges=1/1 chain=4 canary=ok",
        expect = ACCEPTABLE, desc = "S's edge gone or rejected by generation, and so its site: the chain prior")
    @Outcome(expect = FORBIDDEN,
        desc = "the site tier after its edge's removal, a zeroed, partial, global or default budget, leaked record or miscount")
    @State
    public static class EdgeTier
    {
        static final long EDGE = TierEstimateTests.rfc(SEED, SEED, SEED);
        static final long SITE = TierEstimateTests.rfc(SEED, SEED, SEED, SITE_ONLY);
        static final long CHAIN_PRIOR = TierEstimateTests.rfc(SEED, SEED, SEED, OTHER_SAMPLE);
        static final long GLOBAL = TierEstimateTests.global(
            EmaWord.EMPTY, TrackerFixture.CANARY_ELAPSED, SEED, SEED, SEED, SITE_ONLY, OTHER_SAMPLE);

        static
        {
            requireAllDistinct(EDGE, SITE, CHAIN_PRIOR, GLOBAL);
        }

        final TrackerFixture fixture = new TrackerFixture();
        long estimate;
        boolean evicted;

        public EdgeTier()
        {
            for (int i = 1; i <= 3; i++)
            {
                fixture.tracker.observeRoundTrip(S, CHAIN, 0, SEED, 1_000L * i);
            }
            fixture.tracker.observeRoundTrip(S, SITE_ONLY, 4_000);
            fixture.tracker.observeRoundTrip(OTHER, CHAIN, 1, OTHER_SAMPLE, 4_000);
        }

        @Actor
        public void estimator()
        {
            estimate = fixture.tracker.estimateBudgetNs(S, CHAIN, 0, DEFAULT);
        }

        @Actor
        public void evictor()
        {
            evicted = fixture.tracker.evictSite(S);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            final long chain = fixture.chains.find(CHAIN, 0, 0);
            final long otherEdge = fixture.edges.find(OTHER, CHAIN, 1);
            r.r1 = "estimate=" + budget(estimate, new long[]{EDGE, SITE, CHAIN_PRIOR, GLOBAL},
                new String[]{"edge", "site", "chain", "global"}) +
                " evicted=" + evicted + " S=" + (fixture.siteWord(S) == -1 ? "gone" : "tracked") +
                " " + fixture.siteTable() +
                " edges=" + fixture.edges.size() + "/" + fixture.tracker.evictedEdgeCount() +
                (fixture.edges.find(S, CHAIN, 0) == RecordTable.NOT_FOUND ? "" : "+S") +
                (otherEdge == RecordTable.NOT_FOUND ? "-OTHER" :
                Outcomes.name(fixture.emaWord(fixture.edges, RecordTable.record(otherEdge)),
                EmaWord.update(EmaWord.EMPTY, OTHER_SAMPLE), "")) +
                " chain=" + (chain == RecordTable.NOT_FOUND ? "gone" :
                Outcomes.name(fixture.emaWord(fixture.chains, RecordTable.record(chain)), CHAIN_PRIOR, "") +
                fixture.emaCount(fixture.chains, RecordTable.record(chain))) +
                " canary=" + fixture.canary();
        }
    }
}
