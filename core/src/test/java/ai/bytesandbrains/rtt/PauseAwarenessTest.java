package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Local pauses simulated with a controllable clock: heartbeats and scans every 100 ms, then this
 * process stalls. The clock starts far from {@link System#nanoTime()}'s range (one day in the past of
 * a zero origin is not used by any JVM here), so real GC pauses fed to every tracker cannot overlap it.
 */
class PauseAwarenessTest
{
    private static final long MS = 1_000_000L;
    private static final long START = 1L << 62; // far beyond any nanoTime of this machine
    private static final long SITE = 7;
    private static final long DEAD_SITE = 8;

    /** Published garbage, so that the JIT cannot elide the allocations that provoke collections. */
    private static volatile Object garbageSink;

    private record Transition(long site, PhiState state, double phi)
    {
    }

    private static RttTracker tracker(final boolean aware)
    {
        return RttTracker.builder().historyCapacity(100).localPauseAwareness(aware).build();
    }

    /** Ten seconds of heartbeats from both sites and scans every 100 ms; returns the last scan time. */
    private static long steadyTraffic(final RttTracker tracker, final List<Transition> seen)
    {
        long now = START;
        for (int i = 0; i < 100; i++)
        {
            now += 100 * MS;
            tracker.observeRoundTrip(SITE, 2 * MS, now);
            tracker.observeRoundTrip(DEAD_SITE, 2 * MS, now);
            tracker.scanPhi(now, (site, state, phi) -> seen.add(new Transition(site, state, phi)));
        }
        return now;
    }

    @Test
    void shouldNotSuspectPeersForSilenceThatALocalStallExplains()
    {
        final List<Transition> seen = new ArrayList<>();
        try (RttTracker aware = tracker(true))
        {
            final long last = steadyTraffic(aware, seen);
            final long resumed = last + 5_000 * MS; // the process stalled for 5 s: no heartbeat, no scan

            aware.scanPhi(resumed, (site, state, phi) -> seen.add(new Transition(site, state, phi)));

            assertThat(seen).isEmpty();
            assertThat(aware.localPauseCount()).isEqualTo(1);
            // The scan gap minus the usual 100 ms interval is the pause: [last + 100 ms, resumed).
            assertThat(aware.locallyPausedNsWithin(last, resumed)).isEqualTo(4_900 * MS);
            assertThat(aware.phi(SITE, resumed)).isCloseTo(100.0 / (100.0 * Math.log(10)), within(1e-9));
        }
    }

    @Test
    void shouldSuspectThePeersWithoutPauseAwareness()
    {
        final List<Transition> seen = new ArrayList<>();
        try (RttTracker plain = tracker(false))
        {
            final long resumed = steadyTraffic(plain, seen) + 5_000 * MS;

            plain.scanPhi(resumed, (site, state, phi) -> seen.add(new Transition(site, state, phi)));

            assertThat(seen).extracting(Transition::state).containsExactly(PhiState.DOWN, PhiState.DOWN);
            assertThat(plain.localPauseCount()).isZero();
            assertThat(plain.recordLocalPause(resumed - MS, resumed)).isFalse();
        }
    }

    @Test
    void shouldStillDetectAPeerThatFellSilentBeforeThePause()
    {
        final List<Transition> seen = new ArrayList<>();
        try (RttTracker aware = tracker(true))
        {
            long now = steadyTraffic(aware, seen);
            for (int i = 0; i < 30; i++) // 3 s more: only SITE keeps sending
            {
                now += 100 * MS;
                aware.observeRoundTrip(SITE, 2 * MS, now);
                aware.scanPhi(now, (site, state, phi) -> seen.add(new Transition(site, state, phi)));
            }
            seen.clear(); // DEAD_SITE went SUSPECT during those 3 s (φ 8 after 1.84 s)
            final long resumed = now + 5_000 * MS;

            aware.scanPhi(resumed, (site, state, phi) -> seen.add(new Transition(site, state, phi)));

            // DEAD_SITE has been silent 8 s, of which 4.9 s are explained: 3.1 s of evidence, φ 13.5.
            assertThat(aware.phi(DEAD_SITE, resumed)).isCloseTo(3_100.0 / (100.0 * Math.log(10)), within(1e-9));
            assertThat(aware.phi(SITE, resumed)).isLessThan(1.0);
            assertThat(seen).isEmpty(); // still SUSPECT, as before the pause: no transition

            long later = resumed;
            for (int i = 0; i < 10; i++) // back on schedule: the evidence grows again, from 3.1 s to 4.1 s
            {
                later += 100 * MS;
                aware.observeRoundTrip(SITE, 2 * MS, later);
                aware.scanPhi(later, (site, state, phi) -> seen.add(new Transition(site, state, phi)));
            }
            assertThat(seen).extracting(Transition::site, Transition::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DEAD_SITE, PhiState.DOWN)); // at 3.7 s: φ 16.1
            assertThat(aware.localPauseCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldDiscountAReportedPauseOnceHoweverOftenItIsReported()
    {
        final List<Transition> seen = new ArrayList<>();
        try (RttTracker aware = tracker(true))
        {
            final long last = steadyTraffic(aware, seen);
            final long now = last + 3_000 * MS;
            final double before = aware.phi(SITE, now);

            assertThat(aware.recordLocalPause(last + 500 * MS, last + 2_500 * MS)).isTrue();
            assertThat(aware.recordLocalPause(last + 500 * MS, last + 2_500 * MS)).isTrue();
            assertThat(aware.recordLocalPause(last + 1_000 * MS, last + 2_000 * MS)).isTrue();

            assertThat(before).isCloseTo(3_000.0 / (100.0 * Math.log(10)), within(1e-9));
            assertThat(aware.phi(SITE, now)).isCloseTo(1_000.0 / (100.0 * Math.log(10)), within(1e-9));
            assertThat(aware.isSuspect(SITE, now)).isFalse();
            assertThat(aware.localPauseCount()).isEqualTo(3);
            assertThat(aware.recordLocalPause(now, now)).isFalse(); // empty: refused, never thrown
            assertThat(aware.recordLocalPause(now, now - 1)).isFalse();
        }
    }

    @Test
    void shouldNotChangePhiForAPauseBeforeTheLastHeartbeat()
    {
        final List<Transition> seen = new ArrayList<>();
        try (RttTracker aware = tracker(true))
        {
            final long last = steadyTraffic(aware, seen);
            aware.recordLocalPause(START, last - 50 * MS);
            assertThat(aware.phi(SITE, last + 1_000 * MS)).isCloseTo(1_000.0 / (100.0 * Math.log(10)), within(1e-9));
        }
    }

    @Test
    void shouldLearnRealGcPausesFromTheJvm() throws Exception
    {
        try (RttTracker aware = tracker(true))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (aware.localPauseCount() == 0 && System.nanoTime() < deadline)
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
            assertThat(aware.localPauseCount()).isPositive();
            final long now = System.nanoTime();
            assertThat(aware.locallyPausedNsWithin(now - TimeUnit.SECONDS.toNanos(30), now)).isPositive();
        }
    }

    @Test
    void shouldRefuseANonPositiveMinimumPause()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> RttTracker.builder().localPauseMinNs(0).build())
            .withMessageContaining("localPauseMinNs");
    }
}
