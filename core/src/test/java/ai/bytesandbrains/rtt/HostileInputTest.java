package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Every public operation driven with random and extreme values: only the documented exception (an
 * out-of-range hop) may escape, stored state stays valid, and the rejected counter accounts for every
 * call refused for a negative value.
 */
class HostileInputTest
{
    private static final long[] EXTREMES = {
        0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 1, 1L << 62, 1L << 57, EmaWord.MAX_VALUE_NS, -(1L << 40)};
    private static final int[] HOPS = {0, 255, -1, 256, Integer.MIN_VALUE, Integer.MAX_VALUE, 7};

    static LongStream seeds()
    {
        return LongStream.range(0, 100).map(i -> 0xBAD_0000L + i);
    }

    private static long value(final SplittableRandom random)
    {
        return random.nextInt(3) == 0 ? EXTREMES[random.nextInt(EXTREMES.length)] : random.nextLong();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldRefuseOnlyWhatTheJavadocPromisesAndCountEveryRejectedCall(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        long expectedRejected = 0;
        long expectedDroppedNames = 0;
        final java.util.Map<Long, String> names = new java.util.HashMap<>();
        final int nameSlots = ai.bytesandbrains.rtt.internal.NameTable.slotCount(4);
        final EmaView emaView = new EmaView();
        final SiteView siteView = new SiteView();
        try (RttTracker tracker = RttTracker.builder()
            .siteCapacity(4).edgeCapacity(4).chainCapacity(2).reportedCapacity(2).historyCapacity(3).build())
        {
            for (int i = 0; i < 2_000; i++)
            {
                final long site = random.nextInt(4) == 0 ? value(random) : random.nextInt(6);
                final long chain = random.nextBoolean() ? value(random) : random.nextInt(3);
                final int hop = random.nextInt(3) == 0 ? HOPS[random.nextInt(HOPS.length)] : random.nextInt(256);
                final long a = value(random);
                final long b = value(random);
                final long c = value(random);
                final boolean hopValid = hop >= 0 && hop <= 255;
                switch (random.nextInt(13))
                {
                    case 0 ->
                    {
                        assertThat(tracker.observeRoundTrip(site, a, b)).isEqualTo((a | b) >= 0);
                        expectedRejected += (a | b) < 0 ? 1 : 0;
                    }
                    case 1 ->
                    {
                        if (!hopValid)
                        {
                            assertThatIllegalArgumentException().isThrownBy(() -> tracker.observeRoundTrip(site, chain, hop, a, b));
                        }
                        else
                        {
                            assertThat(tracker.observeRoundTrip(site, chain, hop, a, b)).isEqualTo((a | b) >= 0);
                            expectedRejected += (a | b) < 0 ? 1 : 0;
                        }
                    }
                    case 2 ->
                    {
                        final boolean stored = tracker.ingestReportedOutgoing(site, value(random), chain, a, b, c);
                        expectedRejected += (a | b | c) < 0 ? 1 : 0;
                        if ((a | b | c) < 0)
                        {
                            assertThat(stored).isFalse();
                        }
                    }
                    case 3 -> tracker.estimateBudgetNs(site, a);
                    case 4 ->
                    {
                        if (!hopValid)
                        {
                            assertThatIllegalArgumentException().isThrownBy(() -> tracker.estimateBudgetNs(site, chain, hop, a));
                        }
                        else
                        {
                            tracker.estimateBudgetNs(site, chain, hop, a);
                        }
                    }
                    case 5 ->
                    {
                        final double phi = tracker.phi(site, a);
                        assertThat(phi).isFinite().isGreaterThanOrEqualTo(0.0);
                        expectedRejected += a < 0 ? 1 : 0;
                        tracker.isSuspect(site, a & Long.MAX_VALUE);
                        tracker.isDown(site, a & Long.MAX_VALUE);
                    }
                    case 6 ->
                    {
                        tracker.scanPhi(a, (s, state, phi) -> assertThat(phi).isFinite().isGreaterThanOrEqualTo(0.0));
                        expectedRejected += a < 0 ? 1 : 0;
                    }
                    case 7 -> tracker.readSite(site, siteView);
                    case 8 ->
                    {
                        final boolean tracked = tracker.readSite(site, siteView);
                        assertThat(tracker.evictSite(site)).isEqualTo(tracked);
                        assertThat(tracker.readSite(site, siteView)).isFalse();
                    }
                    case 9 ->
                    {
                        final long before = tracker.trackedSiteCount();
                        final int evicted = tracker.evictIdle(a, b);
                        expectedRejected += (a | b) < 0 ? 1 : 0;
                        assertThat(evicted).isBetween(0, (int)before);
                        assertThat(tracker.trackedSiteCount()).isEqualTo(before - evicted);
                    }
                    case 10 ->
                    {
                        // Any pair of longs: an empty, inverted or implausibly long interval is refused, never thrown.
                        assertThat(tracker.recordLocalPause(a, b))
                            .isEqualTo(a < b && b - a > 0 && b - a <= RttTrackerConfig.DEFAULT_MAX_LOCAL_PAUSE_NS);
                        assertThat(tracker.locallyPausedNsWithin(c, value(random))).isNotNegative();
                    }
                    case 11 ->
                    {
                        // Any text: too long (in UTF-8 bytes) or a full table is dropped and counted, never thrown.
                        final String name = name(random);
                        if (name.isEmpty())
                        {
                            assertThatIllegalArgumentException().isThrownBy(() -> tracker.nameSite(site, name));
                        }
                        else
                        {
                            final boolean fits = name.getBytes(StandardCharsets.UTF_8).length <= RttTracker.MAX_NAME_BYTES;
                            final boolean stored = names.containsKey(site) ||
                                fits && names.size() < nameSlots && site != ai.bytesandbrains.rtt.internal.NameTable.KEY_MASK;
                            assertThat(tracker.nameSite(site, name)).as("site %d, %d names", site, names.size()).isEqualTo(stored);
                            expectedDroppedNames += stored ? 0 : 1;
                            names.putIfAbsent(site, stored ? utf8RoundTrip(name) : null);
                            names.values().remove(null);
                            assertThat(tracker.siteName(site)).isEqualTo(stored ? names.get(site) : "");
                        }
                    }
                    default ->
                    {
                        if (hopValid)
                        {
                            tracker.readEdge(site, chain, hop, emaView);
                        }
                        tracker.readChainPrior(chain, emaView);
                        tracker.readReported(site, a, chain, emaView);
                    }
                }
            }
            assertThat(tracker.rejectedSampleCount()).isEqualTo(expectedRejected);
            assertThat(tracker.droppedNameCount()).isEqualTo(expectedDroppedNames);
            names.forEach((named, name) -> assertThat(tracker.siteName(named)).isEqualTo(name));
            assertValid(tracker.snapshot());
        }
    }

    /** Empty, short or past the limit; ASCII, multi-byte, surrogate pairs and lone surrogates. */
    private static String name(final SplittableRandom random)
    {
        final int length = random.nextInt(4) == 0 ? random.nextInt(100, 130) : random.nextInt(0, 20);
        final StringBuilder name = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            name.append(switch (random.nextInt(5))
            {
                case 0 -> (char)random.nextInt(0x80, 0x800);
                case 1 -> (char)random.nextInt(0x800, 0x10000);
                default -> (char)random.nextInt(0x20, 0x7F);
            });
        }
        return name.toString();
    }

