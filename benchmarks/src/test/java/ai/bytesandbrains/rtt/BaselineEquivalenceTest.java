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
 * The handle API must also give, in every implementation, exactly what the same call by id gives, however
 * handle and id calls interleave and whatever was evicted since a handle was made.
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
        runAgainstCore(seed, historyCapacity, false);
    }

    /**
     * The same operations as {@link #shouldGiveTheSameResultsAsCore} (same seeds, so the same evictions), with
     * each observe sent by id or through a handle at random, every estimate and φ asked both ways, and handles
     * made afresh now and then, so that calls reach handles made before the site was tracked, after it, and
     * after one or more evictions and re-insertions.
     */
    @ParameterizedTest(name = "seed {0}, history capacity {1}")
    @CsvSource({"1, 8", "2, 8", "3, 1000", "4, 3", "5, 1000", "6, 1"})
    void shouldGiveTheSameResultsAsCoreThroughHandlesMixedWithIds(final long seed, final int historyCapacity)
    {
        runAgainstCore(seed, historyCapacity, true);
    }

    private static void runAgainstCore(final long seed, final int historyCapacity, final boolean mixHandles)
    {
        final TrackerUnderTest core = Trackers.create(Trackers.CORE, 64, 256, historyCapacity);
        final TrackerUnderTest sync = Trackers.create(Trackers.SYNCHRONIZED, 64, 256, historyCapacity);
        final TrackerUnderTest atomic = Trackers.create(Trackers.ATOMIC_REF, 64, 256, historyCapacity);
        final TrackerUnderTest jctools = Trackers.create(Trackers.JCTOOLS, 64, 256, historyCapacity);
        final TrackerUnderTest[] baselines = {sync, atomic, jctools};
        final TrackerUnderTest[] all = {core, sync, atomic, jctools};
        final SplittableRandom random = new SplittableRandom(seed);
        // A stream of its own decides id or handle, so the operations are those of the id-only run.
        final SplittableRandom api = new SplittableRandom(~seed);
        final Handles handles = new Handles(all);
        long now = 0; // D2: a first heartbeat at t = 0 is a real one

        for (int step = 0; step < 20_000; step++)
        {
            final int siteIndex = random.nextInt(SITES.length);
            final long site = SITES[siteIndex];
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

            if (mixHandles && api.nextInt(64) == 0)
            {
                handles.renew(siteIndex);
            }
            final boolean byHandle = mixHandles && api.nextBoolean();

            if (dice < 40)
            {
                final boolean expected = byHandle ?
                    core.observeRoundTrip(handles.of(core, siteIndex), chain, hop, elapsed, opNow) :
                    core.observeRoundTrip(site, chain, hop, elapsed, opNow);
                for (final TrackerUnderTest b : baselines)
                {
                    assertThat(byHandle ?
                        b.observeRoundTrip(handles.of(b, siteIndex), chain, hop, elapsed, opNow) :
                        b.observeRoundTrip(site, chain, hop, elapsed, opNow)).isEqualTo(expected);
                }
            }
            else if (dice < 65)
            {
                final boolean expected = byHandle ?
                    core.observeRoundTrip(handles.of(core, siteIndex), elapsed, opNow) :
                    core.observeRoundTrip(site, elapsed, opNow);
                for (final TrackerUnderTest b : baselines)
                {
                    assertThat(byHandle ?
                        b.observeRoundTrip(handles.of(b, siteIndex), elapsed, opNow) :
                        b.observeRoundTrip(site, elapsed, opNow)).isEqualTo(expected);
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
                for (final TrackerUnderTest t : mixHandles ? all : new TrackerUnderTest[0])
                {
                    assertThat(t.estimateBudgetNs(handles.of(t, siteIndex), chain, hop, 777)).isEqualTo(expectedChain);
                    assertThat(t.estimateBudgetNs(handles.of(t, siteIndex), 777)).isEqualTo(expectedSite);
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
                for (final TrackerUnderTest t : mixHandles ? all : new TrackerUnderTest[0])
                {
                    assertThat(t.phi(handles.of(t, siteIndex), at)).isEqualTo(t.phi(site, at)); // exactly, each its own
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
    @CsvSource({Trackers.CORE, Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
    void shouldResolveAHandleAgainAfterItsSiteIsEvicted(final String impl)
    {
        final TrackerUnderTest tracker = Trackers.create(impl, 8, 16, 8);
        final Object handle = tracker.siteHandle(7);
        final Object other = tracker.siteHandle(9);
        assertThat(tracker.trackedSiteCount()).as("a handle alone tracks nothing").isZero();
        assertThat(tracker.estimateBudgetNs(handle, 777)).isEqualTo(777);
        assertThat(tracker.phi(handle, 10)).isZero();
        assertThat(tracker.observeRoundTrip(handle, -1, 5)).isFalse();
        assertThat(tracker.observeRoundTrip(handle, 1, 2, 5, -1)).isFalse();
        assertThat(tracker.trackedSiteCount()).as("a rejected sample tracks nothing").isZero();

        long now = 100;
        for (int i = 0; i < 5; i++)
        {
            assertThat(tracker.observeRoundTrip(handle, 3, 1, 1_000 + 100 * i, now += 10)).isTrue();
            assertThat(tracker.observeRoundTrip(other, 3, 2, 2_000_000, now)).isTrue(); // priors unlike site 7's EMAs
        }
        assertThat(tracker.siteEma(7).sampleCount()).isEqualTo(5);
        assertThat(tracker.estimateBudgetNs(handle, 3, 1, 777)).isEqualTo(tracker.estimateBudgetNs(7, 3, 1, 777));
        assertThat(tracker.phi(handle, now + 50)).isEqualTo(tracker.phi(7, now + 50)).isPositive();

        // Evicted by id: the handle must not read or write the old site any more.
        assertThat(tracker.evictSite(7)).isTrue();
        final long untracked = tracker.estimateBudgetNs(12345, 3, 1, 777); // chain prior, site 7's no more
        assertThat(tracker.estimateBudgetNs(handle, 3, 1, 777)).isEqualTo(untracked);
        assertThat(tracker.estimateBudgetNs(handle, 777)).isEqualTo(tracker.estimateBudgetNs(12345, 777));
        assertThat(tracker.phi(handle, now + 50)).isZero();
        assertThat(tracker.observeRoundTrip(handle, 5_000, now += 10)).isTrue();
        assertThat(tracker.siteEma(7).sampleCount()).as("a new site, not the evicted one").isEqualTo(1);
        assertThat(tracker.lastSeenNs(7)).isEqualTo(now);
        assertThat(tracker.estimateBudgetNs(other, 777)).isEqualTo(tracker.estimateBudgetNs(9, 777));

        // Evicted idle, then re-inserted by id: the handle finds the newest site.
        assertThat(tracker.evictIdle(now, 0)).isEqualTo(2);
        assertThat(tracker.phi(handle, now + 50)).isZero();
        assertThat(tracker.estimateBudgetNs(other, 777)).isEqualTo(tracker.estimateBudgetNs(12345, 777));
        assertThat(tracker.observeRoundTrip(7, 3, 1, 7_000, now += 10)).isTrue();
        for (int i = 0; i < 3; i++)
        {
            assertThat(tracker.observeRoundTrip(handle, 3, 1, 7_000, now += 10)).isTrue();
        }
        assertThat(tracker.siteEma(7).sampleCount()).isEqualTo(4);
        assertThat(tracker.edgeEma(7, 3, 1).sampleCount()).isEqualTo(4);
        assertThat(tracker.estimateBudgetNs(handle, 3, 1, 777)).isEqualTo(tracker.estimateBudgetNs(7, 3, 1, 777));
        assertThat(tracker.phi(handle, now + 50)).isEqualTo(tracker.phi(7, now + 50)).isPositive();
        assertThat(tracker.trackedSiteCount()).isEqualTo(1);
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

    /** Per tracker, one handle per site index; renewed all at once so every tracker's handle has the same past. */
    private static final class Handles
    {
        private final TrackerUnderTest[] trackers;
        private final Object[][] handles;

        Handles(final TrackerUnderTest[] trackers)
        {
            this.trackers = trackers;
            this.handles = new Object[trackers.length][SITES.length];
            for (int i = 0; i < SITES.length; i++)
            {
                renew(i);
            }
        }

        void renew(final int siteIndex)
        {
            for (int t = 0; t < trackers.length; t++)
            {
                handles[t][siteIndex] = trackers[t].siteHandle(SITES[siteIndex]);
            }
        }

        Object of(final TrackerUnderTest tracker, final int siteIndex)
        {
            for (int t = 0; t < trackers.length; t++)
            {
                if (trackers[t] == tracker)
                {
                    return handles[t][siteIndex];
                }
            }
            throw new IllegalArgumentException("not one of the trackers");
        }
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
