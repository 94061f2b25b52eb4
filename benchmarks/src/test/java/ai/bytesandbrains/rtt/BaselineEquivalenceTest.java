package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every baseline must compute what core computes on the same inputs, so that the benchmarks compare like
 * with like. Values stay below 2^24 ns, where core's EMA encoding is exact; φ is compared within 1e-9
 * relative (core's mean is an exact integer sum, the synchronized baseline's a sequential double sum).
 */
class BaselineEquivalenceTest
{
    private static final long[] SITES = {0, 1, 2, 3, 5, 8, 13, -7, 1L << 40, Long.MAX_VALUE};
    private static final long[] CHAINS = {
        ChainIds.fromTargets("a:1,b:2"), ChainIds.fromTargets("a:1,c:3,d:4"), 42};
    private static final long VALUE_LIMIT = 1L << 24;

    record Transition(long site, PhiState state, double phi)
    {
    }

    @ParameterizedTest(name = "seed {0}, history capacity {1}")
    @CsvSource({"1, 8", "2, 8", "3, 1000", "4, 3", "5, 1000", "6, 1"})
    void shouldGiveTheSameResultsAsCore(final long seed, final int historyCapacity)
    {
        final TrackerUnderTest core = Trackers.create(Trackers.CORE, 64, 256, historyCapacity);
        final TrackerUnderTest sync = Trackers.create(Trackers.SYNCHRONIZED, 64, 256, historyCapacity);
        final TrackerUnderTest atomic = Trackers.create(Trackers.ATOMIC_REF, 64, 256, historyCapacity);
        final TrackerUnderTest jctools = Trackers.create(Trackers.JCTOOLS, 64, 256, historyCapacity);
        final TrackerUnderTest[] baselines = {sync, atomic, jctools};
        final SplittableRandom random = new SplittableRandom(seed);
        long now = 0; // D2: a first heartbeat at t = 0 is a real one

        for (int step = 0; step < 20_000; step++)
        {
            final long site = SITES[random.nextInt(SITES.length)];
            final long chain = CHAINS[random.nextInt(CHAINS.length)];
            final int hop = random.nextInt(4);
            final long elapsed = random.nextLong(VALUE_LIMIT);
            final int dice = random.nextInt(100);
            final long opNow;
            if (dice % 10 == 0)
            {
                opNow = Math.max(0, now - random.nextLong(100_000)); // D3: late clock read
            }
            else if (dice % 10 == 1)
            {
                opNow = now; // equal now records an inter-arrival of 0
            }
            else
            {
                now += random.nextLong(50_000);
                opNow = now;
            }

            if (dice < 40)
            {
                final boolean expected = core.observeRoundTrip(site, chain, hop, elapsed, opNow);
                for (final TrackerUnderTest b : baselines)
                {
                    assertThat(b.observeRoundTrip(site, chain, hop, elapsed, opNow)).isEqualTo(expected);
                }
            }
            else if (dice < 65)
            {
                final boolean expected = core.observeRoundTrip(site, elapsed, opNow);
                for (final TrackerUnderTest b : baselines)
                {
                    assertThat(b.observeRoundTrip(site, elapsed, opNow)).isEqualTo(expected);
                }
            }
            else if (dice < 72)
            {
                final long nextHop = SITES[random.nextInt(SITES.length)];
                final long srtt = random.nextLong(VALUE_LIMIT);
                final long rttvar = random.nextLong(VALUE_LIMIT);
                final long count = random.nextInt(6);
                final boolean expected = core.ingestReportedOutgoing(site, nextHop, chain, srtt, rttvar, count);
                for (final TrackerUnderTest b : baselines)
                {
                    assertThat(b.ingestReportedOutgoing(site, nextHop, chain, srtt, rttvar, count)).isEqualTo(expected);
                    assertThat(b.reported(site, nextHop, chain)).isEqualTo(core.reported(site, nextHop, chain));
                }
            }
            else if (dice < 82)
            {
                final long expectedChain = core.estimateBudgetNs(site, chain, hop, 777);
                final long expectedSite = core.estimateBudgetNs(site, 777);
                for (final TrackerUnderTest b : baselines)
                {
                    assertThat(b.estimateBudgetNs(site, chain, hop, 777)).isEqualTo(expectedChain);
                    assertThat(b.estimateBudgetNs(site, 777)).isEqualTo(expectedSite);
                }
            }
            else if (dice < 95)
            {
                final long at = now + random.nextLong(5_000_000);
                final double expected = core.phi(site, at);
                for (final TrackerUnderTest b : baselines)
                {
                    assertPhi(b.phi(site, at), expected);
                }
            }
            else if (dice == 95)
            {
                final boolean expected = core.evictSite(site);
                for (final TrackerUnderTest b : baselines)
                {
                    assertThat(b.evictSite(site)).isEqualTo(expected);
                }
            }
            else if (dice == 96)
            {
                final long idle = random.nextLong(2_000_000);
                final int expected = core.evictIdle(now, idle);
                for (final TrackerUnderTest b : baselines)
                {
                    assertThat(b.evictIdle(now, idle)).isEqualTo(expected);
                }
            }
            else
            {
                final long at = now + random.nextLong(20_000_000);
                final List<Transition> expected = scan(core, at);
                for (final TrackerUnderTest b : baselines)
                {
                    final List<Transition> actual = scan(b, at);
                    assertThat(actual).hasSameSizeAs(expected);
                    for (int i = 0; i < expected.size(); i++)
                    {
                        assertThat(actual.get(i).site()).isEqualTo(expected.get(i).site());
                        assertThat(actual.get(i).state()).isEqualTo(expected.get(i).state());
                        assertPhi(actual.get(i).phi(), expected.get(i).phi());
                    }
                }
            }
        }

        for (final TrackerUnderTest b : baselines)
        {
            assertThat(b.trackedSiteCount()).isEqualTo(core.trackedSiteCount());
            assertThat(b.globalPrior()).isEqualTo(core.globalPrior());
            for (final long chain : CHAINS)
            {
                assertThat(b.chainPrior(chain)).isEqualTo(core.chainPrior(chain));
            }
            for (final long site : SITES)
            {
                assertThat(b.siteEma(site)).isEqualTo(core.siteEma(site));
                assertThat(b.lastSeenNs(site)).isEqualTo(core.lastSeenNs(site));
                for (final long chain : CHAINS)
                {
                    for (int hop = 0; hop < 4; hop++)
                    {
                        assertThat(b.edgeEma(site, chain, hop)).isEqualTo(core.edgeEma(site, chain, hop));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"''", "a", "foobar", "site-a:7000,site-b:7001", "é,中,\uD83D\uDE00"})
    void shouldHashChainTargetsAsCore(final String targets)
    {
        final long expected = ChainIds.fromTargets(targets);
        assertThat(Trackers.create(Trackers.SYNCHRONIZED, 1, 1, 1).chainId(targets)).isEqualTo(expected);
        assertThat(Trackers.create(Trackers.ATOMIC_REF, 1, 1, 1).chainId(targets)).isEqualTo(expected);
        assertThat(Trackers.create(Trackers.JCTOOLS, 1, 1, 1).chainId(targets)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS, Trackers.CORE})
    void shouldRejectNegativeTimesLikeCore(final String impl)
    {
        final TrackerUnderTest tracker = Trackers.create(impl, 4, 4, 4);
        assertThat(tracker.observeRoundTrip(1, -1, 5)).isFalse();
        assertThat(tracker.observeRoundTrip(1, 5, -1)).isFalse();
        assertThat(tracker.ingestReportedOutgoing(1, 2, 3, -1, 0, 0)).isFalse();
        assertThat(tracker.siteEma(1)).isNull();
        assertThat(tracker.trackedSiteCount()).isZero();
    }

    private static List<Transition> scan(final TrackerUnderTest tracker, final long at)
    {
        final List<Transition> transitions = new ArrayList<>();
        final int count = tracker.scanPhi(at, (site, state, phi) -> transitions.add(new Transition(site, state, phi)));
        assertThat(count).isEqualTo(transitions.size());
        transitions.sort(Comparator.comparingLong(Transition::site));
        return transitions;
    }

    private static void assertPhi(final double actual, final double expected)
    {
        assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * 1e-9));
    }
}