    private static String utf8RoundTrip(final String name)
    {
        return new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static void assertValid(final RttTrackerSnapshot snapshot)
    {
        assertThat(snapshot.sites()).hasSizeLessThanOrEqualTo(4);
        for (final RttTrackerSnapshot.Site site : snapshot.sites())
        {
            assertValid(site.ema());
            assertThat(site.historyLength()).isBetween(0, 3).isEqualTo(site.historyNs().size());
            assertThat(site.historyNs()).allSatisfy(v -> assertThat(v).isNotNegative());
            assertThat(site.historyMeanNs()).isFinite().isGreaterThanOrEqualTo(0.0);
            if (site.seen())
            {
                assertThat(site.lastSeenNs()).isNotNegative();
            }
        }
        snapshot.edges().forEach(e ->
        {
            assertValid(e.ema());
            assertThat(e.hopIndex()).isBetween(0, 255);
        });
        snapshot.chainPriors().forEach(c -> assertValid(c.ema()));
        snapshot.reported().forEach(r -> assertValid(r.ema()));
        assertValid(snapshot.globalPrior());
        assertThat(snapshot.counters().siteOverflows()).isNotNegative();
    }

    private static void assertValid(final RttTrackerSnapshot.Ema ema)
    {
        assertThat(ema.srttNs()).isBetween(0L, EmaWord.MAX_VALUE_NS);
        assertThat(ema.rttvarNs()).isBetween(0L, EmaWord.MAX_VALUE_NS);
        assertThat(ema.sampleCount()).isNotNegative();
        assertThat(ema.budgetNs()).isGreaterThanOrEqualTo(ema.srttNs());
    }
}
