package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.stress.Outcomes;
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
 * Contract §3 clause 4: a reader racing the first observe of a new site sees either an unknown site
 * (and the estimate falls through to the static default, no tier being warm) or a fully initialised
 * record: its key, and an EMA that is empty or holds exactly the first sample. The reader looks the
 * site up ({@link RttTracker#readSite}), then enumerates tracked sites
 * ({@link RttTracker#forEachTrackedSite}), which reads keys of records in the published state.
 *
 * <p>Result: {@code read=<unknown|empty|one> enum=<none|site> final=<one> canary=<ok|HIT>}; a record
 * found with a wrong key prints {@code read=key:<hex>}, a site enumerated with a wrong key
 * {@code enum=key:<hex>}.
 */
@JCStressTest
@Description("Clause 4: a new site is either unknown or fully initialised to a racing reader")
@Outcome(id = "read=(unknown|empty|one) enum=(none|site) final=one canary=ok", expect = ACCEPTABLE,
    desc = "unknown, or published with its key and an empty or one-sample EMA")
@Outcome(expect = FORBIDDEN, desc = "a half-written record, lost sample or overwrite")
@State
public class SitePublicationTest
{
    static final long SITE = 0x51_7E_0001L;
    static final long SAMPLE = 3_000;
    static final long ONE = EmaWord.update(EmaWord.EMPTY, SAMPLE);

    final TrackerFixture fixture = new TrackerFixture();
    final SiteView view = new SiteView();
    String read;
    String enumerated;

    @Actor
    public void writer()
    {
        fixture.tracker.observeRoundTrip(SITE, SAMPLE, 5_000);
    }

    @Actor
    public void reader()
    {
        if (!fixture.tracker.readSite(SITE, view))
        {
            read = "unknown";
        }
        else if (view.site() != SITE)
        {
            read = "key:" + Long.toHexString(view.site());
        }
        else
        {
            read = Outcomes.name(view.word(), new long[]{EmaWord.EMPTY, ONE}, new String[]{"empty", "one"});
        }
        final long[] other = {0};
        final int visited = fixture.tracker.forEachTrackedSite(id ->
        {
            if (id != TrackerFixture.CANARY_SITE)
            {
                other[0] = id;
            }
        });
        enumerated = visited == 1 ? "none" :
            visited == 2 && other[0] == SITE ? "site" : "key:" + Long.toHexString(other[0]) + "/" + visited;
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "read=" + read + " enum=" + enumerated +
            " final=" + (fixture.siteCount(SITE) == 1 ? Outcomes.name(fixture.siteWord(SITE), ONE, "one") : "count") +
            " canary=" + fixture.canary();
    }
}
