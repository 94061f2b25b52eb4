package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiAccrual;
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
 * Contract §3 clause 6 through the tracker: {@link RttTracker#phi} racing two heartbeats of the site.
 * Before the race last-seen is T2 and the history [1000]. The heartbeats actor then runs, for T3 and
 * T4 in turn: CAS last-seen forward (W1 to T3, W3 to T4), then record the gap in the history
 * (W2: 3000, W4: 7000; each {@code claimed++}, swap, {@code sum +=}, {@code completed++}).
 *
 * <p>{@code phiOf} reads last-seen, the mean, then last-seen again, and retries until both reads agree
 * (at most three rounds here: last-seen takes only T2, T3, T4), so the mean comes from a window in
 * which last-seen held the value used. The mean is from a quiescent view ({@code completed}, then
 * {@code sum}, then {@code claimed == completed}) unless 16 attempts found a record in flight; then the
 * last view is used and counted ({@code nq}). Hence, with every access sequentially consistent:
 * <ul>
 *   <li>last-seen T2: the window lies before W1, the history is [1000], no record can be in flight:
 *   {@code T2M1}, and {@code nq=0} always;</li>
 *   <li>last-seen T3: the window lies between W1 and W3; W2 may land in it: {@code T3M1} or
 *   {@code T3M2}; non-quiescent, also {@code T3X1} (W2's sum in, its {@code completed} not);
 *   {@code nq} up to 2 (one per round);</li>
 *   <li>last-seen T4: the window follows W3, so W2 is complete; W4 may land in it: {@code T4M2} or
 *   {@code T4M3}; non-quiescent, also {@code T4X2} (W4's sum in, its {@code completed} not);
 *   {@code nq} up to 3.</li>
 * </ul>
 * A round that was counted may still be followed by a quiescent one, so with {@code nq >= 1} the
 * quiescent combinations of the same last-seen stay possible. And when all 16 attempts fail, the last
 * view is used as it is, counted: the last-seen read after the last mean, with that mean, which was read
 * after the previous last-seen and may mix several records (its {@code completed} read before them, its
 * sum after). With {@code nq >= 1} a last-seen of T4 may therefore come with any mean from T2's window on
 * ({@code T4M1}, {@code T4X1}), or with a mean no single state had, e.g. 11000/1 ({@code finite:}, any
 * finite non-negative φ). Both were first seen in {@code -m quick}: 7 and 1 of about 500,000 samples in
 * one configuration each. Only a counted read may do this: with {@code nq=0} the pairs above are the
 * only ones allowed. Means: M1 = 1000/1, M2 = 4000/2,
 * M3 = 11000/3, X1 = 4000/1, X2 = 11000/2. Afterwards the history is [1000, 3000, 7000] with its sum
 * equal to the ring.
 *
 * <p>Result: {@code phi=T<i><M|X><j> nq=<count> <history>}; {@code phi=finite:<v>} for another finite
 * non-negative value, {@code phi=BAD:<v>} for NaN, infinite or negative.
 */
@JCStressTest
@Description("Clause 6: phi racing heartbeats is phi of a last-seen and a mean the retry allows")
@Outcome(id = "phi=(T2M1|T3M[12]|T4M[23]) nq=0 " + PhiWhileHeartbeatsTest.AFTER, expect = ACCEPTABLE,
    desc = "quiescent mean read while last-seen held the value used")
@Outcome(id = "phi=(T3M[12]|T3X1) nq=[12] " + PhiWhileHeartbeatsTest.AFTER, expect = ACCEPTABLE_INTERESTING,
    desc = "documented: a round found W2 in flight 16 times; its last view (or a later quiescent one) used, counted")
@Outcome(id = "phi=(T4M[123]|T4X[12]) nq=[123] " + PhiWhileHeartbeatsTest.AFTER, expect = ACCEPTABLE_INTERESTING,
    desc = "documented: 16 attempts found no quiescent view, or last-seen moved after the last mean; that view used, counted")
@Outcome(id = "phi=finite:[0-9.E-]+ nq=[123] " + PhiWhileHeartbeatsTest.AFTER, expect = ACCEPTABLE_INTERESTING,
    desc = "documented: 16 attempts found no quiescent view; the last one, mixed across several records, used and counted")
@Outcome(expect = FORBIDDEN,
    desc = "NaN, infinite or negative phi, a mean from outside its last-seen window, an uncounted mixed view, or a bad history")
@State
public class PhiWhileHeartbeatsTest
{
    static final String AFTER = "history=\\[1000,3000,7000\\] sum=ring lastSeen=12000 canary=ok";

    static final long SITE = 91;
    static final long T1 = 1_000;
    static final long T2 = 2_000;
    static final long T3 = 5_000;
    static final long T4 = 12_000;
    static final long NOW = 20_000;
    static final long[] LAST_SEEN = {T2, T3, T4};
    static final String[] LAST_SEEN_NAMES = {"T2", "T3", "T4"};
    static final double[] MEANS = {1_000.0, 4_000 / 2.0, 11_000 / 3.0, 4_000 / 1.0, 11_000 / 2.0};
    static final String[] MEAN_NAMES = {"M1", "M2", "M3", "X1", "X2"};

    static
    {
        // Every (last-seen, mean) pair must give its own phi, or a forbidden pair could pass as an allowed one.
        for (int a = 0; a < LAST_SEEN.length * MEANS.length; a++)
        {
            for (int b = a + 1; b < LAST_SEEN.length * MEANS.length; b++)
            {
                Outcomes.requireDistinct(Double.doubleToLongBits(phiOf(a)), Double.doubleToLongBits(phiOf(b)),
                    "phi of " + name(a) + " and " + name(b));
            }
        }
    }

    final TrackerFixture fixture = new TrackerFixture();
    double phi;

    public PhiWhileHeartbeatsTest()
    {
        fixture.tracker.observeRoundTrip(SITE, 500, T1);
        fixture.tracker.observeRoundTrip(SITE, 500, T2);
    }

    private static double phiOf(final int pair)
    {
        return PhiAccrual.phi(NOW - LAST_SEEN[pair / MEANS.length], MEANS[pair % MEANS.length]);
    }

    private static String name(final int pair)
    {
        return LAST_SEEN_NAMES[pair / MEANS.length] + MEAN_NAMES[pair % MEANS.length];
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
        String seen = Double.isFinite(phi) && phi >= 0 ? "finite:" + phi : "BAD:" + phi;
        for (int pair = 0; pair < LAST_SEEN.length * MEANS.length; pair++)
        {
            if (phi == phiOf(pair))
            {
                seen = name(pair);
                break;
            }
        }
        r.r1 = "phi=" + seen + " nq=" + fixture.tracker.nonQuiescentPhiReadCount() + " " + fixture.history(SITE) +
            " canary=" + fixture.canary();
    }
}
