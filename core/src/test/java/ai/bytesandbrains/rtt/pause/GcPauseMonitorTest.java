package ai.bytesandbrains.rtt.pause;

import ai.bytesandbrains.rtt.internal.LocalPauseLog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GcPauseMonitorTest
{
    private static final long MS = 1_000_000L;

    /** Written by each GC provocation so the allocation cannot be optimised away. */
    static volatile Object sink;

    private final ConcurrentLinkedQueue<long[]> recorded = new ConcurrentLinkedQueue<>();
    private final LocalPauseSink recordingSink = (startNs, endNs) -> recorded.add(new long[]{startNs, endNs});

    @ParameterizedTest
    @CsvSource({
        "G1 Young Generation, end of minor GC, true",
        "G1 Old Generation, end of major GC, true",
        "G1 Concurrent GC, end of concurrent GC pause, true",
        "PS Scavenge, end of minor GC, true",
        "MarkSweepCompact, end of major GC, true",
        "ZGC Pauses, end of GC pause, true",
        "ZGC Major Pauses, end of GC pause, true",
        "Shenandoah Pauses, end of GC pause, true",
        "ZGC Cycles, end of GC cycle, false",
        "ZGC Minor Cycles, end of GC cycle, false",
        "Shenandoah Cycles, end of GC cycle, false",
        "Some Future Cycles, end of something, false",
    })
    void shouldCountOnlyStopTheWorldPauses(final String gcName, final String gcAction, final boolean expected)
    {
        assertThat(GcPauseMonitor.isStopTheWorld(gcName, gcAction)).isEqualTo(expected);
    }

    @Test
    void shouldRejectANegativeMinimumPause()
    {
        assertThatThrownBy(() -> GcPauseMonitor.install(recordingSink, -1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("minPauseNs");
    }

    @Test
    void shouldRecordAPauseEndingAtDeliveryWhenAtLeastTheMinimum()
    {
        try (GcPauseMonitor monitor = GcPauseMonitor.install(recordingSink, 5 * MS))
        {
            final long nowNs = -3 * MS;
            assertThat(monitor.onGc("G1 Young Generation", "end of minor GC", 4, nowNs)).isFalse();
            assertThat(monitor.onGc("G1 Young Generation", "end of minor GC", 5, nowNs)).isTrue();
            assertThat(monitor.onGc("ZGC Cycles", "end of GC cycle", 50, nowNs)).isFalse();

            assertThat(recorded).hasSize(1);
            assertThat(recorded.peek()).containsExactly(nowNs - 5 * MS, nowNs);
            assertThat(monitor.pausesRecorded()).isEqualTo(1);
        }
    }

    @Test
    void shouldSkipSubMillisecondPausesAndCountOnlyAcceptedOnes()
    {
        final LocalPauseLog log = new LocalPauseLog(4);
        try (GcPauseMonitor monitor = GcPauseMonitor.install(log, 0))
        {
            assertThat(monitor.onGc("ZGC Pauses", "end of GC pause", 0, 100 * MS)).isFalse();
            assertThat(monitor.onGc("ZGC Pauses", "end of GC pause", 2, 100 * MS)).isTrue();
            assertThat(monitor.onGc("ZGC Pauses", "end of GC pause", 1, Long.MIN_VALUE + 1)).isFalse();

            assertThat(monitor.pausesRecorded()).isEqualTo(1);
            assertThat(log.pausedNsWithin(0, 200 * MS)).isEqualTo(2 * MS);
        }
    }

    @Test
    void shouldRecordRealGcPauses() throws Exception
    {
        final long beforeNs = System.nanoTime();
        try (GcPauseMonitor monitor = GcPauseMonitor.install(recordingSink, 0))
        {
            assertThat(monitor.collectorCount()).isPositive();
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (recorded.isEmpty() && System.nanoTime() < deadlineNs)
            {
                provokeGc();
                Thread.sleep(50);
            }

            assertThat(recorded).as("pauses of at least 1 ms after System.gc()").isNotEmpty();
            assertThat(monitor.pausesRecorded()).isEqualTo(recorded.size());
            final long afterNs = System.nanoTime();
            for (final long[] pause : recorded)
            {
                assertThat(pause[0]).isLessThan(pause[1]);
                assertThat(pause[1]).isBetween(beforeNs, afterNs);
            }
        }
    }

    @Test
    void shouldRecordNothingAfterClose() throws Exception
    {
        final GcPauseMonitor monitor = GcPauseMonitor.install(recordingSink, 0);
        monitor.close();
        monitor.close();
        assertThat(monitor.isClosed()).isTrue();
        assertThat(monitor.collectorCount()).isZero();

        for (int i = 0; i < 5; i++)
        {
            provokeGc();
        }
        Thread.sleep(300);

        assertThat(recorded).isEmpty();
        assertThat(monitor.pausesRecorded()).isZero();
        assertThat(monitor.onGc("G1 Old Generation", "end of major GC", 10, 0)).isFalse();
    }

    private static void provokeGc()
    {
        // Enough live data that a full collection takes a measurable millisecond or more.
        final Object[] live = new Object[200_000];
        for (int i = 0; i < live.length; i++)
        {
            live[i] = new long[4];
        }
        sink = live;
        System.gc();
        sink = null;
    }
}
