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
 * Eviction racing the first observe of a different site into a full table. Site table of capacity 2,
 * full: the canary site and S, warm, with a history and last-seen 4000. One actor evicts S; the other
 * observes a new site T once at {@link #NOW}.
 *
 * <p>If T's insert finds the table full (S's record not yet released: size still at capacity), it is
 * refused at once and counted ({@code T=gone overflow=1,...}); its sample still reaches the global
 * prior. Once the eviction has decremented the size, the insert waits for the record being drained,
 * then takes S's freed record with a fresh generation ({@code T=one@1g1}) and exactly its one sample:
 * first-sample EMA, count 1, last-seen {@code NOW}, empty history, φ state LIVE. (An eviction stalled
 * past {@code RecordTable.MAX_RESERVE_ATTEMPTS} gives the overflow outcome as well.) ACCEPTABLE: those
 * two. FORBIDDEN: T's record carrying any of S's EMA, count, history or last-seen; S still findable; a
 * lost or leaked record (sites + free must be 2, removed 1); an overflow counted although T was
 * stored, or not counted although it was refused; a global prior that missed a sample (count 6: the
 * canary's, S's four and T's); a disturbed canary.
 *
 * <p>Result: {@code evicted=true S=gone T=<gone|one@1g1> sites=<n> free=<n> removed=1
 * overflow=s,e,c,r,x global=<count> canary=<ok|HIT>}.
 */
@JCStressTest
@Description("Eviction vs first observe of another site into a full table: refused and counted, or a clean reuse")
@Outcome(id = "evicted=true S=gone T=gone sites=1 free=1 removed=1 overflow=1,0,0,0,0 global=6 canary=ok",
    expect = ACCEPTABLE, desc = "T came first and found the table full: refused and counted")
@Outcome(id = "evicted=true S=gone T=one@1g1 sites=2 free=0 removed=1 overflow=0,0,0,0,0 global=6 canary=ok",
    expect = ACCEPTABLE, desc = "T took S's freed record with generation 1 and none of S's state")
@Outcome(expect = FORBIDDEN, desc = "S's state in T's record, S findable, a leaked record, miscounted overflow or overwrite")
@State
public class EvictVsInsertOtherTest
{
    static final long S = 0x5E_0005L;
    static final long T = 0x7E_0005L;
    static final long SEED = 2_000;
    static final long T_SAMPLE = 6_000;
    static final long NOW = 20_000;
    static final long T_ONE = EmaWord.update(EmaWord.EMPTY, T_SAMPLE);

    static
    {
        Outcomes.requireDistinct(T_ONE, EmaWord.update(EmaWord.EMPTY, SEED), "T's word and S's first word");
    }

    final TrackerFixture fixture = new TrackerFixture(2);
    boolean evicted;

    public EvictVsInsertOtherTest()
    {
        for (int i = 1; i <= 4; i++)
        {
            fixture.tracker.observeRoundTrip(S, SEED, 1_000L * i);
        }
    }

    @Actor
    public void evictor()
    {
        evicted = fixture.tracker.evictSite(S);
    }

    @Actor
    public void inserter()
    {
        fixture.tracker.observeRoundTrip(T, T_SAMPLE, NOW);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "evicted=" + evicted + " S=" + (fixture.siteWord(S) == -1 ? "gone" : "tracked") +
            " T=" + fixture.oneSampleSite(T, T_ONE, NOW) + " " + fixture.siteTable() + " " + fixture.counters() +
            " global=" + fixture.globalCount() +
            " canary=" + fixture.canary();
    }
}
