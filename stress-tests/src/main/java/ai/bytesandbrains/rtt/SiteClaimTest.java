package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.stress.Outcomes;
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
 * Site claims through the tracker: two observes of one seen site race. When they overlap, one holds the
 * site's claim and the other finds it claimed, pins the site and counts on the contended words; either
 * way both samples reach the EMA, the count (claimants' word plus contended word) is exact, the history
 * totals are consistent, and the claim is free again. {@code contended=} reports how many of the two
 * took the pinned path, so a run shows the overlap was exercised.
 */
@JCStressTest
@Description("Site claims: racing observes of one site, claimed or pinned, keep EMA, count and history exact")
@Outcome(id = "ema=(e1e2|e2e1) count=3 history=\\[1000,2000\\] sum=ring claim=free contended=0",
    expect = ACCEPTABLE, desc = "no overlap: each observe claimed the site in turn")
@Outcome(id = "ema=(e1e2|e2e1) count=3 history=\\[(1000,2000|2000,1000)\\] sum=ring claim=free contended=1",
    expect = ACCEPTABLE_INTERESTING, desc = "overlap: one observe found the site claimed and took the pinned path")
@Outcome(id = "ema=(e1e2|e2e1) count=3 history=\\[3000\\] sum=ring claim=free contended=[01]",
    expect = ACCEPTABLE, desc = "the later heartbeat advanced last-seen first: the earlier records no gap (D3)")
@Outcome(expect = FORBIDDEN, desc = "lost sample or count, history out of step, claim left held")
@State
public class SiteClaimTest
{
    static final long SITE = 82;
    static final long T0 = 1_000;
    static final long SEED = 2_000;
    static final long E1 = 1_000;
    static final long E2 = 9_000;
    static final long SEEDED = EmaWord.update(EmaWord.EMPTY, SEED);
    static final long[] ORDERS = {EmaWord.update(EmaWord.update(SEEDED, E1), E2), EmaWord.update(EmaWord.update(SEEDED, E2), E1)};

    static
    {
        Outcomes.requireDistinct(ORDERS[0], ORDERS[1], "the two orders");
    }

    final TrackerFixture fixture = new TrackerFixture();

    public SiteClaimTest()
    {
        fixture.tracker.observeRoundTrip(SITE, SEED, T0);
    }

    @Actor
    public void early()
    {
        fixture.tracker.observeRoundTrip(SITE, E1, T0 + 1_000);
    }

    @Actor
    public void late()
    {
        fixture.tracker.observeRoundTrip(SITE, E2, T0 + 3_000);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        final int recordOffset = fixture.sites.recordOffset(RecordTable.record(fixture.sites.find(SITE, 0, 0)));
        final String history = fixture.history(SITE);
        r.r1 = "ema=" + Outcomes.name(fixture.siteWord(SITE), ORDERS, new String[]{"e1e2", "e2e1"}) +
            " count=" + fixture.siteCount(SITE) + " " + history.substring(0, history.indexOf(" lastSeen")) +
            " claim=" + (fixture.buffer.getLongVolatile(recordOffset + SiteRecord.CLAIM_OFFSET) == 0 ? "free" : "HELD") +
            " contended=" + fixture.buffer.getLongVolatile(recordOffset + SiteRecord.CONTENDED_COUNT_OFFSET);
    }
}
