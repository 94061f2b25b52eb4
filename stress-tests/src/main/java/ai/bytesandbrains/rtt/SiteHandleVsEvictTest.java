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
 * An observe through a {@link SiteHandle} racing the eviction of its site and the reuse of the record by
 * another site ({@link SiteHandle}: "a call through a handle whose occupant was evicted ... resolves the id
 * again"). Site S is warm (three observes) and its handle, made afterwards, caches S's record. One actor
 * observes S once more through the handle; the other evicts S, then observes site T for the first time, and
 * T takes the first free record: S's, freed by the eviction, unless the handle's observe re-tracked S there
 * first.
 *
 * <p>The handle's claim validates the cached generation ({@code RecordClaims.claimOrPin}), so the sample
 * lands in S's old record, which the eviction then removes whole ({@code S=gone}), or, once the eviction
 * has begun, in a fresh record of S holding that one sample ({@code S=one}). T always holds exactly its own
 * one sample. FORBIDDEN: S's sample in T's record (T mixed: count 2, or a word other than T's first sample),
 * S mixing old and new state, a lost or leaked record, or a disturbed canary. Record numbers are left out
 * of the result, since which record each site takes depends on the interleaving, not on correctness.
 *
 * <p>Result: {@code evicted=true S=<gone|one|mixed...> T=<one|mixed...> sites=<n> free=<n> removed=<n>
 * canary=<ok|HIT>}.
 */
@JCStressTest
@Description("Observe through a stale-able SiteHandle vs eviction and record reuse: never into the next occupant")
@Outcome(id = "evicted=true S=gone T=one sites=2 free=2 removed=1 canary=ok", expect = ACCEPTABLE,
    desc = "the handle's observe wrote S's old record (claimed or pinned), which was then evicted whole")
@Outcome(id = "evicted=true S=one T=one sites=3 free=1 removed=1 canary=ok", expect = ACCEPTABLE,
    desc = "the handle was stale: S resolved again and re-tracked afresh with this one sample")
@Outcome(expect = FORBIDDEN, desc = "the sample written into T's record, S mixed, a lost or leaked record, or overwrite")
@State
public class SiteHandleVsEvictTest
{
    static final long S = 0x5E_0001L;
    static final long T = 0x5E_0002L;
    static final long SEED = 2_000;
    static final long SAMPLE = 9_000;
    static final long T_SAMPLE = 6_000;
    static final long NOW = 10_000;
    static final long ONE = EmaWord.update(EmaWord.EMPTY, SAMPLE);
    static final long T_ONE = EmaWord.update(EmaWord.EMPTY, T_SAMPLE);

    static
    {
        Outcomes.requireDistinct(ONE, T_ONE, "S's fresh word and T's");
    }

    final TrackerFixture fixture = new TrackerFixture();
    final SiteHandle handle;
    boolean evicted;

    public SiteHandleVsEvictTest()
    {
        for (int i = 1; i <= 3; i++)
        {
            fixture.tracker.observeRoundTrip(S, SEED, 1_000L * i);
        }
        handle = fixture.tracker.siteHandle(S);
    }

    @Actor
    public void observer()
    {
        fixture.tracker.observeRoundTrip(handle, SAMPLE, NOW);
    }

    @Actor
    public void evictor()
    {
        evicted = fixture.tracker.evictSite(S);
        fixture.tracker.observeRoundTrip(T, T_SAMPLE, NOW);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "evicted=" + evicted + " S=" + withoutRecord(fixture.oneSampleSite(S, ONE, NOW)) +
            " T=" + withoutRecord(fixture.oneSampleSite(T, T_ONE, NOW)) + " " + fixture.siteTable() +
            " canary=" + fixture.canary();
    }

    private static String withoutRecord(final String site)
    {
        return site.startsWith("one@") ? "one" : site;
    }
}
