package ai.bytesandbrains.rtt.broken;

import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.stress.Outcomes;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
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
 * DELIBERATELY BROKEN, must be reported FAILED: clause 4 with a one-slot site table that CASes the
 * index slot (publishes the record) before writing the record's key and state word. A reader that
 * finds the slot can read a zero key. Same outcome table as {@code SitePublicationTest}; the reader
 * looks the site up and then enumerates published records, as there.
 *
 * <pre>canary | index slot | key | state | EMA word | count | canary</pre>
 */
@JCStressTest
@Description("BROKEN clause 4: a slot published before its record is initialised")
@Outcome(id = "read=(unknown|empty|one) enum=(none|site) final=one canary=ok", expect = ACCEPTABLE,
    desc = "unknown, or published with its key and an empty or one-sample EMA")
@Outcome(expect = FORBIDDEN, desc = "a half-written record, lost sample or overwrite")
@State
public class BrokenSitePublicationTest
{
    static final long SITE = 0x51_7E_0001L;
    static final long SAMPLE = 3_000;
    static final long ONE = EmaWord.update(EmaWord.EMPTY, SAMPLE);
    static final int SLOT = 8;
    static final int KEY = 16;
    static final int STATE = 24;
    static final int WORD = 32;
    static final int COUNT = 40;

    final AtomicBuffer buffer = new UnsafeBuffer(new byte[56]);
    String read;
    String enumerated;

    public BrokenSitePublicationTest()
    {
        buffer.putLong(0, Outcomes.CANARY);
        buffer.putLong(48, Outcomes.CANARY);
    }

    @Actor
    public void writer()
    {
        buffer.compareAndSetLong(SLOT, 0, 1); // BROKEN: published before the record is written
        buffer.putLong(KEY, SITE);
        buffer.putLongRelease(STATE, 1);
        buffer.putLongVolatile(WORD, ONE);
        buffer.getAndAddLong(COUNT, 1);
    }

    @Actor
    public void reader()
    {
        if (buffer.getLongVolatile(SLOT) == 0)
        {
            read = "unknown";
        }
        else
        {
            final long key = buffer.getLong(KEY);
            read = key != SITE ? "key:" + Long.toHexString(key) :
                Outcomes.name(buffer.getLongVolatile(WORD), new long[]{EmaWord.EMPTY, ONE}, new String[]{"empty", "one"});
        }
        if (buffer.getLongAcquire(STATE) != 1)
        {
            enumerated = "none";
        }
        else
        {
            final long key = buffer.getLong(KEY);
            enumerated = key == SITE ? "site" : "key:" + Long.toHexString(key);
        }
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "read=" + read + " enum=" + enumerated +
            " final=" + (buffer.getLongVolatile(COUNT) == 1 ? Outcomes.name(buffer.getLongVolatile(WORD), ONE, "one") : "count") +
            " canary=" + Outcomes.canaries(buffer.getLongVolatile(0), buffer.getLongVolatile(48));
    }
}
