package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.file.ChildJvm;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link RttTrackerConfig.Builder#buildOver} and {@code restoreOver} refuse, with the documented
 * {@link IllegalStateException}, any buffer whose 64-bit words would not be 8-byte aligned, whether or
 * not {@code agrona.strict.alignment.checks} is set: this JVM runs with it, a child JVM without it.
 */
class BufferAlignmentTest
{
    private final RttTrackerConfig.Builder builder = RttTracker.builder().siteCapacity(2).historyCapacity(8);
    private final int length = (int)RttTracker.requiredBufferLength(builder.toConfig());

    @Test
    void shouldAcceptAnAlignedDirectBufferAlsoAtAnOffsetThatIsAMultipleOfEight()
    {
        final ByteBuffer memory = BufferUtil.allocateDirectAligned(length + 64, 64);
        try (RttTracker tracker = builder.buildOver(new UnsafeBuffer(memory, 8, length)))
        {
            assertThat(tracker.observeRoundTrip(1, 10, 10)).isTrue();
            assertThat(tracker.trackedSiteCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseADirectBufferAtAMisalignedOffset()
    {
        final UnsafeBuffer misaligned = new UnsafeBuffer(BufferUtil.allocateDirectAligned(length + 64, 64), 4, length);
        assertThatIllegalStateException().isThrownBy(() -> builder.buildOver(misaligned))
            .withMessageContaining("not 8-byte aligned");
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(misaligned))
            .withMessageContaining("not 8-byte aligned");
    }

    @Test
    void shouldRefuseAByteArrayBufferAtAnyOffset()
    {
        assertThatIllegalStateException().isThrownBy(() -> builder.buildOver(new UnsafeBuffer(new byte[length])))
            .withMessageContaining("byte[]").withMessageContaining("direct or mapped");
        assertThatIllegalStateException()
            .isThrownBy(() -> builder.buildOver(new UnsafeBuffer(new byte[length + 16], 8, length)))
            .withMessageContaining("byte[]");
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(new UnsafeBuffer(new byte[length])))
            .withMessageContaining("byte[]");
    }

    @Test
    void shouldRefuseAByteArrayBufferWithoutStrictAlignmentChecks() throws Exception
    {
        try (ChildJvm child = ChildJvm.start(ByteArrayChild.class)) // no -Dagrona.strict.alignment.checks
        {
            final ChildJvm.Result result = child.finish(60);
            assertThat(result.output()).contains("strict=false", "REFUSED").doesNotContain("ACCEPTED");
            assertThat(result.exitCode()).isZero();
        }
    }

    /** Child main: builds over a {@code byte[]} buffer in a JVM with Agrona's default, lenient checks. */
    public static final class ByteArrayChild
    {
        public static void main(final String[] args)
        {
            System.out.println("strict=" + Boolean.getBoolean("agrona.strict.alignment.checks"));
            final RttTrackerConfig.Builder builder = RttTracker.builder().siteCapacity(2).historyCapacity(8);
            final byte[] memory = new byte[(int)RttTracker.requiredBufferLength(builder.toConfig())];
            try (RttTracker tracker = builder.buildOver(new UnsafeBuffer(memory)))
            {
                System.out.println("ACCEPTED " + tracker.trackedSiteCount());
            }
            catch (final IllegalStateException ex)
            {
                System.out.println("REFUSED " + ex.getMessage());
            }
        }
    }

    @Test
    void shouldRefuseAHeapByteBuffer()
    {
        assertThatIllegalStateException().isThrownBy(() -> builder.buildOver(new UnsafeBuffer(ByteBuffer.allocate(length))))
            .withMessageContaining("byte[]");
    }
}
