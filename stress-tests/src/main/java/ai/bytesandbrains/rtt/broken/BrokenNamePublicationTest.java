package ai.bytesandbrains.rtt.broken;

import ai.bytesandbrains.rtt.internal.NamePublicationTest;
import ai.bytesandbrains.rtt.internal.NameTable;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import java.nio.charset.StandardCharsets;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * DELIBERATELY BROKEN, must be reported FAILED: the name table's publication with the length stored (with
 * release) before the bytes it counts. A reader that loads the length with acquire then finds bytes not yet
 * written: a torn name. One slot laid out as {@link NameTable}'s (key, length, bytes), one namer (A) and
 * the reader of {@code NamePublicationTest}; the outcome table is that test's, constant by constant. The
 * arbiter's other fields stand for the real test's checks.
 */
@JCStressTest
@Description("BROKEN named peers: the length published before the name's bytes")
@Outcome(id = NamePublicationTest.NONE, expect = ACCEPTABLE, desc = "not yet published")
@Outcome(id = NamePublicationTest.A, expect = ACCEPTABLE, desc = "A's whole name, which stays")
@Outcome(expect = FORBIDDEN, desc = "a torn or changed name, two slots, a drop, or the canary disturbed")
@State
public class BrokenNamePublicationTest
{
    static final byte[] NAME_A = NamePublicationTest.NAME_A.getBytes(StandardCharsets.UTF_8);
    static final long KEY = NamePublicationTest.SITE ^ NameTable.KEY_MASK;

    final AtomicBuffer buffer = new UnsafeBuffer(new byte[NameTable.SLOT_LENGTH]);
    final byte[] bytes = new byte[NameTable.MAX_NAME_BYTES];
    String read;

    @Actor
    public void namerA()
    {
        if (buffer.compareAndSetLong(NameTable.KEY_OFFSET, 0, KEY))
        {
            buffer.putLongRelease(NameTable.LENGTH_OFFSET, NAME_A.length); // BROKEN: published before the bytes
            buffer.putBytes(NameTable.NAME_OFFSET, NAME_A);
        }
    }

    @Actor
    public void reader()
    {
        read = NamePublicationTest.classify(bytes, readName());
    }

    private int readName()
    {
        if (buffer.getLongVolatile(NameTable.KEY_OFFSET) != KEY)
        {
            return 0;
        }
        final int length = (int)buffer.getLongAcquire(NameTable.LENGTH_OFFSET);
        buffer.getBytes(NameTable.NAME_OFFSET, bytes, 0, length);
        return length;
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "read=" + read + " final=" + NamePublicationTest.classify(bytes, readName()) + NamePublicationTest.FINAL;
    }
}
