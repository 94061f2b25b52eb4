package ai.bytesandbrains.rtt.chain;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.ema.EmaWord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChainBudgetTest
{
    private static final long CHAIN = 0xC0FFEEL;
    private static final long S0 = 10;
    private static final long S1 = 11;
    private static final long S2 = 12;
    private static final long[] HOPS = {S0, S1, S2};
    private static final long MS = 1_000_000L;

    private final RttTracker tracker = RttTracker.builder().siteCapacity(512).historyCapacity(16).build();
    private final ChainBudget budget = new ChainBudget(tracker);
    private long now = 1_000;

    @AfterEach
    void close()
    {
        tracker.close();
    }

    /** Three equal samples of x with shifts (3, 2): srtt = x, rttvar = x/2 * 3/4 * 3/4 (shifts truncate). */
    private void observeEdgeThreeTimes(final long site, final int hop, final long sampleNs)
    {
        for (int i = 0; i < 3; i++)
        {
            tracker.observeRoundTrip(site, CHAIN, hop, sampleNs, now += MS);
        }
    }

    @Test
    void shouldSumTheCallersEdgeAndWarmReports()
    {
        observeEdgeThreeTimes(S0, 0, 8 * MS);            // hop 0: srtt 8.0 ms, rttvar 4 -> 3 -> 2.25 ms
        tracker.ingestReportedOutgoing(S0, S1, CHAIN, 5 * MS, 1 * MS, 10);   // hop 1: 5 ms, 1 ms
        tracker.ingestReportedOutgoing(S1, S2, CHAIN, 3 * MS, MS / 2, 4);    // hop 2: 3 ms, 0.5 ms

        final long result = budget.compose(CHAIN, HOPS, 3, 50 * MS);

        // S = 8 + 5 + 3 = 16 ms; V = 2.25 + 1 + 0.5 = 3.75 ms; budget = 16 + 4 * 3.75 = 31 ms.
        assertThat(budget.srttSumNs()).isEqualTo(16 * MS);
        assertThat(budget.rttvarSumNs()).isEqualTo(3_750_000L);
        assertThat(result).isEqualTo(31 * MS).isEqualTo(budget.budgetNs());
        assertThat(budget.hopSource(0)).isEqualTo(HopSource.EDGE);
        assertThat(budget.hopSource(1)).isEqualTo(HopSource.REPORTED);
        assertThat(budget.hopSource(2)).isEqualTo(HopSource.REPORTED);
        assertThat(budget.hopRttvarNs(0)).isEqualTo(2_250_000L);
    }

    @Test
    void shouldFallBackToTheChainPriorForAColdReport()
    {
        observeEdgeThreeTimes(S0, 0, 8 * MS);            // also makes the chain prior 8 ms / 2.25 ms
        tracker.ingestReportedOutgoing(S0, S1, CHAIN, 5 * MS, 1 * MS, 10);
        tracker.ingestReportedOutgoing(S1, S2, CHAIN, 3 * MS, MS / 2, 2);    // cold: 2 samples

        final long result = budget.compose(CHAIN, HOPS, 3, 50 * MS);

        // hop 2 takes the chain prior: S = 8 + 5 + 8 = 21 ms; V = 2.25 + 1 + 2.25 = 5.5 ms; 21 + 22 = 43 ms.
        assertThat(budget.hopSource(2)).isEqualTo(HopSource.CHAIN_PRIOR);
        assertThat(result).isEqualTo(43 * MS);
    }

    @Test
    void shouldFallBackToTheCallersOwnSiteEstimateForAMissingReport()
    {
        observeEdgeThreeTimes(S0, 0, 8 * MS);
        tracker.ingestReportedOutgoing(S0, S1, CHAIN, 5 * MS, 1 * MS, 10);
        for (int i = 0; i < 3; i++)
        {
            tracker.observeRoundTrip(S2, 2 * MS, now += MS);   // srtt 2 ms; rttvar 1 -> 0.75 -> 0.5625 ms
        }

        final long result = budget.compose(CHAIN, HOPS, 3, 50 * MS);

        // S = 8 + 5 + 2 = 15 ms; V = 2.25 + 1 + 0.5625 = 3.8125 ms; 15 + 15.25 = 30.25 ms.
        assertThat(budget.hopSource(2)).isEqualTo(HopSource.SITE);
        assertThat(budget.hopRttvarNs(2)).isEqualTo(562_500L);
        assertThat(result).isEqualTo(30_250_000L);
    }

    @Test
    void shouldPreferTheCallersEdgeAtThatHopOverItsSiteAggregate()
    {
        tracker.ingestReportedOutgoing(S0, S1, CHAIN, 5 * MS, 1 * MS, 10);
        observeEdgeThreeTimes(S1, 1, 4 * MS);   // edge (S1, CHAIN, 1) and site S1: 4 ms, rttvar 1.125 ms
        observeEdgeThreeTimes(S0, 0, 8 * MS);   // edge (S0, CHAIN, 0): 8 ms / 2.25 ms

        budget.compose(CHAIN, HOPS, 2, 50 * MS);
        assertThat(budget.hopSource(1)).isEqualTo(HopSource.REPORTED);

        final long other = 0xBEEFL;
        for (int i = 0; i < 3; i++)
        {
            tracker.observeRoundTrip(S1, other, 1, 6 * MS, now += MS);
        }
        // No report in chain `other`; hop 1 takes the caller's edge (S1, other, 1): 6 ms, 2.25 * 6/8 ms.
        // Hop 0: no edge (S0, other, 0); the site S0 aggregate is 8 ms / 2.25 ms.
        final long result = budget.compose(other, HOPS, 2, 50 * MS);
        assertThat(budget.hopSource(0)).isEqualTo(HopSource.SITE);
        assertThat(budget.hopSource(1)).isEqualTo(HopSource.EDGE);
        assertThat(budget.hopSrttNs(1)).isEqualTo(6 * MS);
        assertThat(budget.hopRttvarNs(1)).isEqualTo(1_687_500L);
        // S = 14 ms; V = 2.25 + 1.6875 = 3.9375 ms; 14 + 15.75 = 29.75 ms.
        assertThat(result).isEqualTo(29_750_000L);
    }

    @Test
    void shouldFallBackToTheGlobalPriorThenTheStaticDefault()
    {
        final long[] sites = {20, 21};
        // Fresh tracker: every hop takes the static default as srtt with rttvar 0.
        assertThat(budget.compose(CHAIN, sites, 2, 10 * MS)).isEqualTo(20 * MS);
        assertThat(budget.hopSource(0)).isEqualTo(HopSource.STATIC_DEFAULT);
        assertThat(budget.hopRttvarNs(1)).isZero();

        for (int i = 0; i < 3; i++)
        {
            tracker.observeRoundTrip(30, 8 * MS, now += MS);
        }
        // Global prior, shifts (6, 5): srtt 8 ms; rttvar 4,000,000 -> 3,875,000 -> 3,753,907.
        final long result = budget.compose(CHAIN, sites, 2, 10 * MS);
        assertThat(budget.hopSource(0)).isEqualTo(HopSource.GLOBAL_PRIOR);
        assertThat(budget.hopSource(1)).isEqualTo(HopSource.GLOBAL_PRIOR);
        // S = 16 ms; V = 7,507,814; 16,000,000 + 30,031,256 = 46,031,256.
        assertThat(result).isEqualTo(46_031_256L);
    }

    @Test
    void shouldAgreeWithTheTrackersOwnBudgetForOneHop()
    {
        final SplittableRandom random = new SplittableRandom(0x5EED_0C4AL);
        for (int round = 0; round < 500; round++)
        {
            final long site = random.nextInt(6);
            final long chain = random.nextInt(3);
            final int hop = random.nextInt(2);
            final int op = random.nextInt(3);
            final long sample = 1 + random.nextLong(50 * MS);
            if (op == 0)
            {
                tracker.observeRoundTrip(site, chain, hop, sample, now += 1000);
            }
            else if (op == 1)
            {
                tracker.observeRoundTrip(site, sample, now += 1000);
            }
            else
            {
                tracker.ingestReportedOutgoing(site, random.nextInt(6), chain, sample, sample / 3, random.nextInt(5));
            }
            final long querySite = random.nextInt(6);
            final long queryChain = random.nextInt(3);
            assertThat(budget.compose(queryChain, new long[]{querySite}, 1, 7 * MS))
                .isEqualTo(tracker.estimateBudgetNs(querySite, queryChain, 0, 7 * MS));
        }
    }

    @Test
    void shouldSaturateInsteadOfWrapping()
    {
        final long[] sites = new long[ChainBudget.MAX_HOPS];
        for (int i = 0; i < sites.length; i++)
        {
            sites[i] = 100 + i;
            if (i > 0)
            {
                tracker.ingestReportedOutgoing(sites[i - 1], sites[i], CHAIN, EmaWord.MAX_VALUE_NS, EmaWord.MAX_VALUE_NS, 5);
            }
        }
        assertThat(budget.compose(CHAIN, sites, sites.length, 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(budget.srttSumNs()).isEqualTo(Long.MAX_VALUE);
        assertThat(budget.hopCount()).isEqualTo(256);
    }

    @Test
    void shouldRejectBadArguments()
    {
        assertThatThrownBy(() -> budget.compose(CHAIN, HOPS, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget.compose(CHAIN, HOPS, 4, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget.compose(CHAIN, new long[300], 257, 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget.compose(CHAIN, HOPS, 1, -1)).isInstanceOf(IllegalArgumentException.class);
        budget.compose(CHAIN, HOPS, 2, 1);
        assertThatThrownBy(() -> budget.hopSource(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
