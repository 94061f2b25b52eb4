package ai.bytesandbrains.rtt;

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
 * Contract §3 clause 2, budget form: {@link RttTracker#estimateBudgetNs(long, long)} racing an observe
 * of a warm site returns the budget of the whole old or the whole new site EMA, never one built from
 * srtt of one state and rttvar of another.
 *
 * <p>Result: {@code estimate=<old|new> site=<new> count=<n> canary=<ok|HIT>}.
 */
@JCStressTest
@Description("Clause 2: a budget estimate racing an observe is the old or the new budget")
@Outcome(id = "estimate=old site=new count=4 canary=ok", expect = ACCEPTABLE, desc = "estimate before the observe")
@Outcome(id = "estimate=new site=new count=4 canary=ok", expect = ACCEPTABLE, desc = "estimate after the observe")
@Outcome(expect = FORBIDDEN, desc = "torn budget, lost update or overwrite")
@State
public class SiteEstimateVsObserveTest
{
    static final long SITE = 11;
    static final long SEED = 2_000;
    static final long SAMPLE = 40_000;
    static final long DEFAULT = 999_999_999;
    static final long OLD = EmaWord.update(EmaWord.update(EmaWord.update(EmaWord.EMPTY, SEED), SEED), SEED);
    static final long NEW = EmaWord.update(OLD, SAMPLE);

    static
    {
        Outcomes.requireDistinct(EmaWord.budgetNs(OLD), EmaWord.budgetNs(NEW), "old and new budget");
    }

    final TrackerFixture fixture = new TrackerFixture();
    long estimate;

    public SiteEstimateVsObserveTest()
    {
        for (int i = 0; i < 3; i++)
        {
            fixture.tracker.observeRoundTrip(SITE, SEED, 1_000 + i);
        }
    }

    @Actor
    public void writer()
    {
        fixture.tracker.observeRoundTrip(SITE, SAMPLE, 2_000);
    }

    @Actor
    public void reader()
    {
        estimate = fixture.tracker.estimateBudgetNs(SITE, DEFAULT);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "estimate=" + Outcomes.name(
            estimate, new long[]{EmaWord.budgetNs(OLD), EmaWord.budgetNs(NEW)}, new String[]{"old", "new"}) +
            " site=" + Outcomes.name(fixture.siteWord(SITE), NEW, "new") + " count=" + fixture.siteCount(SITE) +
            " canary=" + fixture.canary();
    }
}
