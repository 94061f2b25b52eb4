package ai.bytesandbrains.rtt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** φ with an acceptable pause P at silence S is φ without it at silence S - P, in both φ modes. */
class AcceptablePauseTest
{
    static final long SITE = 7;
    static final long MS = 1_000_000L;
    static final long PAUSE = 25 * MS;

    static RttTracker tracker(final boolean idleAware, final long pauseNs)
    {
        return RttTracker.builder().siteCapacity(4).historyCapacity(100).localPauseAwareness(false)
            .idleAwarePhi(idleAware).acceptablePauseNs(pauseNs).build();
    }

    static long feed(final RttTracker tracker)
    {
        long now = 3_000_000_000L;
        for (int i = 0; i < 50; i++)
        {
            now += MS + (i % 3) * 100_000L;
            tracker.observeRoundTrip(SITE, 500_000, now);
        }
        tracker.requestStarted(SITE, now); // outstanding, so that idle-aware φ accrues from last-seen
        return now;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldEqualPhiWithoutThePauseAtTheSilenceLessThePause(final boolean idleAware)
    {
        try (RttTracker paused = tracker(idleAware, PAUSE); RttTracker plain = tracker(idleAware, 0))
        {
            final long last = feed(paused);
            feed(plain);

            for (long silence = PAUSE + 1; silence < 200 * MS; silence += 7 * MS)
            {
                assertThat(paused.phi(SITE, last + silence)).isEqualTo(plain.phi(SITE, last + silence - PAUSE));
            }
            assertThat(plain.phi(SITE, last + 100 * MS)).isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldForgiveASilenceUpToThePause(final boolean idleAware)
    {
        try (RttTracker paused = tracker(idleAware, PAUSE))
        {
            final long last = feed(paused);

            assertThat(paused.phi(SITE, last + PAUSE)).isZero();
            assertThat(paused.phi(SITE, last + PAUSE / 2)).isZero();
        }
    }
}
