package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link RttTracker#importSnapshot} refuses, with an {@link IllegalArgumentException}, a snapshot its
 * Javadoc calls invalid, rather than clamping or dropping what does not fit.
 */
class ImportValidationTest
{
    private static final int HISTORY = 4;

    private static RttTrackerSnapshot exported()
    {
        try (RttTracker source = RttTracker.builder().siteCapacity(4).historyCapacity(HISTORY).build())
        {
            for (int i = 0; i < 4; i++)
            {
                source.observeRoundTrip(7, 1_000, 1_000L * i);
            }
            return source.snapshot();
        }
    }

    private static RttTrackerSnapshot withHistory(final RttTrackerSnapshot snapshot, final List<Long> history)
    {
        final RttTrackerSnapshot.Site site = snapshot.sites().get(0);
        return new RttTrackerSnapshot(
            List.of(new RttTrackerSnapshot.Site(site.site(), site.ema(), site.seen(), site.lastSeenNs(),
                site.lastPhiState(), history.size(), site.historyMeanNs(), history)),
            snapshot.edges(), snapshot.chainPriors(), snapshot.reported(), snapshot.globalPrior(), snapshot.counters());
    }

    private static RttTracker empty()
    {
        return RttTracker.builder().siteCapacity(4).historyCapacity(HISTORY).build();
    }

    @Test
    void shouldImportAValidSnapshot()
    {
        final RttTrackerSnapshot snapshot = exported();
        assertThat(snapshot.sites().get(0).historyNs()).hasSize(3);
        try (RttTracker target = empty())
        {
            target.importSnapshot(snapshot);
            assertThat(target.snapshot().sites().get(0).historyNs()).isEqualTo(snapshot.sites().get(0).historyNs());
        }
    }

    @Test
    void shouldRefuseANegativeInterArrivalTime()
    {
        final RttTrackerSnapshot bad = withHistory(exported(), List.of(1_000L, -1L));
        try (RttTracker target = empty())
        {
            assertThatIllegalArgumentException().isThrownBy(() -> target.importSnapshot(bad))
                .withMessageContaining("site 7").withMessageContaining("negative");
            assertThat(target.trackedSiteCount()).isZero(); // refused before anything was stored
        }
    }

    @Test
    void shouldRefuseAHistoryLongerThanTheCapacity()
    {
        final List<Long> tooLong = new ArrayList<>();
        for (int i = 0; i <= HISTORY; i++)
        {
            tooLong.add(1_000L);
        }
        final RttTrackerSnapshot bad = withHistory(exported(), tooLong);
        try (RttTracker target = empty())
        {
            assertThatIllegalArgumentException().isThrownBy(() -> target.importSnapshot(bad))
                .withMessageContaining("historyCapacity " + HISTORY);
        }
    }

    @Test
    void shouldRefuseANegativeCounter()
    {
        final RttTrackerSnapshot good = exported();
        final RttTrackerSnapshot.Counters c = good.counters();
        final RttTrackerSnapshot bad = new RttTrackerSnapshot(good.sites(), good.edges(), good.chainPriors(),
            good.reported(), good.globalPrior(), new RttTrackerSnapshot.Counters(c.rejectedSamples(), c.siteOverflows(),
            c.edgeOverflows(), c.chainOverflows(), c.reportedOverflows(), c.nonQuiescentPhiReads(), -1, 0, 0));
        try (RttTracker target = empty())
        {
            assertThatIllegalArgumentException().isThrownBy(() -> target.importSnapshot(bad))
                .withMessageContaining("negative counter");
        }
    }
}
