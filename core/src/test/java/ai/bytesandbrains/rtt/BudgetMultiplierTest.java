package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.chain.ChainBudget;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.SiteView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The budget multiplier K: every budget is {@code srtt + K * rttvar}, and K is validated at construction. */
class BudgetMultiplierTest
{
    static final long CHAIN = 0xC4A1L;
    static final long MS = 1_000_000L;
    static final long STATIC = 99 * MS;

    static RttTracker tracker(final int k)
    {
        return RttTracker.builder().siteCapacity(16).historyCapacity(16).budgetMultiplier(k).build();
    }

    /** Jittered samples, so that rttvar is well above 0 and K shows. */
    static void feed(final RttTracker tracker)
    {
        long now = 1_000;
        for (int i = 0; i < 20; i++)
        {
            final long rtt = (i % 2 == 0 ? 2 : 5) * MS;
            tracker.observeRoundTrip(1, CHAIN, 0, rtt, now += MS);
            tracker.observeRoundTrip(2, CHAIN, 1, 2 * rtt, now += MS);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 8})
    void shouldUseKInEveryEstimateTier(final int k)
    {
        try (RttTracker tracker = tracker(k))
        {
            feed(tracker);
            final SiteView site = new SiteView();
            final EmaView ema = new EmaView();

            tracker.readSite(1, site);
            assertThat(site.rttvarNs()).isPositive();
            assertThat(tracker.estimateBudgetNs(1, STATIC)).isEqualTo(site.srttNs() + k * site.rttvarNs())
                .isEqualTo(site.budgetNs());
            tracker.readEdge(1, CHAIN, 0, ema);
            assertThat(tracker.estimateBudgetNs(1, CHAIN, 0, STATIC)).isEqualTo(ema.srttNs() + k * ema.rttvarNs());
            tracker.readChainPrior(CHAIN, ema);
            assertThat(tracker.estimateBudgetNs(3, CHAIN, 0, STATIC)).isEqualTo(ema.srttNs() + k * ema.rttvarNs())
                .isEqualTo(ema.budgetNs());
            tracker.readGlobalPrior(ema);
            assertThat(tracker.estimateBudgetNs(3, STATIC)).isEqualTo(ema.srttNs() + k * ema.rttvarNs());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 8})
    void shouldUseKInChainBudgets(final int k)
    {
        try (RttTracker tracker = tracker(k))
        {
            feed(tracker);
            final ChainBudget budget = new ChainBudget(tracker);

            final long composed = budget.compose(CHAIN, new long[]{1, 2}, 2, STATIC);

            assertThat(composed).isEqualTo(budget.srttSumNs() + k * budget.rttvarSumNs());
            assertThat(budget.rttvarSumNs()).isPositive();
        }
    }

    @Test
    void shouldGiveTheReferenceBudgetAtTheDefaultK()
    {
        try (RttTracker tracker = RttTracker.builder().siteCapacity(16).historyCapacity(16).build())
        {
            feed(tracker);

            assertThat(tracker.config().budgetMultiplier()).isEqualTo(4);
            assertThat(tracker.estimateBudgetNs(1, STATIC)).isEqualTo(EmaWord.budgetNs(tracker.reader().siteWord(1)));
        }
    }

    @Test
    void shouldSaturateAtAnyK()
    {
        assertThat(EmaWord.budgetNs(0, Long.MAX_VALUE / 8 + 1, 8)).isEqualTo(Long.MAX_VALUE);
        assertThat(EmaWord.budgetNs(Long.MAX_VALUE - 10, 2, 8)).isEqualTo(Long.MAX_VALUE);
        assertThat(EmaWord.budgetNs(7, Long.MAX_VALUE / 8, 8)).isEqualTo(Long.MAX_VALUE);
        assertThat(EmaWord.budgetNs(6, Long.MAX_VALUE / 8, 8)).isEqualTo(6 + Long.MAX_VALUE / 8 * 8);
        assertThat(EmaWord.budgetNs(0, Long.MAX_VALUE / 4 + 1, 4)).isEqualTo(Long.MAX_VALUE);
        assertThat(EmaWord.budgetNs(0, Long.MAX_VALUE / 4, 4)).isEqualTo(Long.MAX_VALUE / 4 * 4);
    }

    @Test
    void shouldRefuseAKOutsideItsRangeNamingIt()
    {
        assertThatThrownBy(() -> RttTracker.builder().budgetMultiplier(0).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budgetMultiplier");
        assertThatThrownBy(() -> RttTracker.builder().budgetMultiplier(RttTrackerConfig.MAX_BUDGET_MULTIPLIER + 1).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budgetMultiplier");
        assertThatThrownBy(() -> RttTracker.builder().acceptablePauseNs(-1).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acceptablePauseNs");
    }
}
