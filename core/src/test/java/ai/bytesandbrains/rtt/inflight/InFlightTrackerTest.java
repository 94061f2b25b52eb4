package ai.bytesandbrains.rtt.inflight;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.SiteView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static ai.bytesandbrains.rtt.inflight.InFlightTracker.NOT_IN_FLIGHT;
import static ai.bytesandbrains.rtt.inflight.InFlightTracker.RESPONSE_AMBIGUOUS;
import static ai.bytesandbrains.rtt.inflight.InFlightTracker.RESPONSE_REJECTED;
import static ai.bytesandbrains.rtt.inflight.InFlightTracker.RESPONSE_SAMPLED;
import static ai.bytesandbrains.rtt.inflight.InFlightTracker.RESPONSE_UNKNOWN;
import static ai.bytesandbrains.rtt.inflight.InFlightTracker.SEND_REJECTED_DUPLICATE;
import static ai.bytesandbrains.rtt.inflight.InFlightTracker.SEND_REJECTED_FULL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InFlightTrackerTest
{
    private static final long MS = 1_000_000L;
    private static final long TICK = 1L << 16;   // 65.5 us
    private static final long START = 1_000_000_000L;
    private static final long SITE = 7;

    private final RttTracker tracker = RttTracker.builder().siteCapacity(64).historyCapacity(16).build();
    private final List<long[]> timeouts = new ArrayList<>();
    private final InFlightTracker inFlight = InFlightTracker.builder(tracker)
        .capacity(4)
        .staticDefaultNs(50 * MS)
        .budgetBoundsNs(2 * MS, 200 * MS)
        .wheel(TICK, 256)
        .startTimeNs(START)
        .timeoutHandler((id, site, chain, hop, sentAt, deadline, now) ->
            timeouts.add(new long[]{id, site, chain, hop, sentAt, deadline, now}))
        .build();
    private final SiteView siteView = new SiteView();

    @AfterEach
    void close()
    {
        tracker.close();
    }

    private void warmSite(final long sampleNs)
    {
        long now = START;
        for (int i = 0; i < 3; i++)
        {
            tracker.observeRoundTrip(SITE, sampleNs, now += MS);
        }
    }

    @Test
    void shouldUseTheStaticDefaultUntilATierIsWarmThenTheBudget()
    {
        assertThat(inFlight.onSend(1, SITE, START)).isEqualTo(START + 50 * MS);

        warmSite(8 * MS);   // srtt 8 ms, rttvar 2.25 ms: budget 17 ms
        assertThat(inFlight.onSend(2, SITE, START + 5 * MS)).isEqualTo(START + 5 * MS + 17 * MS);
        assertThat(inFlight.deadlineNs(2)).isEqualTo(START + 22 * MS);
    }

    @Test
    void shouldClampTheBudget()
    {
        warmSite(100_000);   // budget 0.1 + 4 * 0.028125 ms = 0.2125 ms, below the 2 ms floor
        assertThat(inFlight.onSend(1, SITE, START)).isEqualTo(START + 2 * MS);
        warmSite(300 * MS);
        assertThat(inFlight.onSend(2, SITE, START)).isEqualTo(START + 200 * MS);
    }

    @Test
    void shouldFeedTheElapsedTimeOnResponse()
    {
        inFlight.onSend(1, SITE, START);

        assertThat(inFlight.onResponse(1, START + 3 * MS)).isEqualTo(RESPONSE_SAMPLED);

        assertThat(inFlight.lastElapsedNs()).isEqualTo(3 * MS);
        assertThat(tracker.readSite(SITE, siteView)).isTrue();
        assertThat(siteView.sampleCount()).isEqualTo(1);
        assertThat(siteView.srttNs()).isEqualTo(3 * MS);
        assertThat(inFlight.inFlightCount()).isZero();
        assertThat(inFlight.sampledCount()).isEqualTo(1);
    }

    @Test
    void shouldFeedTheEdgeWhenSentWithAChain()
    {
        inFlight.onSend(1, SITE, 99L, 2, START);
        inFlight.onResponse(1, START + 4 * MS);

        final EmaView edge = new EmaView();
        assertThat(tracker.readEdge(SITE, 99L, 2, edge)).isTrue();
        assertThat(edge.srttNs()).isEqualTo(4 * MS);
        assertThatThrownBy(() -> inFlight.onSend(2, SITE, 99L, 256, START))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(inFlight.inFlightCount()).isZero();
    }

    @Test
    void shouldExpireAtTheDeadlineNotBefore()
    {
        final long deadline = inFlight.onSend(1, SITE, 5L, 0, START);

        assertThat(inFlight.pollTimeouts(deadline - 1)).isZero();
        assertThat(timeouts).isEmpty();
        assertThat(inFlight.pollTimeouts(deadline + TICK)).isEqualTo(1);

        assertThat(timeouts).hasSize(1);
        assertThat(timeouts.get(0)).containsExactly(1, SITE, 5L, 0, START, deadline, deadline + TICK);
        assertThat(inFlight.inFlightCount()).isZero();
        assertThat(inFlight.timeoutCount()).isEqualTo(1);
    }

    @Test
    void shouldCatchUpAfterALongGapBetweenPolls()
    {
        inFlight.onSend(1, SITE, START);
        inFlight.onSend(2, SITE, START + 10 * MS);

        assertThat(inFlight.pollTimeouts(START + 5_000 * MS)).isEqualTo(2);
        // After a gap longer than a wheel revolution the order follows the wheel's spokes.
        assertThat(timeouts).extracting(t -> t[0]).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void shouldGiveNoSampleForALateAnswer()
    {
        final long deadline = inFlight.onSend(1, SITE, START);
        inFlight.pollTimeouts(deadline + TICK);

        assertThat(inFlight.onResponse(1, deadline + 2 * TICK)).isEqualTo(RESPONSE_UNKNOWN);

        assertThat(tracker.readSite(SITE, siteView)).isFalse();
        assertThat(inFlight.unknownCount()).isEqualTo(1);
    }

    @Test
    void shouldApplyKarnsRuleToARetryAndBackOff()
    {
        warmSite(8 * MS);   // budget 17 ms
        inFlight.onSend(1, SITE, START);

        assertThat(inFlight.onRetry(1, START + 17 * MS)).isEqualTo(START + 17 * MS + 34 * MS);
        assertThat(inFlight.onRetry(1, START + 51 * MS)).isEqualTo(START + 51 * MS + 68 * MS);
        assertThat(inFlight.pollTimeouts(START + 60 * MS)).isZero();
        assertThat(inFlight.onResponse(1, START + 70 * MS)).isEqualTo(RESPONSE_AMBIGUOUS);

        tracker.readSite(SITE, siteView);
        assertThat(siteView.sampleCount()).isEqualTo(3);
        assertThat(inFlight.lastElapsedNs()).isEqualTo(70 * MS);
        assertThat(inFlight.onRetry(1, START)).isEqualTo(NOT_IN_FLIGHT);
        assertThat(inFlight.pollTimeouts(START + 1_000 * MS)).isZero();
    }

    @Test
    void shouldApplyKarnsRuleToAHedgeKeepingTheDeadline()
    {
        final long deadline = inFlight.onSend(1, SITE, START);

        assertThat(inFlight.onHedge(1)).isTrue();

        assertThat(inFlight.deadlineNs(1)).isEqualTo(deadline);
        assertThat(inFlight.onResponse(1, START + MS)).isEqualTo(RESPONSE_AMBIGUOUS);
        assertThat(tracker.readSite(SITE, siteView)).isFalse();
        assertThat(inFlight.onHedge(1)).isFalse();
    }

    @Test
    void shouldRejectDuplicatesAndAFullTable()
    {
        for (int id = 0; id < 4; id++)
        {
            assertThat(inFlight.onSend(id, SITE, START)).isPositive();
        }
        assertThat(inFlight.onSend(2, SITE, START)).isEqualTo(SEND_REJECTED_DUPLICATE);
        assertThat(inFlight.onSend(9, SITE, START)).isEqualTo(SEND_REJECTED_FULL);

        assertThat(inFlight.cancel(2)).isTrue();
        assertThat(inFlight.cancel(2)).isFalse();
        assertThat(inFlight.onSend(9, SITE, START)).isPositive();
        assertThat(inFlight.pollTimeouts(START + 10_000 * MS)).isEqualTo(4);
        assertThat(timeouts).extracting(t -> t[0]).containsExactlyInAnyOrder(0L, 1L, 3L, 9L);
    }

    @Test
    void shouldReportARejectedSampleWhenTheClockRanBackwards()
    {
        inFlight.onSend(1, SITE, START);

        assertThat(inFlight.onResponse(1, START - 1)).isEqualTo(RESPONSE_REJECTED);

        assertThat(tracker.rejectedSampleCount()).isEqualTo(1);
        assertThat(inFlight.inFlightCount()).isZero();
    }

    @Test
    void shouldLetTheHandlerResendUnderANewId()
    {
        final long[] resent = {-1};
        final InFlightTracker[] self = new InFlightTracker[1];
        self[0] = InFlightTracker.builder(tracker).capacity(2).staticDefaultNs(5 * MS).budgetBoundsNs(0, 1_000 * MS)
            .wheel(TICK, 64).startTimeNs(START)
            .timeoutHandler((id, site, chain, hop, sentAt, deadline, now) ->
            {
                if (id == 1)
                {
                    resent[0] = self[0].onSend(2, site, now);
                }
            })
            .build();
        self[0].onSend(1, SITE, START);

        assertThat(self[0].pollTimeouts(START + 5 * MS)).isEqualTo(1);

        assertThat(resent[0]).isEqualTo(START + 10 * MS);
        assertThat(self[0].inFlightCount()).isEqualTo(1);
        assertThat(self[0].pollTimeouts(START + 10 * MS)).isEqualTo(1);
        assertThat(self[0].inFlightCount()).isZero();
    }

    @Test
    void shouldValidateItsSettings()
    {
        assertThatThrownBy(() -> InFlightTracker.builder(tracker).capacity(0).timeoutHandler((a, b, c, d, e, f, g) -> {})
            .build()).hasMessageContaining("capacity");
        assertThatThrownBy(() -> InFlightTracker.builder(tracker).budgetBoundsNs(5, 4)
            .timeoutHandler((a, b, c, d, e, f, g) -> {}).build()).hasMessageContaining("budget bounds");
        assertThatThrownBy(() -> InFlightTracker.builder(tracker).wheel(1000, 64)
            .timeoutHandler((a, b, c, d, e, f, g) -> {}).build()).hasMessageContaining("tickResolutionNs");
        assertThatThrownBy(() -> InFlightTracker.builder(tracker).build()).isInstanceOf(NullPointerException.class);
    }
}
