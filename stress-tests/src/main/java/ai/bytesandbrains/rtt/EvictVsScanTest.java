package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaWord;
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
 * {@link RttTracker#scanPhi} racing the eviction of a site that is due a transition, and the reuse of
 * its record by another site. Site table of capacity 2: the canary site and S, whose history of 1000 ns
 * gaps makes it DOWN at {@link #NOW}. One actor scans at {@code NOW}; the other evicts S, then observes
 * a new site T for the first time at {@code NOW}, which can only land in S's freed record (generation 1).
 *
 * <p>The scan reads a record's handle ({@code liveHandle}), its site id, remembered state, last-seen
 * and history, and reports only after pinning that handle and CASing the remembered state. A pin
 * succeeds only while the record still holds the occupant the handle names, and then the eviction
 * waits for it, so the scan reports S DOWN exactly once (its pin came before the removal's state CAS)
 * or not at all (S already removed, or removed before the pin). T is seen once, has no gap, so φ 0:
 * LIVE, nothing to report. ACCEPTABLE: {@code reports=none} and {@code reports=1:S:DOWN}, with S gone,
 * T tracked in record 1, generation 1, with exactly its one sample and remembered state LIVE.
 * FORBIDDEN: a report naming T or any id other than S, a second report, a remembered DOWN on T's record
 * (a scan's CAS that landed on the next occupant), S still tracked, T not in S's freed record or mixed
 * with S's state, a lost or leaked record, a disturbed canary.
 *
 * <p>Result: {@code reports=<none|n:id:state...> S=gone T=<one@1g1|...> sites=2 free=0 removed=1
 * canary=<ok|HIT>}.
 */
@JCStressTest
@Description("Eviction + reuse vs scan: the evicted site is reported at most once, the new occupant never")
@Outcome(id = "reports=none S=gone T=one@1g1 sites=2 free=0 removed=1 canary=ok", expect = ACCEPTABLE,
    desc = "S removed before the scan's pin: not reported; T live, nothing to report")
@Outcome(id = "reports=1:S:DOWN S=gone T=one@1g1 sites=2 free=0 removed=1 canary=ok", expect = ACCEPTABLE,
    desc = "the scan pinned S before its removal began and reported it once; the eviction waited")
@Outcome(expect = FORBIDDEN, desc = "a report for the new occupant, a double report, a CAS on T's record, leak or overwrite")
@State
public class EvictVsScanTest
{
    static final long S = 0x5E_0004L;
    static final long T = 0x7E_0004L;
    static final long GAP = 1_000;
    static final long LAST = 10 * GAP;
    /** S's φ = 40 000 / (1000 * ln 10), about 17.4: down. */
    static final long NOW = LAST + 40 * GAP;
    static final long T_SAMPLE = 700;
    static final long T_ONE = EmaWord.update(EmaWord.EMPTY, T_SAMPLE);

    final TrackerFixture fixture = new TrackerFixture(2);
    final StringBuilder reports = new StringBuilder();
    int reportCount;

    public EvictVsScanTest()
    {
        for (long t = GAP; t <= LAST; t += GAP)
        {
            fixture.tracker.observeRoundTrip(S, 500, t);
        }
    }

    @Actor
    public void scanner()
    {
        fixture.tracker.scanPhi(NOW, (site, state, phi) ->
        {
            reportCount++;
            reports.append(':').append(site == S ? "S" : site == T ? "T" : Long.toHexString(site))
                .append(':').append(state.name());
        });
    }

    @Actor
    public void evictor()
    {
        fixture.tracker.evictSite(S);
        fixture.tracker.observeRoundTrip(T, T_SAMPLE, NOW);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "reports=" + (reportCount == 0 ? "none" : reportCount + reports.toString()) +
            " S=" + (fixture.siteWord(S) == -1 ? "gone" : "tracked") +
            " T=" + fixture.oneSampleSite(T, T_ONE, NOW) + " " + fixture.siteTable() +
            " canary=" + fixture.canary();
    }
}
