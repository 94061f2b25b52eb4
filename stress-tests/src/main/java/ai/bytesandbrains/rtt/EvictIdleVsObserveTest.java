package ai.bytesandbrains.rtt;


import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.stress.Outcomes;
import ai.bytesandbrains.rtt.state.SiteRecord;
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
 * An idle sweep racing a heartbeat of the site it judges idle ({@link RttTracker#evictIdle} Javadoc: "a
 * site whose heartbeat lands between the idleness check and its removal is evicted all the same; its
 * next observe tracks it afresh"). Site S was seen at 10, 20 and 30; the canary site at 77. The sweep
 * runs at {@link #NOW} with an idle time that makes S idle and the canary not; the other actor observes
 * S at {@code NOW}.
 *
 * <p>ACCEPTABLE: the heartbeat moved last-seen before the sweep read it, so S is no longer idle and is
 * kept, live and remembered LIVE, with its fourth sample in its EMA word and count and the gap
 * {@code NOW - 30} ({@code kept}); the heartbeat landed in the old record after the idleness check (the
 * sweep waits for its pin) and was evicted with it ({@code gone}); or the observe came after the removal
 * and tracks S afresh with exactly its one sample,
 * in S's freed record or a never-used one ({@code one@1g1}, {@code one@2g0}). FORBIDDEN: a record of S
 * mixing old and new state, the canary evicted or disturbed, a lost or leaked record, a miscount.
 */
@JCStressTest
@Description("evictIdle vs a heartbeat of the idle site: kept (seen in time), evicted whole, or re-tracked afresh")
@Outcome(id = "evicted=0 S=kept sites=2 free=2 removed=0 global=5 canary=ok", expect = ACCEPTABLE,
    desc = "the heartbeat moved last-seen before the sweep judged S: not idle, kept with its new sample")
@Outcome(id = "evicted=1 S=gone sites=1 free=3 removed=1 global=5 canary=ok", expect = ACCEPTABLE,
    desc = "judged idle first; the heartbeat wrote the old record under its pin and was evicted with it")
@Outcome(id = "evicted=1 S=one@1g1 sites=2 free=2 removed=1 global=5 canary=ok", expect = ACCEPTABLE,
    desc = "evicted first; the heartbeat tracked S afresh in its freed record")
@Outcome(id = "evicted=1 S=one@2g0 sites=2 free=2 removed=1 global=5 canary=ok", expect = ACCEPTABLE,
    desc = "evicted first; the heartbeat met S DEAD and tracked it afresh in a never-used record")
@Outcome(expect = FORBIDDEN, desc = "old and new state mixed, the canary evicted or disturbed, leak or miscount")
@State
public class EvictIdleVsObserveTest
{
    static final long S = 0x5E_0002L;
    static final long SEED = 2_000;
    static final long SAMPLE = 9_000;
    static final long NOW = 10_000;
    static final long IDLE = NOW - 40; // S, last seen at 30, is idle; the canary, at 77, is not
    static final long ONE = EmaWord.update(EmaWord.EMPTY, SAMPLE);
    static final long THREE = EmaWord.update(EmaWord.update(EmaWord.update(EmaWord.EMPTY, SEED), SEED), SEED);
    /** The word of the three seed observes and the heartbeat's sample, in that order. */
    static final long FOUR = EmaWord.update(THREE, SAMPLE);
    static final String KEPT_HISTORY = "history=[10,10," + (NOW - 30) + "] sum=ring lastSeen=" + NOW;

    static
    {
        Outcomes.requireDistinct(ONE, EmaWord.update(EmaWord.EMPTY, SEED), "the fresh word and a seed word");
        Outcomes.requireDistinct(FOUR, THREE, "the kept word and the seeds' word");
    }

    final TrackerFixture fixture = new TrackerFixture();
    int evicted;

    public EvictIdleVsObserveTest()
    {
        for (int i = 1; i <= 3; i++)
        {
            fixture.tracker.observeRoundTrip(S, SEED, 10L * i);
        }
    }

    @Actor
    public void observer()
    {
        fixture.tracker.observeRoundTrip(S, SAMPLE, NOW);
    }

    @Actor
    public void sweeper()
    {
        evicted = fixture.tracker.evictIdle(NOW, IDLE);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        final String s = kept() ? "kept" : fixture.oneSampleSite(S, ONE, NOW);
        r.r1 = "evicted=" + evicted + " S=" + s + " " + fixture.siteTable() +
            " global=" + fixture.globalCount() +
            " canary=" + fixture.canary();
    }

    /**
     * @return true when S is in a live record holding exactly the three seeds and the heartbeat's sample
     * (word and count), the gap {@code NOW - 30} as newest history entry, last-seen {@code NOW} and
     * remembered φ state LIVE. Anything else falls to {@link TrackerFixture#oneSampleSite}, which prints
     * every field of a record that is not exactly one fresh sample, so a partly kept S is FORBIDDEN.
     */
    private boolean kept()
    {
        final int record = RecordTable.record(fixture.sites.find(S, 0, 0));
        if (record == RecordTable.NOT_FOUND)
        {
            return false;
        }
        final long phiState = SiteRecord.phiStateVolatile(fixture.buffer, fixture.sites.recordOffset(record));
        return fixture.sites.isLive(record) && fixture.siteCount(S) == 4 && fixture.siteWord(S) == FOUR &&
            phiState == PhiState.LIVE.ordinal() && fixture.history(S).equals(KEPT_HISTORY);
    }
}
