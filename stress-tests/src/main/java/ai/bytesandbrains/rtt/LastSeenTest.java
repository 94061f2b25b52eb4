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
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Contract §3 clause 6 through the tracker, and D3: two heartbeats of one site race, at T0 + 1000 and
 * T0 + 3000. last-seen advances by CAS and never moves backwards; if the later one wins, the earlier
 * is late and records no gap. Either way the gaps add up to the span covered, the running sum equals
 * the ring, and both samples reach the site EMA.
 *
 * <p>Result: {@code history=[gaps] sum=ring lastSeen=<ns> ema=<order> count=<n> canary=<ok|HIT>}.
 */
@JCStressTest
@Description("Clause 6, D3: racing heartbeats: last-seen never moves back; gaps, ring and sum consistent")
@Outcome(id = "history=\\[1000,2000\\] sum=ring lastSeen=4000 ema=(e1e2|e2e1) count=3 canary=ok", expect = ACCEPTABLE,
    desc = "the earlier heartbeat first: two gaps")
@Outcome(id = "history=\\[3000\\] sum=ring lastSeen=4000 ema=(e1e2|e2e1) count=3 canary=ok", expect = ACCEPTABLE,
    desc = "the later heartbeat first: the earlier is late, no gap (D3)")
@Outcome(id = "history=\\[2000,1000\\] sum=ring lastSeen=4000 ema=(e1e2|e2e1) count=3 canary=ok",
    expect = ACCEPTABLE_INTERESTING,
    desc = "documented in RttTracker.heartbeat: both gaps, but in the order their ring positions were claimed, " +
        "not the order last-seen advanced; only which is evicted first differs")
@Outcome(expect = FORBIDDEN, desc = "last-seen moved back, a zero or lost gap, sum off the ring, lost sample")
@State
public class LastSeenTest
{
    static final long SITE = 81;
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

    public LastSeenTest()
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
        r.r1 = fixture.history(SITE) + " ema=" + Outcomes.name(fixture.siteWord(SITE), ORDERS, new String[]{"e1e2", "e2e1"}) +
            " count=" + fixture.siteCount(SITE) + " canary=" + fixture.canary();
    }
}
