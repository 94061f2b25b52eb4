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
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Contract §3 clause 9 and D7: concurrent inserts into a nearly full site table (capacity 2, the
 * canary site already in, one record left) never lose or corrupt a stored record, and the overflow
 * counter counts exactly the refused inserts.
 */
public final class OverflowTests
{
    static final long X = 71;
    static final long Y = 72;
    static final long EX = 1_000;
    static final long EY = 3_000;
    static final long ONE_X = EmaWord.update(EmaWord.EMPTY, EX);
    static final long ONE_Y = EmaWord.update(EmaWord.EMPTY, EY);

    private OverflowTests()
    {
    }

    /**
     * Two new sites race for the last record: one is tracked, the other refused and counted. D7: the
     * refused site's sample still reaches the tiers that have room, here the global prior, whose count
     * ends at 3 (the canary's sample and these two). Its published word is the EMA of the stripe that
     * published last (StripedPrior): both samples in one of the two orders when one thread joined from the
     * other's word, or one sample on the canary's prior when both joined from it.
     */
    @JCStressTest
    @Description("Clause 9, D7: two new sites racing for the last record: one stored, one refused and counted, both learnt globally")
    @Outcome(id = "X=one Y=untracked sites=2 overflow=1,0,0,0,0 global=(xy|yx) 3 canary=ok", expect = ACCEPTABLE,
        desc = "X won the record")
    @Outcome(id = "X=untracked Y=one sites=2 overflow=1,0,0,0,0 global=(xy|yx) 3 canary=ok", expect = ACCEPTABLE,
        desc = "Y won the record")
    @Outcome(id = "(X=one Y=untracked|X=untracked Y=one) sites=2 overflow=1,0,0,0,0 global=(x|y) 3 canary=ok",
        expect = ACCEPTABLE_INTERESTING,
        desc = "documented (striped priors): both threads' stripes joined from the canary's prior; the published " +
            "word is the last publisher's, one sample on it; the count has both")
    @Outcome(expect = FORBIDDEN,
        desc = "both or neither stored, miscounted overflow, a refused sample missing from the global prior, or a disturbed record")
    @State
    public static class DistinctKeys
    {
        // The fixture's canary observe is the global prior's first sample.
        static final long CANARY_GLOBAL = TierEstimateTests.global(EmaWord.EMPTY, TrackerFixture.CANARY_ELAPSED);
        static final long[] GLOBAL_ORDERS = {
            TierEstimateTests.global(CANARY_GLOBAL, EX, EY), TierEstimateTests.global(CANARY_GLOBAL, EY, EX),
            TierEstimateTests.global(CANARY_GLOBAL, EX), TierEstimateTests.global(CANARY_GLOBAL, EY)};

        static
        {
            Outcomes.requireAllDistinct(GLOBAL_ORDERS, "the global orders and single samples");
        }

        final TrackerFixture fixture = new TrackerFixture(2);

        @Actor
        public void actor1()
        {
            fixture.tracker.observeRoundTrip(X, EX, 100);
        }

        @Actor
        public void actor2()
        {
            fixture.tracker.observeRoundTrip(Y, EY, 100);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "X=" + site(fixture, X, ONE_X) + " Y=" + site(fixture, Y, ONE_Y) +
                " sites=" + fixture.tracker.trackedSiteCount() + " " + fixture.counters() +
                " global=" + Outcomes.name(fixture.globalWord(),
                    GLOBAL_ORDERS, new String[]{"xy", "yx", "x", "y"}) +
                " " + fixture.globalCount() +
                " canary=" + fixture.canary();
        }
    }

    /**
     * The same new site from two threads with one record left: the key is not refused, since the table
     * has room for it; both samples reach the one record and nothing is counted as overflow. Whatever
     * happens to the site record, D7: both samples reach the global prior, which ends with count 3 (the
     * canary's sample and these two).
     */
    @JCStressTest
    @Description("Clause 9, D7: one new site from two threads into the last record: stored once, both samples, no overflow")
    @Outcome(id = "X=two sites=2 overflow=0,0,0,0,0 global=3 canary=ok", expect = ACCEPTABLE,
        desc = "one record, both samples")
    @Outcome(id = "X=one sites=2 overflow=1,0,0,0,0 global=3 canary=ok", expect = ACCEPTABLE_INTERESTING,
        desc = "documented in RecordTable.findOrInsert: the thread holding the last record stayed unpublished " +
            "past the bounded wait (descheduled); the other was refused and counted, the key stored once, " +
            "the refused sample still learnt globally")
    @Outcome(expect = FORBIDDEN,
        desc = "the key not stored or a wrong word or count in it, a miscounted overflow, a sample missing " +
            "from the global prior, or a disturbed record")
    @State
    public static class SameKeyLastRecord
    {
        static final long[] TWO = {EmaWord.update(ONE_X, EY), EmaWord.update(ONE_Y, EX)};

        final TrackerFixture fixture = new TrackerFixture(2);

        @Actor
        public void actor1()
        {
            fixture.tracker.observeRoundTrip(X, EX, 100);
        }

        @Actor
        public void actor2()
        {
            fixture.tracker.observeRoundTrip(X, EY, 100);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            final long word = fixture.siteWord(X);
            final String x = word == -1 ? "untracked" :
                fixture.siteCount(X) == 2 && (word == TWO[0] || word == TWO[1]) ? "two" :
                fixture.siteCount(X) == 1 && (word == ONE_X || word == ONE_Y) ? "one" :
                "0x" + Long.toHexString(word) + "/" + fixture.siteCount(X);
            r.r1 = "X=" + x + " sites=" + fixture.tracker.trackedSiteCount() + " " + fixture.counters() +
                " global=" + fixture.globalCount() +
                " canary=" + fixture.canary();
        }
    }

    static String site(final TrackerFixture fixture, final long site, final long one)
    {
        final long word = fixture.siteWord(site);
        if (word == -1)
        {
            return "untracked";
        }
        return fixture.siteCount(site) == 1 ? Outcomes.name(word, one, "one") : "count" + fixture.siteCount(site);
    }
}
