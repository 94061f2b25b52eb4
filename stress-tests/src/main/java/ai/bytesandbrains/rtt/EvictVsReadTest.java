package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaWord;
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
 * Readers racing the eviction of a site and the reuse of its record by another site: a reader must see
 * the old site whole or no site, never the new occupant's data (or the zeroed record between the two)
 * under the old id. Site table of capacity 2: the canary site and S, with five samples, a history of
 * four 1000 ns gaps and last-seen 5000. One actor evicts S, then observes a new site T, which can only
 * land in S's freed record. The other reads S with {@link RttTracker#readSite} (every field of the
 * record: id, EMA word, count, last-seen, remembered state, history length and mean), then
 * {@link RttTracker#phi} at {@link #READ_AT}.
 *
 * <p>Both readers look S up, read, then check the record's generation: data read after the removal's
 * state CAS is rejected, data read before it is S's. S is never tracked again, so once a reader has
 * seen S gone, the later one does too. ACCEPTABLE: {@code read=S phi=S} (both before the removal),
 * {@code read=S phi=0} (the removal in between), {@code read=none phi=0} (S gone for both). FORBIDDEN:
 * any view that is not S's whole state (T's id, word or last-seen; a zeroed count, history or
 * last-seen), a φ that is neither S's nor 0, S reappearing ({@code read=none phi=S}), and any final
 * state other than S gone and T in record 1, generation 1, with exactly its one sample.
 *
 * <p>Result: {@code read=<S|none|fields> phi=<S|0|value> S=gone T=one@1g1 sites=2 free=0 removed=1
 * canary=<ok|HIT>}.
 */
@JCStressTest
@Description("Eviction + reuse vs readSite and phi: the old site whole or no site, never the new occupant")
@Outcome(id = "read=S phi=S S=gone T=one@1g1 sites=2 free=0 removed=1 canary=ok", expect = ACCEPTABLE,
    desc = "both reads before the removal began")
@Outcome(id = "read=S phi=0 S=gone T=one@1g1 sites=2 free=0 removed=1 canary=ok", expect = ACCEPTABLE,
    desc = "the removal began between the two reads")
@Outcome(id = "read=none phi=0 S=gone T=one@1g1 sites=2 free=0 removed=1 canary=ok", expect = ACCEPTABLE,
    desc = "S removed (or being removed) before both reads")
@Outcome(expect = FORBIDDEN, desc = "the new occupant or a zeroed record under S's id, S reappearing, leak or overwrite")
@State
public class EvictVsReadTest
{
    static final long S = 0x5E_0006L;
    static final long T = 0x7E_0006L;
    static final long SEED = 2_000;
    static final long GAP = 1_000;
    static final long LAST = 5 * GAP;
    static final long READ_AT = LAST + 3 * GAP;
    static final long T_SAMPLE = 6_000;
    static final long T_NOW = 9_000;
    static final long OLD = TierEstimateTests.rfc(SEED, SEED, SEED, SEED, SEED);
    static final long T_ONE = EmaWord.update(EmaWord.EMPTY, T_SAMPLE);

    final TrackerFixture fixture = new TrackerFixture(2);
    final SiteView view = new SiteView();
    final double phiOfS;
    String read;
    double phi;

    public EvictVsReadTest()
    {
        for (long t = GAP; t <= LAST; t += GAP)
        {
            fixture.tracker.observeRoundTrip(S, SEED, t);
        }
        phiOfS = fixture.tracker.phi(S, READ_AT);
    }

    @Actor
    public void evictor()
    {
        fixture.tracker.evictSite(S);
        fixture.tracker.observeRoundTrip(T, T_SAMPLE, T_NOW);
    }

    @Actor
    public void reader()
    {
        read = fixture.tracker.readSite(S, view) ? describe(view) : "none";
        phi = fixture.tracker.phi(S, READ_AT);
    }

    /** @return {@code S} when the view is S's whole state as set up, else every field. */
    private static String describe(final SiteView view)
    {
        if (view.site() == S && view.word() == OLD && view.sampleCount() == 5 && view.hasBeenSeen() &&
            view.lastSeenNs() == LAST && view.lastPhiState() == PhiState.LIVE && view.historyLength() == 4 &&
            view.historyMeanNs() == GAP)
        {
            return "S";
        }
        return "site:" + Long.toHexString(view.site()) + ",word:" + Long.toHexString(view.word()) +
            ",count:" + view.sampleCount() + ",seen:" + view.hasBeenSeen() + ",lastSeen:" + view.lastSeenNs() +
            ",state:" + view.lastPhiState() + ",history:" + view.historyLength() + ",mean:" + view.historyMeanNs();
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "read=" + read + " phi=" + (phi == phiOfS && phiOfS > 0 ? "S" : phi == 0.0 ? "0" : Double.toString(phi)) +
            " S=" + (fixture.siteWord(S) == -1 ? "gone" : "tracked") +
            " T=" + fixture.oneSampleSite(T, T_ONE, T_NOW) + " " + fixture.siteTable() +
            " canary=" + fixture.canary();
    }
}
