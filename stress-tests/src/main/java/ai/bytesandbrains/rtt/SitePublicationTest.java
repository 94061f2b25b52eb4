package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.stress.Outcomes;
import ai.bytesandbrains.rtt.internal.RecordTable;
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
 * Contract §3 clause 4: a reader racing the first observe of a new site sees either an unknown site or
 * a fully initialised record: its key, and an EMA that is empty or holds exactly the first sample.
 *
 * <p>The writer's observe inserts the record (writes the key, CASes the index slot, then
 * {@code markLive} CASes the state word to LIVE) and only then CASes the first sample into the EMA word.
 * The reader does three things in order:
 * <ol>
 *   <li>{@code slot}: reads the raw index slots (volatile) and, for a slot naming a record other than
 *   the canary's, that record's key: a slot published before its key shows {@code slot=key:0}. The
 *   reader's lookup alone would hide that bug ({@code find} skips a record whose key does not match);</li>
 *   <li>{@code read}: {@link RttTracker#readSite}: unknown, or the site with an empty or one-sample EMA;</li>
 *   <li>{@code enum}: {@link RttTracker#forEachTrackedSite}, which reads keys of LIVE records.</li>
 * </ol>
 * Whole states possible: {@code unknown} with or without the site enumerated (it may go LIVE between the
 * lookup and the enumeration); {@code empty} with or without it (the lookup may precede
 * {@code markLive}); {@code one} only with it enumerated, since {@code markLive} precedes the EMA CAS
 * whose word the reader saw. A slot seen in step 1 must be found in step 2. The arbiter adds the final
 * enumeration, {@link RttTracker#trackedSiteCount} (the canary site and this one) and the final EMA.
 *
 * <p>Result: {@code slot=<none|site> read=<unknown|empty|one> enum=<none|site> enumFinal=site sites=2
 * final=one canary=ok}; a wrong key prints {@code key:<hex>}. The outcome table is shared, constant by
 * constant, with {@code broken.BrokenSitePublicationTest}.
 */
@JCStressTest
@Description("Clause 4: a new site is either unknown or fully initialised to a racing reader")
@Outcome(id = SitePublicationTest.UNKNOWN, expect = ACCEPTABLE, desc = "not yet published to the lookup")
@Outcome(id = SitePublicationTest.EMPTY, expect = ACCEPTABLE, desc = "published with its key, EMA still empty")
@Outcome(id = SitePublicationTest.ONE, expect = ACCEPTABLE, desc = "published, LIVE, with the first sample")
@Outcome(expect = FORBIDDEN, desc = "a slot or record without its key, a sample before LIVE, lost sample or overwrite")
@State
public class SitePublicationTest
{
    /** Final state every acceptable outcome ends with. */
    public static final String FINAL = " enumFinal=site sites=2 final=one canary=ok";
    /** Lookup found nothing; the site may already be enumerated. */
    public static final String UNKNOWN = "slot=none read=unknown enum=(none|site)" + FINAL;
    /** Found with its key and an empty EMA; LIVE or not yet. */
    public static final String EMPTY = "slot=(none|site) read=empty enum=(none|site)" + FINAL;
    /** Found with its first sample: it must be LIVE, hence enumerated. */
    public static final String ONE = "slot=(none|site) read=one enum=site" + FINAL;

    static final long SITE = 0x51_7E_0001L;
    static final long SAMPLE = 3_000;
    static final long ONE_WORD = EmaWord.update(EmaWord.EMPTY, SAMPLE);
    static final int SLOTS = RecordTable.slotCount(TrackerFixture.CAPACITY);

    final TrackerFixture fixture = new TrackerFixture();
    final int indexOffset = (int)fixture.tracker.layout().siteTableOffset() + RecordTable.CONTROL_LENGTH;
    final int canaryRecord = RecordTable.record(fixture.sites.find(TrackerFixture.CANARY_SITE, 0, 0));
    final SiteView view = new SiteView();
    String slot;
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
        slot = rawSlot();
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
            read = Outcomes.name(view.word(), new long[]{EmaWord.EMPTY, ONE_WORD}, new String[]{"empty", "one"});
        }
        enumerated = enumerate();
    }

    /**
     * @return {@code none} when no index slot names a record other than the canary's, else {@code site}
     * when that record's key is SITE's (read after the slot's volatile load, as {@code find} does), else
     * {@code key:<hex>}.
     */
    private String rawSlot()
    {
        for (int i = 0; i < SLOTS; i++)
        {
            final long word = fixture.buffer.getLongVolatile(indexOffset + i * Long.BYTES);
            final int record = (int)(word & 0xFFFF_FFFFL) - 1;
            if (word != 0 && record != canaryRecord)
            {
                if (record < 0 || record >= TrackerFixture.CAPACITY)
                {
                    return "record:" + record;
                }
                final long key = fixture.sites.key0(record);
                return key == SITE && fixture.sites.key1(record) == 0 && fixture.sites.key2(record) == 0 ?
                    "site" : "key:" + Long.toHexString(key);
            }
        }
        return "none";
    }

    /** @return {@code none} (only the canary), {@code site} (the canary and SITE), else what was seen. */
    private String enumerate()
    {
        final long[] other = {0};
        final int visited = fixture.tracker.forEachTrackedSite(id ->
        {
            if (id != TrackerFixture.CANARY_SITE)
            {
                other[0] = id;
            }
        });
        return visited == 1 ? "none" :
            visited == 2 && other[0] == SITE ? "site" : "key:" + Long.toHexString(other[0]) + "/" + visited;
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "slot=" + slot + " read=" + read + " enum=" + enumerated +
            " enumFinal=" + enumerate() + " sites=" + fixture.tracker.trackedSiteCount() +
            " final=" + (fixture.siteCount(SITE) == 1 ? Outcomes.name(fixture.siteWord(SITE), ONE_WORD, "one") : "count") +
            " canary=" + fixture.canary();
    }
}
