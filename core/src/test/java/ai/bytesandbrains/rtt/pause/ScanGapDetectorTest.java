package ai.bytesandbrains.rtt.pause;

import ai.bytesandbrains.rtt.internal.LocalPauseLog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScanGapDetectorTest
{
    private static final long MS = 1_000_000L;

    private final LocalPauseLog log = new LocalPauseLog(64);

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void shouldRejectANonPositiveMinimumPause(final long minPauseNs)
    {
        assertThatThrownBy(() -> new ScanGapDetector(log, minPauseNs))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("minPauseNs");
    }

    @Test
    void shouldRejectANullSink()
    {
        assertThatThrownBy(() -> new ScanGapDetector(null, MS)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldOnlySetTheBaselineOnTheFirstScan()
    {
        final ScanGapDetector detector = new ScanGapDetector(log, MS);

        assertThat(detector.onScan(123 * MS)).isZero();
        assertThat(detector.expectedNs()).isEqualTo(-1);
        assertThat(log.recordedCount()).isZero();
    }

    @Test
    void shouldOnlyLearnTheFirstGapHoweverLong()
    {
        final ScanGapDetector detector = new ScanGapDetector(log, MS);
        detector.onScan(0);

        assertThat(detector.onScan(10_000 * MS)).isZero();
        assertThat(detector.expectedNs()).isEqualTo(10_000 * MS);
        assertThat(log.recordedCount()).isZero();
    }

    @Test
    void shouldDetectNoPauseOnAJitteryRegularSchedule()
    {
        final ScanGapDetector detector = new ScanGapDetector(log, 5 * MS);
        final SplittableRandom random = new SplittableRandom(17);
        long nowNs = -50 * MS;
        for (int i = 0; i < 10_000; i++)
        {
            nowNs += MS * 8 / 10 + random.nextLong(MS * 4 / 10);
            assertThat(detector.onScan(nowNs)).isZero();
        }
        assertThat(detector.pausesDetected()).isZero();
        assertThat(log.recordedCount()).isZero();
    }

    @Test
    void shouldRecordThePauseFromTheExpectedScanToNow()
    {
        final ScanGapDetector detector = new ScanGapDetector(log, 5 * MS);
        detector.onScan(0);
        detector.onScan(MS);
        detector.onScan(2 * MS);

        assertThat(detector.onScan(50 * MS)).isEqualTo(47 * MS);
        assertThat(detector.pausesDetected()).isEqualTo(1);
        assertThat(log.recordedCount()).isEqualTo(1);
        assertThat(log.latestEndNs()).isEqualTo(50 * MS);
        assertThat(log.pausedNsWithin(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(47 * MS);
        assertThat(log.pausedNsWithin(0, 3 * MS)).isZero();
        assertThat(log.pausedNsWithin(3 * MS, 4 * MS)).isEqualTo(MS);
    }

    @Test
    void shouldKeepTheExpectedIntervalAcrossAPause()
    {
        final ScanGapDetector detector = new ScanGapDetector(log, 5 * MS);
        detector.onScan(0);
        detector.onScan(MS);
        detector.onScan(2 * MS);
        assertThat(detector.onScan(52 * MS)).isEqualTo(49 * MS);
        assertThat(detector.expectedNs()).isEqualTo(MS);

        assertThat(detector.onScan(53 * MS)).isZero();
        assertThat(detector.onScan(60 * MS)).isEqualTo(6 * MS);
        assertThat(log.pausedNsWithin(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(55 * MS);
    }

    @Test
    void shouldLearnAGapBelowTheMinimumPauseEvenIfLongerThanTwiceExpected()
    {
        final ScanGapDetector detector = new ScanGapDetector(log, 10 * MS);
        detector.onScan(0);
        detector.onScan(MS);

        assertThat(detector.onScan(9 * MS)).isZero();
        assertThat(detector.expectedNs()).isEqualTo(8 * MS);
        assertThat(detector.onScan(25 * MS)).isZero();      // 16 ms is not more than 2 * 8 ms
        assertThat(detector.onScan(60 * MS)).isEqualTo(60 * MS - 25 * MS - 16 * MS);
    }

    @Test
    void shouldIgnoreALateOrRepeatedScan()
    {
        final ScanGapDetector detector = new ScanGapDetector(log, 1000);
        detector.onScan(100);
        detector.onScan(200);

        assertThat(detector.onScan(150)).isZero();
        assertThat(detector.onScan(200)).isZero();
        assertThat(detector.onScan(300)).isZero();
        assertThat(detector.expectedNs()).isEqualTo(100);
        assertThat(detector.onScan(10_000)).isEqualTo(10_000 - 400);
        assertThat(log.pausedNsWithin(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(9_600);
    }

    @Test
    void shouldWorkOnANegativeClockCrossingZero()
    {
        final ScanGapDetector detector = new ScanGapDetector(log, 5 * MS);
        detector.onScan(-3 * MS);
        detector.onScan(-2 * MS);
        detector.onScan(-MS);

        assertThat(detector.onScan(20 * MS)).isEqualTo(20 * MS);
        assertThat(log.pausedNsWithin(-MS, 20 * MS)).isEqualTo(20 * MS);
        assertThat(log.pausedNsWithin(Long.MIN_VALUE, 0)).isZero();
    }

    @Test
    void shouldNeitherJudgeNorLearnAGapLongerThanALong()
    {
        final ScanGapDetector detector = new ScanGapDetector(log, 5);
        detector.onScan(Long.MIN_VALUE + 1);
        detector.onScan(Long.MIN_VALUE + 2);

        assertThat(detector.onScan(Long.MAX_VALUE - 1)).isEqualTo(ScanGapDetector.IMPLAUSIBLE);
        assertThat(detector.implausibleScanCount()).isEqualTo(1);
        assertThat(detector.expectedNs()).isEqualTo(1);
        assertThat(detector.onScan(Long.MAX_VALUE)).isZero();
        assertThat(log.recordedCount()).isZero();
    }

    @Test
    void shouldTreatMinValueAsNoScan()
    {
        final ScanGapDetector detector = new ScanGapDetector(log, 5);
        assertThat(detector.onScan(Long.MIN_VALUE)).isZero();
        assertThat(detector.onScan(10)).isZero();       // still only the baseline
        assertThat(detector.expectedNs()).isEqualTo(-1);
    }

    @Test
    void shouldRecordEachPauseOnceWhenScannersRace() throws Exception
    {
        final int threads = 4;
        final int pauses = 20;
        final int stepsBetweenPauses = 2_000;
        final long pauseNs = 1_000 * MS;
        final long[] schedule = schedule(pauses, stepsBetweenPauses, pauseNs);

        final long[] sequential = replaySequentially(schedule);
        assertThat(sequential).hasSize(pauses).containsOnly(pauseNs - MS);

        final LocalPauseLog sharedLog = new LocalPauseLog(64);
        final ConcurrentLinkedQueue<long[]> recorded = new ConcurrentLinkedQueue<>();
        final ScanGapDetector detector = new ScanGapDetector(
            (startNs, endNs) -> recorded.add(new long[]{startNs, endNs}) && sharedLog.record(startNs, endNs),
            100 * MS);
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicLong returnedNs = new AtomicLong();
        final AtomicLong returnedCount = new AtomicLong();
        final CyclicBarrier start = new CyclicBarrier(threads);
        final CountDownLatch done = new CountDownLatch(threads);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++)
        {
            final Thread thread = new Thread(() ->
            {
                try
                {
                    start.await();
                    int index;
                    while ((index = next.getAndIncrement()) < schedule.length)
                    {
                        // Racing scanners are at most threads - 1 steps apart, as the assertions below assume: a
                        // scanner descheduled for longer than a pause's worth of steps would be a stale clock,
                        // which ClockHostilityTest covers.
                        while (delivered.get() < index - (threads - 1))
                        {
                            Thread.onSpinWait();
                        }
                        final long lengthNs = detector.onScan(schedule[index]);
                        delivered.incrementAndGet();
                        if (lengthNs > 0)
                        {
                            returnedNs.addAndGet(lengthNs);
                            returnedCount.incrementAndGet();
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
                finally
                {
                    done.countDown();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        done.await();

        assertThat(failure.get()).isNull();
        // Each injected pause lies in exactly one gap, owned by one caller; late scans only stretch a regular
        // gap by at most threads - 1 steps, far below the minimum pause.
        assertThat(returnedCount.get()).isEqualTo(pauses);
        assertThat(recorded).hasSize(pauses);
        long recordedNs = 0;
        for (final long[] interval : recorded)
        {
            assertThat(interval[1] - interval[0]).isBetween(pauseNs - threads * MS, pauseNs + threads * MS);
            recordedNs += interval[1] - interval[0];
        }
        assertThat(recordedNs).isEqualTo(returnedNs.get());
        // Disjoint: nothing was recorded twice.
        assertThat(sharedLog.pausedNsWithin(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(recordedNs);
        assertThat(detector.pausesDetected()).isEqualTo(pauses);
    }

    /** Regular 1 ms scans from -5 s, with a pause before every {@code stepsBetweenPauses}-th scan but the first. */
    private static long[] schedule(final int pauses, final int stepsBetweenPauses, final long pauseNs)
    {
        final List<Long> times = new ArrayList<>();
        long nowNs = -5_000 * MS;
        for (int p = 0; p <= pauses; p++)
        {
            for (int i = 0; i < stepsBetweenPauses; i++)
            {
                times.add(nowNs);
                nowNs += MS;
            }
            nowNs += pauseNs - MS;
        }
        return times.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] replaySequentially(final long[] schedule)
    {
        final ScanGapDetector detector = new ScanGapDetector(new LocalPauseLog(64), 100 * MS);
        return Arrays.stream(schedule).map(detector::onScan).filter(length -> length > 0).toArray();
    }
}
