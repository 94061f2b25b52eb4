package ai.bytesandbrains.rtt.inflight;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.phi.PhiAccrual;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.view.SiteView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The idle peer driven through an {@link InFlightTracker}: it marks every send outstanding and ends it on
 * the response, the timeout and the cancel, so with idle-aware φ an idle backend stays LIVE, one that stops
 * answering goes DOWN, and no request path leaves the count up.
 */
class InFlightIdlePeerTest
{
    private static final long MS = 1_000_000L;
    private static final long START = 2_000_000_000L;
    private static final long SITE = 9;

    private final RttTracker tracker = RttTracker.builder().siteCapacity(8).historyCapacity(1000)
        .localPauseAwareness(false).idleAwarePhi(true).build();
    private final List<Long> timedOut = new ArrayList<>();
    private final InFlightTracker inFlight = InFlightTracker.builder(tracker)
        .capacity(64)
        .staticDefaultNs(50 * MS)
        .budgetBoundsNs(MS, 10_000 * MS)
        .wheel(1L << 16, 1024)
        .startTimeNs(START)
        .timeoutHandler((id, site, chain, hop, sentAt, deadline, now) -> timedOut.add(id))
        .build();
    private final List<String> transitions = new ArrayList<>();
    private long now = START;
    private long nextId;

    private void roundTrips(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final long id = nextId++;
            inFlight.onSend(id, SITE, now);
            now += 800_000;
            inFlight.onResponse(id, now);
            now += 200_000;
        }
    }

    private void scanAt(final long at)
    {
        inFlight.pollTimeouts(at);
        tracker.scanPhi(at, (site, state, phi) -> transitions.add(state.name()));
    }

    private long outstanding()
    {
        final SiteView view = new SiteView();
        tracker.readSite(SITE, view);
        return view.outstandingRequests();
    }

    @Test
    void shouldKeepAnIdleBackendLive()
    {
        roundTrips(200);
        final long last = now;

        scanAt(last + 100 * MS);
        scanAt(last + 1_000 * MS);
        scanAt(last + 10_000 * MS);

        assertThat(transitions).isEmpty();
        assertThat(tracker.phi(SITE, last + 10_000 * MS)).isZero();
        assertThat(outstanding()).isZero();
    }

    @Test
    void shouldTakeABackendThatStopsAnsweringDownUnderContinuousSends()
    {
        roundTrips(200);
        now += 5_000 * MS; // idle first: that silence must not count
        final long first = now;
        // Dead from here: a send every 0.5 ms, each timing out after its ~1 ms deadline, none answered.
        while (now < first + 50 * MS)
        {
            now += 500_000;
            inFlight.pollTimeouts(now);
            inFlight.onSend(nextId++, SITE, now);
            if ((now - first) % (5 * MS) == 0)
            {
                tracker.scanPhi(now, (site, state, phi) -> transitions.add(state.name()));
            }
        }

        assertThat(timedOut).hasSizeGreaterThan(50);
        // Silence from the first unanswered send, not restarted by the later ones.
        assertThat(transitions).containsExactly(PhiState.SUSPECT.name(), PhiState.DOWN.name());
        assertThat(tracker.phi(SITE, now)).isCloseTo(49.5 / PhiAccrual.LN_10, within(1e-9)); // from first + 0.5 ms
    }

    @Test
    void shouldTakeABackendWhoseCallsEachTimeOutDown()
    {
        roundTrips(200);
        now += 5_000 * MS;
        for (int call = 0; call < 20; call++)
        {
            now += 100 * MS; // sparse calls: each times out (about 1 ms deadline) long before the next
            inFlight.onSend(nextId++, SITE, now);
            scanAt(now + 5 * MS); // the poll ends it at 5 ms: 5 ms of unanswered waiting per call
        }

        assertThat(timedOut).hasSize(20);
        assertThat(outstanding()).isZero();
        assertThat(transitions).containsExactly(PhiState.SUSPECT.name(), PhiState.DOWN.name());
    }

    @Test
    void shouldEndTheRequestOnResponseTimeoutAndCancel()
    {
        roundTrips(10); // tracked, so sends are marked
        inFlight.onSend(100, SITE, now);
        inFlight.onSend(101, SITE, now);
        inFlight.onSend(102, SITE, now);
        inFlight.onHedge(102);
        assertThat(outstanding()).isEqualTo(3);

        inFlight.cancel(100);
        inFlight.onResponse(102, now + MS); // ambiguous: no sample, still ended
        assertThat(outstanding()).isEqualTo(1);
        final long deadline = inFlight.deadlineNs(101);
        scanAt(deadline + (1L << 16)); // its timeout, at most a tick late

        assertThat(timedOut).containsExactly(101L);
        assertThat(outstanding()).isZero();
        assertThat(transitions).as("one short timeout leaves a healthy backend LIVE").isEmpty();
        roundTrips(1);
        assertThat(tracker.phi(SITE, now + 30_000 * MS)).as("answered again: nothing carried").isZero();
    }
}
