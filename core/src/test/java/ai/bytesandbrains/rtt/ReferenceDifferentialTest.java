package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaShifts;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.SiteView;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Drives long random sequences of every operation into the library and into {@link ReferenceRttTracker}
 * and compares every result and, at the end, the whole state. Below 2^24 ns the results must be
 * identical (φ within D6's 1e-12); with values up to 2^50 ns they must stay within the D5 bound
 * derived in {@link D5Bound}.
 */
class ReferenceDifferentialTest
{
    static final long[] SITES = {0, 1, 2, 3, 42, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x1234_5678_9abcL, 7, 8, 9};
    static final long[] CHAINS = {ChainIds.fromTargets("a,b,c"), ChainIds.fromTargets("x,y"), 0, -5};
    static final int[] HOPS = {0, 1, 2, 255};

    enum Kind
    {
        OBSERVE, OBSERVE_CHAIN, INGEST, ESTIMATE, ESTIMATE_CHAIN, PHI, SCAN, EVICT, EVICT_IDLE
    }

    record Op(Kind kind, int site, int other, int chain, int hop, long value, long value2, long count, long dt)
    {
    }

    /** Seeds per property; each seed is one random sequence of up to 400 operations. */
    static final int SEEDS = 400;

    static LongStream seeds()
    {
        return LongStream.range(0, SEEDS).map(i -> 0x5EED_0000L + i * 0x9E37_79B9L);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldMatchReferenceExactlyBelow2to24(final long seed)
    {
        run(ops(new SplittableRandom(seed), false), false);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldStayWithinD5BoundsUpTo2to50(final long seed)
    {
        run(ops(new SplittableRandom(seed), true), true);
    }

    /**
     * The same sequences with about half the observes, estimates and φ calls made through {@link SiteHandle}s
     * made before the first operation: evictions and reuse of records make them stale again and again.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void shouldMatchReferenceExactlyThroughSiteHandlesMixedWithIds(final long seed)
    {
        run(ops(new SplittableRandom(seed), false), false, true);
    }

    private static long value(final SplittableRandom random, final boolean large)
    {
        return switch (random.nextInt(large ? 5 : 4))
        {
            case 0 -> new long[]{0, 1, 2, 3, 4, 7, 8}[random.nextInt(7)];
            case 1 -> random.nextLong(2_001);
            case 2 -> large ? random.nextLong(1L << 24, (1L << 50) + 1) : random.nextLong(1L << 24);
            case 3 -> -1 - random.nextLong(3);
            default -> random.nextLong(1L << 40, (1L << 50) + 1);
        };
    }

    static List<Op> ops(final SplittableRandom random, final boolean large)
    {
        final int length = 1 + random.nextInt(400);
        final List<Op> ops = new ArrayList<>(length);
        for (int i = 0; i < length; i++)
        {
            final long dt = switch (random.nextInt(5))
            {
                case 0 -> random.nextLong(1_001);
                case 1 -> random.nextLong(1_000, 5_001);
                case 2 -> random.nextLong(50_000, 2_000_001);
                case 3 -> -1 - random.nextLong(500);
                default -> 0;
            };
            final long count = random.nextBoolean() ? random.nextLong(6) : random.nextLong(-2, 1L << 40);
            ops.add(new Op(
                // One operation in twenty evicts, so that histories grow between evictions.
                random.nextInt(20) == 0 ? (random.nextBoolean() ? Kind.EVICT : Kind.EVICT_IDLE) :
                    Kind.values()[random.nextInt(Kind.EVICT.ordinal())],
                random.nextInt(SITES.length),
                random.nextInt(SITES.length),
                random.nextInt(CHAINS.length),
                random.nextInt(HOPS.length),
                value(random, large),
                value(random, large),
                count,
                dt));
        }
        return ops;
    }

    private static RttTrackerConfig config()
    {
        return RttTracker.builder()
            .siteCapacity(8)
            .edgeCapacity(10)
            .chainCapacity(3)
            .reportedCapacity(6)
            .historyCapacity(5)
            .suspectPhi(3.0)
            .downPhi(6.0)
            .localPauseAwareness(false) // the reference has none; PauseAwarenessTest covers it
            .toConfig();
    }

    private static void run(final List<Op> ops, final boolean large)
    {
        run(ops, large, false);
    }

    private static void run(final List<Op> ops, final boolean large, final boolean mixHandles)
    {
        final RttTrackerConfig config = config();
        final ReferenceRttTracker model = new ReferenceRttTracker(config);
        final long[] tier = new long[1];
        long now = 1_000_000;
        try (RttTracker tracker = TrackerRecovery.over(config, new org.agrona.concurrent.UnsafeBuffer(
            java.nio.ByteBuffer.allocateDirect((int)RttTracker.requiredBufferLength(config)))))
        {
            final SiteHandle[] handles = new SiteHandle[SITES.length];
            for (int i = 0; i < SITES.length; i++)
            {
                handles[i] = tracker.siteHandle(SITES[i]);
            }
            for (final Op op : ops)
            {
                now = Math.max(0, now + op.dt());
                final long site = SITES[op.site()];
                final long chain = CHAINS[op.chain()];
                final int hop = HOPS[op.hop()];
                final SiteHandle handle = mixHandles && (op.value2() & 1) == 0 ? handles[op.site()] : null;
                switch (op.kind())
                {
                    case OBSERVE -> assertThat(handle == null ? tracker.observeRoundTrip(site, op.value(), now) :
                        tracker.observeRoundTrip(handle, op.value(), now))
                        .isEqualTo(model.observe(site, false, 0, 0, op.value(), now));
                    case OBSERVE_CHAIN -> assertThat(handle == null ?
                        tracker.observeRoundTrip(site, chain, hop, op.value(), now) :
                        tracker.observeRoundTrip(handle, chain, hop, op.value(), now))
                        .isEqualTo(model.observe(site, true, chain, hop, op.value(), now));
                    case INGEST -> assertThat(tracker.ingestReportedOutgoing(
                        site, SITES[op.other()], chain, op.value(), op.value2(), op.count()))
                        .isEqualTo(model.ingest(site, SITES[op.other()], chain, op.value(), op.value2(), op.count()));
                    case ESTIMATE ->
                    {
                        final long expected = model.estimate(site, false, 0, 0, op.value2(), tier);
                        assertBudget(handle == null ? tracker.estimateBudgetNs(site, op.value2()) :
                            tracker.estimateBudgetNs(handle, op.value2()), expected, tier[0], config, large);
                    }
                    case ESTIMATE_CHAIN ->
                    {
                        final long expected = model.estimate(site, true, chain, hop, op.value2(), tier);
                        assertBudget(handle == null ? tracker.estimateBudgetNs(site, chain, hop, op.value2()) :
                            tracker.estimateBudgetNs(handle, chain, hop, op.value2()), expected, tier[0], config, large);
                    }
                    case PHI ->
                    {
                        final long at = now + Math.abs(op.value() % 10_000_000);
                        assertPhi(handle == null ? tracker.phi(site, at) : tracker.phi(handle, at), model.phi(site, at));
                    }
                    case SCAN ->
                    {
                        final List<ReferenceRttTracker.Transition> seen = new ArrayList<>();
                        final int count = tracker.scanPhi(
                            now, (s, state, phi) -> seen.add(new ReferenceRttTracker.Transition(s, state, phi)));
                        final List<ReferenceRttTracker.Transition> expected = new ArrayList<>(model.scan(now));
                        // Scan order is storage order, which eviction and reuse make differ from the model's.
                        seen.sort(java.util.Comparator.comparingLong(ReferenceRttTracker.Transition::site));
                        expected.sort(java.util.Comparator.comparingLong(ReferenceRttTracker.Transition::site));
                        assertThat(count).isEqualTo(seen.size());
                        assertThat(seen).hasSameSizeAs(expected);
                        for (int i = 0; i < seen.size(); i++)
                        {
                            assertThat(seen.get(i).site()).isEqualTo(expected.get(i).site());
                            assertThat(seen.get(i).state()).isEqualTo(expected.get(i).state());
                            assertPhi(seen.get(i).phi(), expected.get(i).phi());
                        }
                    }
                    case EVICT -> assertThat(tracker.evictSite(site)).isEqualTo(model.evictSite(site));
                    case EVICT_IDLE ->
                        assertThat(tracker.evictIdle(now, op.value2())).isEqualTo(model.evictIdle(now, op.value2()));
                    default -> throw new AssertionError(op.kind());
                }
            }
            assertSameState(tracker, model, large, config);
        }
    }

    private static void assertPhi(final double actual, final double expected)
    {
        assertThat(actual).isFinite().isGreaterThanOrEqualTo(0.0);
        assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * 1e-12));
    }

    private static void assertBudget(
        final long actual, final long expected, final long scale, final RttTrackerConfig config, final boolean large)
    {
        if (!large || scale == 0)
        {
            assertThat(actual).isEqualTo(expected);
            return;
        }
        final EmaShifts shifts = scale < 0 ? config.globalPriorShifts() : config.emaShifts();
        final long magnitude = scale < 0 ? -scale - 1 : scale;
        assertThat(actual).isCloseTo(expected, org.assertj.core.data.Offset.offset(5 * D5Bound.of(shifts, magnitude)));
    }

    private static void assertEma(
        final long word, final long count, final ReferenceRttTracker.Ema expected, final EmaShifts shifts, final boolean large)
    {
        assertThat(count).isEqualTo(expected.count);
        assertThat(EmaWord.isWarm(word)).isEqualTo(expected.warm());
        if (!large)
        {
            assertThat(EmaWord.srttNs(word)).isEqualTo(expected.srtt);
            assertThat(EmaWord.rttvarNs(word)).isEqualTo(expected.rttvar);
            return;
        }
        final long bound = D5Bound.of(shifts, expected.scale);
        assertThat(EmaWord.srttNs(word)).isCloseTo(expected.srtt, org.assertj.core.data.Offset.offset(bound));
        assertThat(EmaWord.rttvarNs(word)).isCloseTo(expected.rttvar, org.assertj.core.data.Offset.offset(bound));
    }

    private static void assertSameState(
        final RttTracker tracker, final ReferenceRttTracker model, final boolean large, final RttTrackerConfig config)
    {
        assertThat(tracker.trackedSiteCount()).isEqualTo(model.entries.size());
        final SiteView site = new SiteView();
        model.entries.forEach((id, entry) ->
        {
            assertThat(tracker.readSite(id, site)).isTrue();
            assertEma(site.word(), site.sampleCount(), entry.site, config.emaShifts(), large);
            assertThat(site.hasBeenSeen()).isEqualTo(entry.seen);
            if (entry.seen)
            {
                assertThat(site.lastSeenNs()).isEqualTo(entry.lastSeen);
                assertThat(site.lastUpdatedNs()).isEqualTo(entry.lastUpdated);
            }
            assertThat(site.lastPhiState()).isEqualTo(entry.lastPhiState);
            assertThat(site.historyLength()).isEqualTo(entry.length);
            if (entry.length > 0)
            {
                assertThat(site.historyMeanNs()).isCloseTo(entry.mean(), within(entry.mean() * 1e-12));
            }
        });
        final EmaView view = new EmaView();
        model.edges.forEach((key, ema) ->
        {
            assertThat(tracker.readEdge(key.site(), key.chainId(), key.hop(), view)).isTrue();
            assertEma(view.word(), view.sampleCount(), ema, config.emaShifts(), large);
        });
        assertThat(tracker.forEachEdge(view, v -> { })).isEqualTo(model.edges.size());
        model.chainPriors.forEach((key, ema) ->
        {
            assertThat(tracker.readChainPrior(key, view)).isTrue();
            assertEma(view.word(), view.sampleCount(), ema, config.emaShifts(), large);
        });
        assertThat(tracker.forEachChainPrior(view, v -> { })).isEqualTo(model.chainPriors.size());
        model.reported.forEach((key, ema) ->
        {
            assertThat(tracker.readReported(key.fromSite(), key.nextHop(), key.chainId(), view)).isTrue();
            assertThat(view.sampleCount()).isEqualTo(ema.count);
            assertThat(view.srttNs()).isEqualTo(EmaWord.representable(ema.srtt));
            assertThat(view.rttvarNs()).isEqualTo(EmaWord.representable(ema.rttvar));
            assertThat(view.isWarm()).isEqualTo(ema.warm());
        });
        assertThat(tracker.forEachReported(view, v -> { })).isEqualTo(model.reported.size());
        tracker.readGlobalPrior(view);
        assertEma(view.word(), view.sampleCount(), model.globalPrior, config.globalPriorShifts(), large);

        assertThat(tracker.rejectedSampleCount()).isEqualTo(model.rejected);
        assertThat(tracker.siteOverflowCount()).isEqualTo(model.siteOverflows);
        assertThat(tracker.edgeOverflowCount()).isEqualTo(model.edgeOverflows);
        assertThat(tracker.chainOverflowCount()).isEqualTo(model.chainOverflows);
        assertThat(tracker.reportedOverflowCount()).isEqualTo(model.reportedOverflows);
        assertThat(tracker.nonQuiescentPhiReadCount()).isZero();
        assertThat(tracker.evictedSiteCount()).isEqualTo(model.evictedSites);
        assertThat(tracker.evictedEdgeCount()).isEqualTo(model.evictedEdges);
        assertThat(tracker.evictedReportCount()).isEqualTo(model.evictedReports);
    }
}
