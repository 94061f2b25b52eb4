package ai.bytesandbrains.rtt.pause;

import ai.bytesandbrains.rtt.internal.LocalPauseLog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalPauseLogTest
{
    private static final long MIN = Long.MIN_VALUE;
    private static final long MAX = Long.MAX_VALUE;

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 3, 12, LocalPauseLog.MAX_CAPACITY * 2, Integer.MIN_VALUE})
    void shouldRejectCapacityThatIsNotAPowerOfTwoInRange(final int capacity)
    {
        assertThatThrownBy(() -> new LocalPauseLog(capacity))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("capacity");
    }

    @Test
    void shouldStartEmpty()
    {
        final LocalPauseLog log = new LocalPauseLog(4);

        assertThat(log.capacity()).isEqualTo(4);
        assertThat(log.latestEndNs()).isEqualTo(MIN);
        assertThat(log.pausedNsWithin(MIN, MAX)).isZero();
        assertThat(log.recordedCount()).isZero();
        assertThat(log.rejectedCount()).isZero();
        assertThat(log.droppedCount()).isZero();
    }

    @Test
    void shouldReturnZeroForEmptyOrInvertedWindow()
    {
        final LocalPauseLog log = new LocalPauseLog(4);
        log.record(0, 100);

        assertThat(log.pausedNsWithin(50, 50)).isZero();
        assertThat(log.pausedNsWithin(60, 40)).isZero();
        assertThat(log.pausedNsWithin(MAX, MIN)).isZero();
    }

    @Test
    void shouldClipAnIntervalToTheWindow()
    {
        final LocalPauseLog log = new LocalPauseLog(4);
        assertThat(log.record(100, 200)).isTrue();

        assertThat(log.pausedNsWithin(0, 1000)).isEqualTo(100);
        assertThat(log.pausedNsWithin(150, 1000)).isEqualTo(50);
        assertThat(log.pausedNsWithin(0, 150)).isEqualTo(50);
        assertThat(log.pausedNsWithin(120, 130)).isEqualTo(10);
        assertThat(log.pausedNsWithin(200, 300)).isZero();
        assertThat(log.pausedNsWithin(0, 100)).isZero();
        assertThat(log.pausedNsWithin(199, 200)).isEqualTo(1);
    }

    @Test
    void shouldCountADuplicatePauseOnce()
    {
        final LocalPauseLog log = new LocalPauseLog(4);
        log.record(100, 200);
        log.record(100, 200);

        assertThat(log.pausedNsWithin(0, 1000)).isEqualTo(100);
        assertThat(log.recordedCount()).isEqualTo(2);
    }

    @Test
    void shouldMeasureTheUnionOfOverlappingNestedAndAdjacentPauses()
    {
        final LocalPauseLog log = new LocalPauseLog(8);
        log.record(100, 200);
        log.record(150, 260);   // overlaps
        log.record(120, 130);   // nested
        log.record(260, 300);   // adjacent
        log.record(400, 410);   // apart

        assertThat(log.pausedNsWithin(0, 1000)).isEqualTo(210);
        assertThat(log.pausedNsWithin(125, 405)).isEqualTo(175 + 5);
    }

    @Test
    void shouldRejectAndCountInvalidIntervals()
    {
        final LocalPauseLog log = new LocalPauseLog(4);

        assertThat(log.record(10, 10)).isFalse();
        assertThat(log.record(10, 9)).isFalse();
        assertThat(log.record(MIN, MAX)).isFalse();     // length overflows
        assertThat(log.record(MAX, MIN)).isFalse();
        assertThat(log.record(-1, MAX)).isFalse();      // length MAX + 1 overflows

        assertThat(log.rejectedCount()).isEqualTo(5);
        assertThat(log.recordedCount()).isZero();
        assertThat(log.latestEndNs()).isEqualTo(MIN);
        assertThat(log.pausedNsWithin(MIN, MAX)).isZero();
    }

    @Test
    void shouldTrackTheLargestEndNotTheLast()
    {
        final LocalPauseLog log = new LocalPauseLog(2);
        log.record(100, 500);
        log.record(200, 300);
        assertThat(log.latestEndNs()).isEqualTo(500);

        log.record(-50, -10);
        log.record(-40, -20);   // evicts [100, 500)
        assertThat(log.latestEndNs()).isEqualTo(500);
        assertThat(log.pausedNsWithin(MIN, MAX)).isEqualTo(40);
    }

    @Test
    void shouldSkipTheSweepWhenNoPauseEndedAfterTheWindowStart()
    {
        final LocalPauseLog log = new LocalPauseLog(4);
        log.record(100, 200);

        assertThat(log.pausedNsWithin(200, 1000)).isZero();
        assertThat(log.pausedNsWithin(199, 1000)).isEqualTo(1);
    }

    @Test
    void shouldOverwriteTheOldestPausesBeyondCapacity()
    {
        final LocalPauseLog log = new LocalPauseLog(2);
        log.record(0, 10);
        log.record(20, 30);
        log.record(40, 50);

        assertThat(log.pausedNsWithin(MIN, MAX)).isEqualTo(20);
        assertThat(log.pausedNsWithin(0, 20)).isZero();
        assertThat(log.recordedCount()).isEqualTo(3);
    }

    @Test
    void shouldKeepTheOnlyPauseWithCapacityOne()
    {
        final LocalPauseLog log = new LocalPauseLog(1);
        log.record(0, 10);
        log.record(5, 7);

        assertThat(log.pausedNsWithin(MIN, MAX)).isEqualTo(2);
    }

    @Test
    void shouldHandleExtremeTimesWithoutOverflow()
    {
        final LocalPauseLog log = new LocalPauseLog(4);
        assertThat(log.record(MIN, -1)).isTrue();       // length MAX
        assertThat(log.record(MAX - 10, MAX)).isTrue();

        assertThat(log.pausedNsWithin(MIN, MIN + 5)).isEqualTo(5);
        assertThat(log.pausedNsWithin(-3, MAX)).isEqualTo(2 + 10);
        assertThat(log.pausedNsWithin(MAX - 4, MAX)).isEqualTo(4);
        assertThat(log.pausedNsWithin(MIN, 0)).isEqualTo(MAX);
        assertThat(log.latestEndNs()).isEqualTo(MAX);
    }

    @Test
    void shouldSaturateAUnionLongerThanALong()
    {
        final LocalPauseLog log = new LocalPauseLog(2);
        log.record(MIN, -1);
        log.record(0, MAX);

        assertThat(log.pausedNsWithin(MIN, MAX)).isEqualTo(MAX);
        assertThat(log.pausedNsWithin(-10, 10)).isEqualTo(19);
    }

    @Test
    void shouldFeedThroughTheSinkInterface()
    {
        final LocalPauseLog log = new LocalPauseLog(2);
        final LocalPauseSink sink = log;

        assertThat(sink.recordLocalPause(1, 3)).isTrue();
        assertThat(sink.recordLocalPause(3, 3)).isFalse();
        assertThat(log.pausedNsWithin(0, 10)).isEqualTo(2);
        assertThat(log.rejectedCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 7L, 42L, 0x5eedL, 20240601L})
    void shouldMatchABruteForceModelOnRandomPausesAndWindows(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 60; round++)
        {
            final int capacity = 1 << random.nextInt(7);
            final LocalPauseLog log = new LocalPauseLog(capacity);
            final List<long[]> stored = new ArrayList<>();
            final long origin = randomOrigin(random);
            final long span = 1L << (4 + random.nextInt(12));
            long rejected = 0;

            final int records = random.nextInt(3 * capacity + 2);
            for (int i = 0; i < records; i++)
            {
                final long[] interval = randomInterval(random, origin, span, stored);
                final boolean valid = isValid(interval[0], interval[1]);
                assertThat(log.record(interval[0], interval[1])).isEqualTo(valid);
                if (valid)
                {
                    stored.add(interval);
                }
                else
                {
                    rejected++;
                }

                final List<long[]> kept = stored.subList(Math.max(0, stored.size() - capacity), stored.size());
                for (int q = 0; q < 4; q++)
                {
                    final long from = randomTime(random, origin, span);
                    final long to = random.nextInt(8) == 0 ? from : randomTime(random, origin, span);
                    assertThat(log.pausedNsWithin(from, to))
                        .as("seed %d round %d capacity %d window [%d, %d) over %s",
                            seed, round, capacity, from, to, describe(kept))
                        .isEqualTo(modelPausedNs(kept, from, to));
                }
            }

            assertThat(log.recordedCount()).isEqualTo(stored.size());
            assertThat(log.rejectedCount()).isEqualTo(rejected);
            assertThat(log.latestEndNs())
                .isEqualTo(stored.stream().mapToLong(i -> i[1]).max().orElse(MIN));
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldMeasureExactlyAfterConcurrentDisjointRecords() throws Exception
    {
        final int threads = 4;
        final int perThread = 200;
        final LocalPauseLog log = new LocalPauseLog(1024);
        final AtomicLong maxSeen = new AtomicLong();
        final long expectedTotal = runConcurrentRecorders(log, threads, perThread, false, maxSeen);

        assertThat(log.recordedCount()).isEqualTo((long)threads * perThread);
        assertThat(log.droppedCount()).isZero();
        assertThat(log.pausedNsWithin(MIN, MAX)).isEqualTo(expectedTotal);
        assertThat(log.latestEndNs()).isEqualTo(endOf(perThread - 1, threads - 1, threads));
        assertThat(maxSeen.get()).isLessThanOrEqualTo(expectedTotal);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldNotDoubleCountPausesReportedConcurrentlyByTwoSources() throws Exception
    {
        final int threads = 4;
        final int perThread = 100;
        final LocalPauseLog log = new LocalPauseLog(1024);
        final AtomicLong maxSeen = new AtomicLong();
        final long expectedTotal = runConcurrentRecorders(log, threads, perThread, true, maxSeen);

        assertThat(log.recordedCount()).isEqualTo(2L * threads * perThread);
        assertThat(log.pausedNsWithin(MIN, MAX)).isEqualTo(expectedTotal);
        assertThat(maxSeen.get()).isLessThanOrEqualTo(expectedTotal);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldNeverExposeATornRecordWhileSlotsAreOverwritten(final int capacity) throws Exception
    {
        // Pause k is [k * SPACING, k * SPACING + 1 + k % 1000): a start of one pause with the end of a later
        // one would measure at least SPACING, while a sweep of honest records measures at most
        // (capacity + 1) runs of at most 1000 ns.
        final long spacing = 1_000_000;
        final LocalPauseLog log = new LocalPauseLog(capacity);
        final int writers = 3;
        final int perWriter = 200_000;
        final CyclicBarrier start = new CyclicBarrier(writers + 1);
        final CountDownLatch done = new CountDownLatch(writers);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong sequence = new AtomicLong();
        for (int w = 0; w < writers; w++)
        {
            startThread(() ->
            {
                await(start);
                for (int i = 0; i < perWriter; i++)
                {
                    final long k = sequence.getAndIncrement();
                    log.record(k * spacing, k * spacing + 1 + k % 1000);
                }
            }, failure, done);
        }

        await(start);
        long reads = 0;
        while ((done.getCount() > 0 || reads < 1000) && failure.get() == null)
        {
            assertThat(log.pausedNsWithin(MIN, MAX)).isBetween(0L, (capacity + 1) * 1000L);
            reads++;
        }
        assertThat(failure.get()).isNull();
        assertThat(log.recordedCount() + log.droppedCount()).isEqualTo((long)writers * perWriter);
        assertThat(log.pausedNsWithin(MIN, MAX)).isBetween(1L, capacity * 1000L);
    }

    private static long runConcurrentRecorders(
        final LocalPauseLog log, final int threads, final int perThread, final boolean twice, final AtomicLong maxSeen)
        throws Exception
    {
        final CyclicBarrier start = new CyclicBarrier(threads + 1);
        final CountDownLatch done = new CountDownLatch(threads);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++)
        {
            final int thread = t;
            startThread(() ->
            {
                await(start);
                for (int k = 0; k < perThread; k++)
                {
                    assertThat(log.record(startOf(k, thread, threads), endOf(k, thread, threads))).isTrue();
                    if (twice)
                    {
                        // The same pause from a second source, nested and overlapping.
                        assertThat(log.record(startOf(k, thread, threads) + 1, endOf(k, thread, threads))).isTrue();
                    }
                }
            }, failure, done);
        }

        await(start);
        while (done.getCount() > 0 && failure.get() == null)
        {
            maxSeen.accumulateAndGet(log.pausedNsWithin(MIN, MAX), Math::max);
        }
        assertThat(failure.get()).isNull();

        long total = 0;
        for (int t = 0; t < threads; t++)
        {
            for (int k = 0; k < perThread; k++)
            {
                total += endOf(k, t, threads) - startOf(k, t, threads);
            }
        }
        return total;
    }

    private static long startOf(final int k, final int thread, final int threads)
    {
        return -1_000_000L + ((long)k * threads + thread) * 1000;
    }

    private static long endOf(final int k, final int thread, final int threads)
    {
        return startOf(k, thread, threads) + 100 + thread;
    }

    /** Run a worker that records its first failure and counts down {@code done} however it ends. */
    private static void startThread(
        final Runnable body, final AtomicReference<Throwable> failure, final CountDownLatch done)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                body.run();
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

    private static void await(final CyclicBarrier barrier)
    {
        try
        {
            barrier.await();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static long randomOrigin(final SplittableRandom random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return MIN;
            case 1:
                return MAX - (1L << 20);
            case 2:
                return -(1L << 10);
            default:
                return random.nextLong();
        }
    }

    /** A time near the origin, sometimes an extreme value, never wrapping past it. */
    private static long randomTime(final SplittableRandom random, final long origin, final long span)
    {
        final int pick = random.nextInt(20);
        if (pick == 0)
        {
            return MIN;
        }
        if (pick == 1)
        {
            return MAX;
        }
        final long offset = random.nextLong(span);
        return origin > MAX - span ? origin + offset - span : origin + offset;
    }

    private static long[] randomInterval(
        final SplittableRandom random, final long origin, final long span, final List<long[]> stored)
    {
        final int pick = random.nextInt(10);
        if (pick == 0 && !stored.isEmpty())
        {
            final long[] previous = stored.get(random.nextInt(stored.size()));
            return previous.clone();    // a duplicate report
        }
        if (pick == 1 && !stored.isEmpty())
        {
            final long[] previous = stored.get(random.nextInt(stored.size()));
            final long length = previous[1] - previous[0];
            final long a = previous[0] + (length > 1 ? random.nextLong(length) : 0);
            final long b = previous[0] + (length > 1 ? random.nextLong(length) : 0) + 1;
            return new long[]{Math.min(a, b), Math.max(a, b)};  // nested, sometimes empty
        }
        if (pick == 2)
        {
            final long a = randomTime(random, origin, span);
            return new long[]{a, a - random.nextInt(3)};        // invalid: empty or inverted
        }
        if (pick == 3)
        {
            return new long[]{randomTime(random, origin, span), randomTime(random, origin, span)};
        }
        final long a = randomTime(random, origin, span);
        final long length = 1 + random.nextLong(Math.max(1, span / 4));
        final long b = a > MAX - length ? MAX : a + length;
        return new long[]{a, b};
    }

    private static boolean isValid(final long start, final long end)
    {
        return BigInteger.valueOf(end).subtract(BigInteger.valueOf(start)).signum() > 0 &&
            BigInteger.valueOf(end).subtract(BigInteger.valueOf(start)).bitLength() < 64;
    }

    /** Clip to the window, sort, merge and sum in exact arithmetic, then saturate. */
    private static long modelPausedNs(final List<long[]> intervals, final long from, final long to)
    {
        if (from >= to)
        {
            return 0;
        }
        final List<long[]> clipped = new ArrayList<>();
        for (final long[] interval : intervals)
        {
            final long start = Math.max(interval[0], from);
            final long end = Math.min(interval[1], to);
            if (start < end)
            {
                clipped.add(new long[]{start, end});
            }
        }
        clipped.sort(Comparator.comparingLong(i -> i[0]));
        BigInteger total = BigInteger.ZERO;
        long runStart = 0;
        long runEnd = 0;
        boolean inRun = false;
        for (final long[] interval : clipped)
        {
            if (inRun && interval[0] <= runEnd)
            {
                runEnd = Math.max(runEnd, interval[1]);
            }
            else
            {
                if (inRun)
                {
                    total = total.add(BigInteger.valueOf(runEnd).subtract(BigInteger.valueOf(runStart)));
                }
                runStart = interval[0];
                runEnd = interval[1];
                inRun = true;
            }
        }
        if (inRun)
        {
            total = total.add(BigInteger.valueOf(runEnd).subtract(BigInteger.valueOf(runStart)));
        }
        return total.min(BigInteger.valueOf(MAX)).longValueExact();
    }

    private static String describe(final List<long[]> intervals)
    {
        final StringBuilder builder = new StringBuilder();
        for (final long[] interval : intervals)
        {
            builder.append(Arrays.toString(interval));
        }
        return builder.toString();
    }
}
