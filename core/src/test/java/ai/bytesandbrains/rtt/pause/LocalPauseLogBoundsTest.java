package ai.bytesandbrains.rtt.pause;

import ai.bytesandbrains.rtt.internal.LocalPauseLog;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The log against pauses from bad clock reads: the length bound, "ended by", and cutting. */
class LocalPauseLogBoundsTest
{
    private static final long MIN = Long.MIN_VALUE;
    private static final long MAX = Long.MAX_VALUE;

    @Test
    void shouldRejectAndCountAPauseLongerThanTheBound()
    {
        final LocalPauseLog log = new LocalPauseLog(4, 100);

        assertThat(log.record(0, 100)).isTrue();
        assertThat(log.record(0, 101)).isFalse();
        assertThat(log.record(0, MAX)).isFalse();
        assertThat(log.record(MIN, -1)).isFalse();

        assertThat(log.rejectedCount()).isEqualTo(3);
        assertThat(log.latestEndNs()).isEqualTo(100);
        assertThat(log.maxPauseNs()).isEqualTo(100);
    }

    @Test
    void shouldRefuseANonPositiveBound()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> new LocalPauseLog(4, 0)).withMessageContaining("maxPauseNs");
    }

    @Test
    void shouldRefuseARegionOutsideItsBuffer()
    {
        final int length = LocalPauseLog.regionLength(4);
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(length + 64, 64));

        assertThatIllegalArgumentException().isThrownBy(() -> new LocalPauseLog(buffer, 72, 4, 100))
            .withMessageContaining("does not fit a buffer of " + (length + 64) + " bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> new LocalPauseLog(buffer, -8, 4, 100))
            .withMessageContaining("offset -8");
    }

    @Test
    void shouldReadTheLatestEndOfALogAtAnOffsetOfASharedBuffer()
    {
        final int length = LocalPauseLog.regionLength(4);
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 + length + 64, 64));
        buffer.setMemory(0, buffer.capacity(), (byte)0x5A); // the neighbours' bytes must not leak into the log
        buffer.setMemory(64, length, (byte)0);
        final LocalPauseLog writer = new LocalPauseLog(buffer, 64, 4, 1_000);
        final LocalPauseLog reader = new LocalPauseLog(buffer, 64, 4, 1_000); // a second view, as a file reader's

        assertThat(reader.pausedNsEndedWithin(0, 10_000)).isZero();
        writer.record(100, 600);

        assertThat(reader.latestEndNs()).isEqualTo(600);
        assertThat(reader.pausedNsEndedWithin(0, 10_000)).isEqualTo(500);
        assertThat(buffer.getByte(63)).isEqualTo((byte)0x5A);
        assertThat(buffer.getByte(64 + length)).isEqualTo((byte)0x5A);
    }

    @Test
    void shouldCountOnlyPausesThatEndedByTheWindowEnd()
    {
        final LocalPauseLog log = new LocalPauseLog(4);
        log.record(100, 200);
        log.record(300, 1_000_000);   // from a bad future read: not ended for a caller before 1,000,000

        assertThat(log.pausedNsEndedWithin(0, 500)).isEqualTo(100);
        assertThat(log.pausedNsWithin(0, 500)).isEqualTo(300);  // the plain measure still clips it
        assertThat(log.pausedNsEndedWithin(0, 150)).isZero();     // [100, 200) has not ended at 150 either
        assertThat(log.pausedNsEndedWithin(0, 1_000_000)).isEqualTo(100 + 999_700);
    }

    @Test
    void shouldCutOnlyPausesEndingAfterThePresentAndNeverBeforeTheirStart()
    {
        final LocalPauseLog log = new LocalPauseLog(8);
        log.record(100, 200);     // ended before the present: kept
        log.record(400, 900);     // reaches past the present: cut at 450
        log.record(600, 700);     // lies wholly after the cut: cut to nothing
        log.record(480, 500);     // ends at the present: kept

        assertThat(log.clampEndsAfter(500, 450)).isEqualTo(2);

        assertThat(log.pausedNsWithin(MIN, MAX)).isEqualTo(100 + 50 + 20);
        assertThat(log.pausedNsWithin(600, MAX)).isZero();
        assertThat(log.clampedCount()).isEqualTo(2);
        assertThat(log.latestEndNs()).isEqualTo(900); // stays an upper bound
        assertThat(log.clampEndsAfter(500, 450)).isZero(); // nothing left to cut
        assertThat(log.clampEndsAfter(1_000, 0)).isZero();  // one volatile read: nothing ends after 1,000
    }

    @Test
    void shouldLetTheCutSlotBeReusedByLaterRecords()
    {
        final LocalPauseLog log = new LocalPauseLog(1);
        log.record(0, 1_000);
        log.clampEndsAfter(10, 10);

        assertThat(log.record(20, 30)).isTrue();
        assertThat(log.pausedNsWithin(MIN, MAX)).isEqualTo(10);
        assertThat(log.droppedCount()).isZero();
    }
}
