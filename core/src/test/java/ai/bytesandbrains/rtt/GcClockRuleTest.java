package ai.bytesandbrains.rtt;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The clock rule: GC pauses are timed with {@link System#nanoTime()}, so a tracker gets them only while its
 * scans run on that clock.
 */
class GcClockRuleTest
{
    private static final long OTHER_CLOCK = 1L << 40; // a simulated clock starting far from nanoTime

    /** Published garbage, so that the JIT cannot elide the allocations that provoke collections. */
    private static volatile Object garbageSink;

    @Test
    void shouldStopTheGcFeedWhileScansRunOnAnotherClock() throws Exception
    {
        try (RttTracker tracker = RttTracker.builder().build())
        {
            assertThat(tracker.isGcPauseFeedOpen()).isTrue(); // nothing to check before the first scan

            tracker.scanPhi(OTHER_CLOCK, (site, state, phi) -> { });
            assertThat(tracker.isGcPauseFeedOpen()).isFalse();
            assertThat(tracker.gcClockMismatchCount()).isEqualTo(1);

            // Back on nanoTime: the switch is an implausible time for the gap detector, whose scans are not
            // checked, until the new clock is confirmed (at most localPauseMinNs later); then checked.
            final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!tracker.isGcPauseFeedOpen() && System.nanoTime() < giveUp)
            {
                tracker.scanPhi(System.nanoTime(), (site, state, phi) -> { });
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertThat(tracker.isGcPauseFeedOpen()).isTrue();
            assertThat(tracker.gcClockMismatchCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldFeedRealGcPausesOnlyToTheTrackerOnTheNanoTimeClock() throws Exception
    {
        try (RttTracker onNanoTime = RttTracker.builder().build();
             RttTracker onOtherClock = RttTracker.builder().build())
        {
            onNanoTime.scanPhi(System.nanoTime(), (site, state, phi) -> { });
            onOtherClock.scanPhi(OTHER_CLOCK, (site, state, phi) -> { });

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (onNanoTime.localPauseCount() == 0 && System.nanoTime() < deadline)
            {
                final List<byte[]> garbage = new ArrayList<>();
                for (int i = 0; i < 2_000; i++)
                {
                    garbage.add(new byte[16 * 1024]);
                }
                garbageSink = garbage;
                System.gc(); // a full, stop-the-world collection with G1, usually several ms
                TimeUnit.MILLISECONDS.sleep(50);
            }
            garbageSink = null;
            TimeUnit.MILLISECONDS.sleep(200); // the fan-out reaches every tracker on the same notification

            assertThat(onNanoTime.localPauseCount()).isPositive();
            assertThat(onOtherClock.localPauseCount()).isZero(); // its clock would have misplaced them
        }
    }

    @Test
    void shouldRefuseAMaximumPauseBelowTheMinimumNamingIt()
    {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> RttTracker.builder().localPauseMinNs(1_000).maxLocalPauseNs(999).build())
            .withMessageContaining("maxLocalPauseNs");
        assertThat(RttTracker.builder().maxLocalPauseNs(5_000_000_000L).toConfig().toBuilder().toConfig()
            .maxLocalPauseNs()).isEqualTo(5_000_000_000L);
        assertThat(RttTracker.builder().toConfig().maxLocalPauseNs())
            .isEqualTo(RttTrackerConfig.DEFAULT_MAX_LOCAL_PAUSE_NS);
    }
}
