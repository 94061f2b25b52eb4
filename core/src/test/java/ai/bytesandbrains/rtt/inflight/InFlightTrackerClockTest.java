package ai.bytesandbrains.rtt.inflight;

import ai.bytesandbrains.rtt.RttTracker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@link InFlightTracker#pollTimeouts} with a {@code nowNs} far from the timer wheel's time: another
 * clock base than {@code startTimeNs}, {@link Long#MAX_VALUE}, a jump back. Every call must return
 * promptly and deadlines must still fire on time by the caller's clock.
 */
class InFlightTrackerClockTest
{
    private static final long MS = 1_000_000L;
    private static final long TICK = 1L << 16;
    private static final long START = 1_000_000_000L;
    private static final long OTHER_BASE = 1L << 60; // e.g. epoch nanoseconds against a nanoTime origin
    private static final long SITE = 7;
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private final RttTracker tracker = RttTracker.builder().siteCapacity(64).historyCapacity(16).build();
    private final List<Long> timedOut = new ArrayList<>();
    private final InFlightTracker inFlight = InFlightTracker.builder(tracker)
        .capacity(8)
        .staticDefaultNs(50 * MS)
        .budgetBoundsNs(2 * MS, 200 * MS)
        .wheel(TICK, 256)
        .startTimeNs(START)
        .timeoutHandler((id, site, chain, hop, sentAt, deadline, now) -> timedOut.add(id))
        .build();

    @AfterEach
    void close()
    {
        tracker.close();
    }

    @Test
    void shouldReturnPromptlyAndFireOnTimeWhenTheClockHasAnotherBaseThanTheWheel()
    {
        // Sent on a clock 2^60 ns from the wheel's start: 2^44 ticks away, one poll per tick would never end.
        final long deadline = inFlight.onSend(1, SITE, OTHER_BASE);

        assertTimeoutPreemptively(PROMPTLY, () -> assertThat(inFlight.pollTimeouts(OTHER_BASE + 10 * MS)).isZero());

        assertTimeoutPreemptively(PROMPTLY, () -> assertThat(inFlight.pollTimeouts(deadline - 1)).isZero());
        assertTimeoutPreemptively(PROMPTLY, () -> assertThat(inFlight.pollTimeouts(deadline)).isEqualTo(1));
        assertThat(timedOut).containsExactly(1L);
    }

    @Test
    void shouldReturnPromptlyForAnyExtremeNow()
    {
        inFlight.onSend(1, SITE, START);
        final long[] extremes = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE - 1, Long.MAX_VALUE, START, OTHER_BASE, -OTHER_BASE};
        assertTimeoutPreemptively(PROMPTLY, () ->
        {
            for (final long now : extremes)
            {
                inFlight.onSend(now, SITE, now);
                inFlight.pollTimeouts(now);
                inFlight.pollTimeouts(now, 1);
            }
        });
        // Long.MAX_VALUE expired what was in flight: by that clock every deadline had passed.
        assertThat(timedOut).contains(1L);
    }

    @Test
    void shouldKeepFiringOnTimeAfterAFarFuturePoll()
    {
        assertTimeoutPreemptively(PROMPTLY, () -> inFlight.pollTimeouts(Long.MAX_VALUE)); // one bad clock read
        final long deadline = inFlight.onSend(2, SITE, START + MS);

        assertTimeoutPreemptively(PROMPTLY, () ->
        {
            assertThat(inFlight.pollTimeouts(deadline - 1)).isZero();
            assertThat(inFlight.pollTimeouts(deadline)).isEqualTo(1);
        });
        assertThat(timedOut).containsExactly(2L);
    }

    @Test
    void shouldCatchUpAfterTheLoopStalledForManyRevolutionsWithRequestsInFlight()
    {
        final long early = inFlight.onSend(1, SITE, START);
        final long stalledUntil = START + 30L * 86_400_000 * MS; // 30 days: 4 * 10^10 ticks later
        final long late = inFlight.onSend(2, SITE, stalledUntil - 5 * MS);

        assertTimeoutPreemptively(PROMPTLY, () -> assertThat(inFlight.pollTimeouts(stalledUntil)).isEqualTo(1));
        assertThat(timedOut).containsExactly(1L);
        assertThat(early).isLessThan(stalledUntil);
        assertTimeoutPreemptively(PROMPTLY, () -> assertThat(inFlight.pollTimeouts(late - 1)).isZero());
        assertThat(inFlight.pollTimeouts(late)).isEqualTo(1);
        assertThat(timedOut).containsExactly(1L, 2L);
    }
}
