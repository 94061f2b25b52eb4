package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.view.SiteView;
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
 * Contract §3 clause 7 with a heartbeat in the race ({@link RttTracker#scanPhi} Javadoc): site A has a
 * history of 1000 ns gaps and is silent long enough at {@link #NOW} to be down; one actor scans at
 * {@code NOW} while the other delivers A's heartbeat at {@code NOW}. Either the scan decided before the
 * heartbeat landed and reported DOWN (remembered DOWN; the next scan corrects it), or the heartbeat
 * came first, or overtook the verdict before its CAS, and nothing is reported (remembered LIVE). A
 * report must always match the remembered state, and the heartbeat's sample and gap are never lost.
 *
 * <p>Result: {@code reports=<n>:<state> remembered=<state> count=<n> history=[<gaps oldest first>]
 * sum=<ring|BAD:n> lastSeen=<ns> canary=<ok|HIT>}. The ring (capacity 4) is full of 1000 ns gaps after
 * setup, so the heartbeat's gap {@code NOW - LAST} = 40 000 must be its newest entry: a lost gap shows.
 */
@JCStressTest
@Description("Clause 7: a scan racing a heartbeat reports only what it remembers, once")
@Outcome(id = "reports=1:DOWN remembered=DOWN count=11 history=\\[1000,1000,1000,40000\\] sum=ring lastSeen=50000 " +
    "canary=ok", expect = ACCEPTABLE,
    desc = "the scan decided and remembered DOWN before the heartbeat landed")
@Outcome(id = "reports=0:none remembered=LIVE count=11 history=\\[1000,1000,1000,40000\\] sum=ring lastSeen=50000 " +
    "canary=ok", expect = ACCEPTABLE,
    desc = "the heartbeat landed first, or overtook the verdict before its CAS: nothing reported")
@Outcome(expect = FORBIDDEN, desc = "a report that is not remembered, a remembered change not reported, a lost sample")
@State
public class ScanVsHeartbeatTest
{
    static final long A = 71;
    static final long GAP = 1_000;
    static final long LAST = 10 * GAP;
    /** φ = 40 000 / (1000 * ln 10), about 17.4: down. */
    static final long NOW = LAST + 40 * GAP;

    final TrackerFixture fixture = new TrackerFixture();
    int reports;
    PhiState reported;

    public ScanVsHeartbeatTest()
    {
        for (long t = GAP; t <= LAST; t += GAP)
        {
            fixture.tracker.observeRoundTrip(A, 500, t);
        }
    }

    @Actor
    public void scan()
    {
        fixture.tracker.scanPhi(NOW, (site, state, phi) ->
        {
            if (site == A)
            {
                reports++;
                reported = state;
            }
        });
    }

    @Actor
    public void heartbeat()
    {
        fixture.tracker.observeRoundTrip(A, 500, NOW);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        final SiteView view = new SiteView();
        fixture.tracker.readSite(A, view);
        r.r1 = "reports=" + reports + ":" + (reported == null ? "none" : reported.name()) +
            " remembered=" + view.lastPhiState().name() + " count=" + view.sampleCount() +
            " " + fixture.history(A) + " canary=" + fixture.canary();
    }
}
