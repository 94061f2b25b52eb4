package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiState;
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
 * Contract §3 clause 7: two concurrent {@link RttTracker#scanPhi} calls report each state change
 * exactly once. Two sites, A and B, have a history of 1000 ns gaps and are silent long enough at
 * {@link #NOW} to be down (φ above 16); the canary site has no history and stays live. Each scan
 * records the transitions it reported; the arbiter counts them per site across both scans and reads
 * the remembered state.
 *
 * <p>Result: {@code A=<reports>:<state> B=<reports>:<state> canarySite=<reports> split=<n1>,<n2>}.
 */
@JCStressTest
@Description("Clause 7: two racing scans report each site's change to DOWN exactly once")
@Outcome(id = "A=1:DOWN B=1:DOWN canarySite=0 split=(2,0|1,1|0,2) canary=ok", expect = ACCEPTABLE,
    desc = "each change reported once, by either scan")
@Outcome(expect = FORBIDDEN, desc = "a change reported twice or never, or a wrong state")
@State
public class ScanRatchetTest
{
    static final long A = 61;
    static final long B = 62;
    static final long GAP = 1_000;
    static final long LAST = 10 * GAP;
    /** φ = 40 000 / (1000 * ln 10), about 17.4: down. */
    static final long NOW = LAST + 40 * GAP;

    final TrackerFixture fixture = new TrackerFixture();
    final long[] reports1 = new long[4];
    final long[] reports2 = new long[4];
    int count1;
    int count2;

    public ScanRatchetTest()
    {
        for (long t = GAP; t <= LAST; t += GAP)
        {
            fixture.tracker.observeRoundTrip(A, 500, t);
            fixture.tracker.observeRoundTrip(B, 500, t);
        }
    }

    @Actor
    public void scan1()
    {
        count1 = fixture.tracker.scanPhi(NOW, (site, state, phi) ->
            reports1[site == A ? 0 : site == B ? 1 : 2] += state == PhiState.DOWN ? 1 : 100);
    }

    @Actor
    public void scan2()
    {
        count2 = fixture.tracker.scanPhi(NOW, (site, state, phi) ->
            reports2[site == A ? 0 : site == B ? 1 : 2] += state == PhiState.DOWN ? 1 : 100);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "A=" + (reports1[0] + reports2[0]) + ":" + remembered(A) +
            " B=" + (reports1[1] + reports2[1]) + ":" + remembered(B) +
            " canarySite=" + (reports1[2] + reports2[2]) + " split=" + count1 + "," + count2 + " canary=" + fixture.canary();
    }

    private String remembered(final long site)
    {
        final ai.bytesandbrains.rtt.view.SiteView view = new ai.bytesandbrains.rtt.view.SiteView();
        return fixture.tracker.readSite(site, view) ? view.lastPhiState().name() : "untracked";
    }
}
