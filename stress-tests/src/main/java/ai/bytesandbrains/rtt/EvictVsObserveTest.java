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
 * Eviction racing an observe of the same site ({@link RttTracker#evictSite} Javadoc: "an observe that
 * loses the race tracks the site afresh"). Site S is warm: three observes in chain context, so it has
 * an EMA of three samples, a history of two gaps, last-seen 3000, one edge and a chain prior. One actor
 * evicts S while the other observes S once more, without chain context, at {@link #NOW}.
 *
 * <p>The observe pins S's record before writing and the eviction waits for the pin, so the sample
 * lands either in the old record, which is then evicted whole ({@code S=gone}: the sample is lost with
 * it), or, when the observe's lookup comes after the removal's state CAS, in a fresh record holding
 * exactly that one sample: first-sample EMA, count 1, last-seen {@code NOW}, empty history, φ state
 * LIVE. The fresh record is S's old one, reused with generation 1, when the eviction had freed it
 * before the insert reserved a record ({@code one@1g1}); it is the next never-used record, generation
 * 0, when the insert reserved while the eviction was still draining ({@code one@2g0}). Both are
 * ACCEPTABLE. FORBIDDEN: any record of S mixing old and new state (count 4, an old gap, last-seen 3000,
 * the four-sample word), a lost or leaked record (sites + free must be the capacity, 4), an eviction
 * count other than 1, an edge surviving (evicted edges exactly 1, none left), the chain prior or the
 * global prior changed by the eviction (counts 3 and 5: the canary's, three warm-up and this observe's
 * samples reach the global prior whichever way the race goes), or a disturbed canary site.
 *
 * <p>Result: {@code evicted=true S=<gone|one@<record>g<generation>> sites=<n> free=<n> removed=<n>
 * edges=<size>/<evicted> chain=<count> global=<count> canary=<ok|HIT>}.
 */
@JCStressTest
@Description("Eviction vs observe of the same site: sample evicted with the old record, or a fresh one-sample record")
@Outcome(id = "evicted=true S=gone sites=1 free=3 removed=1 edges=0/1 chain=3 global=5 canary=ok", expect = ACCEPTABLE,
    desc = "the observe wrote the old record (pinned), which was then evicted whole: the sample is lost with it")
@Outcome(id = "evicted=true S=one@1g1 sites=2 free=2 removed=1 edges=0/1 chain=3 global=5 canary=ok",
    expect = ACCEPTABLE, desc = "the observe came after the eviction: S re-tracked afresh in its freed record")
@Outcome(id = "evicted=true S=one@2g0 sites=2 free=2 removed=1 edges=0/1 chain=3 global=5 canary=ok",
    expect = ACCEPTABLE, desc = "the observe met S DEAD and not yet freed: S re-tracked afresh in a never-used record")
@Outcome(expect = FORBIDDEN, desc = "old and new state mixed, a lost or leaked record, a surviving edge, miscount or overwrite")
@State
public class EvictVsObserveTest
{
    static final long S = 0x5E_0001L;
    static final long CHAIN = 0xC4A1_0000_0000_0007L;
    static final long SEED = 2_000;
    static final long SAMPLE = 9_000;
    static final long NOW = 10_000;
    static final long ONE = EmaWord.update(EmaWord.EMPTY, SAMPLE);

    static
    {
        Outcomes.requireDistinct(ONE, EmaWord.update(EmaWord.EMPTY, SEED), "the fresh word and a seed word");
    }

    final TrackerFixture fixture = new TrackerFixture();
    boolean evicted;

    public EvictVsObserveTest()
    {
        for (int i = 1; i <= 3; i++)
        {
            fixture.tracker.observeRoundTrip(S, CHAIN, 0, SEED, 1_000L * i);
        }
    }

    @Actor
    public void observer()
    {
        fixture.tracker.observeRoundTrip(S, SAMPLE, NOW);
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
        r.r1 = "evicted=" + evicted + " S=" + fixture.oneSampleSite(S, ONE, NOW) + " " + fixture.siteTable() +
            " edges=" + fixture.edges.size() + "/" + fixture.tracker.evictedEdgeCount() +
            " chain=" + (chain == RecordTable.NOT_FOUND ? "gone" :
            fixture.emaCount(fixture.chains, RecordTable.record(chain))) +
            " global=" + fixture.globalCount() +
            " canary=" + fixture.canary();
    }
}
