package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiAccrual;
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
 * Contract §3 clause 6 through the tracker: {@link RttTracker#phi} racing two heartbeats of the site
 * is finite and non-negative, and is exactly φ of a last-seen the reader could have loaded (T2, T3,
 * T4) over the mean of a quiescent history (1, 2 or 3 gaps), or else the read was counted as
 * non-quiescent. Afterwards the history is [1000, 3000, 7000] with its sum equal to the ring.
 *
 * <p>Result: {@code phi=T<i>M<j> nq=<count> <history>}; {@code phi=finite:<v>} for another finite
 * non-negative value, {@code phi=BAD:<v>} for NaN, infinite or negative.
 */
@JCStressTest
@Description("Clause 6: phi racing heartbeats is a finite, non-negative phi of a consistent history")
@Outcome(id = "phi=(T2M[123]|T3M[123]|T4M[23]) nq=0 history=\\[1000,3000,7000\\] sum=ring lastSeen=12000 canary=ok",
    expect = ACCEPTABLE, desc = "phi of a quiescent history")
@Outcome(id = "phi=(T[234]M[123]|finite:[^ ]+) nq=[1-9][0-9]* history=\\[1000,3000,7000\\] sum=ring lastSeen=12000 canary=ok",
    expect = ACCEPTABLE_INTERESTING, desc = "documented: no quiescent view in 16 attempts; counted")
@Outcome(expect = FORBIDDEN, desc = "NaN, infinite or negative phi, an uncounted mixed view, or a bad history")
@State
public class PhiWhileHeartbeatsTest
{
    static final long SITE = 91;
    static final long T1 = 1_000;
    static final long T2 = 2_000;
    static final long T3 = 5_000;
    static final long T4 = 12_000;
    static final long NOW = 20_000;
    static final long[] LAST_SEEN = {T2, T3, T4};
    static final double[] MEANS = {1_000.0, (double)4_000 / 2, (double)11_000 / 3};

    final TrackerFixture fixture = new TrackerFixture();
    double phi;

    public PhiWhileHeartbeatsTest()
    {
        fixture.tracker.observeRoundTrip(SITE, 500, T1);
        fixture.tracker.observeRoundTrip(SITE, 500, T2);
    }

    @Actor
    public void heartbeats()
    {
        fixture.tracker.observeRoundTrip(SITE, 500, T3);
        fixture.tracker.observeRoundTrip(SITE, 500, T4);
    }

    @Actor
    public void reader()
    {
        phi = fixture.tracker.phi(SITE, NOW);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        String name = null;
        for (int l = 0; l < LAST_SEEN.length && name == null; l++)
        {
            for (int m = 0; m < MEANS.length; m++)
            {
                if (phi == PhiAccrual.phi(NOW - LAST_SEEN[l], MEANS[m]))
                {
                    name = "T" + (l + 2) + "M" + (m + 1);
                    break;
                }
            }
        }
        if (name == null)
        {
            name = Double.isFinite(phi) && phi >= 0 ? "finite:" + phi : "BAD:" + phi;
        }
        r.r1 = "phi=" + name + " nq=" + fixture.tracker.nonQuiescentPhiReadCount() + " " + fixture.history(SITE) +
            " canary=" + fixture.canary();
    }
}
