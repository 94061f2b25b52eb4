package ai.bytesandbrains.rtt.broken;

import ai.bytesandbrains.rtt.SitePublicationTest;
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
 * finds the slot can read a zero key. The outcome table is {@code SitePublicationTest}'s (the same
 * constants), and the reader takes the same three steps: the raw slot and the key it names, a lookup
 * that, like {@code RecordTable.find}, treats a record with another key as not found, then an
 * enumeration of LIVE records. {@code sites} counts the published records plus one, standing for the
 * real test's canary site.
 *
 * <pre>canary | index slot | key | state | EMA word | count | size | canary</pre>
 */
@JCStressTest
@Description("BROKEN clause 4: a slot published before its record is initialised")
@Outcome(id = SitePublicationTest.UNKNOWN, expect = ACCEPTABLE, desc = "not yet published to the lookup")
@Outcome(id = SitePublicationTest.EMPTY, expect = ACCEPTABLE, desc = "published with its key, EMA still empty")
@Outcome(id = SitePublicationTest.ONE, expect = ACCEPTABLE, desc = "published, LIVE, with the first sample")
@Outcome(expect = FORBIDDEN, desc = "a slot or record without its key, a sample before LIVE, lost sample or overwrite")
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
    static final int SIZE = 48;
    static final int END = 56;

    final AtomicBuffer buffer = new UnsafeBuffer(new byte[END + Long.BYTES]);
    String slot;
    String read;
    String enumerated;

    public BrokenSitePublicationTest()
    {
        buffer.putLong(0, Outcomes.CANARY);
        buffer.putLong(END, Outcomes.CANARY);
    }

    @Actor
    public void writer()
    {
        buffer.compareAndSetLong(SLOT, 0, 1); // BROKEN: published before the record is written
        buffer.putLong(KEY, SITE);
        if (buffer.compareAndSetLong(STATE, 0, 1))
        {
            buffer.getAndAddLong(SIZE, 1);
        }
        buffer.compareAndSetLong(WORD, EmaWord.EMPTY, ONE);
        buffer.getAndAddLong(COUNT, 1);
    }

    @Actor
    public void reader()
    {
        if (buffer.getLongVolatile(SLOT) == 0)
        {
            slot = "none";
        }
        else
        {
            final long key = buffer.getLong(KEY);
            slot = key == SITE ? "site" : "key:" + Long.toHexString(key);
        }
        read = buffer.getLongVolatile(SLOT) == 0 || buffer.getLong(KEY) != SITE ? "unknown" :
            Outcomes.name(buffer.getLongVolatile(WORD), new long[]{EmaWord.EMPTY, ONE}, new String[]{"empty", "one"});
        enumerated = enumerate();
    }

    private String enumerate()
    {
        if (buffer.getLongAcquire(STATE) != 1)
        {
            return "none";
        }
        final long key = buffer.getLong(KEY);
        return key == SITE ? "site" : "key:" + Long.toHexString(key);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "slot=" + slot + " read=" + read + " enum=" + enumerated +
            " enumFinal=" + enumerate() + " sites=" + (1 + buffer.getLongVolatile(SIZE)) +
            " final=" + (buffer.getLongVolatile(COUNT) == 1 ? Outcomes.name(buffer.getLongVolatile(WORD), ONE, "one") : "count") +
            " canary=" + Outcomes.canaries(buffer.getLongVolatile(0), buffer.getLongVolatile(END));
    }
}
