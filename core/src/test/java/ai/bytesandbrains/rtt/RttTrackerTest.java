package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.TrackerLayout;

import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

class RttTrackerTest
{
    private static final long SITE = 7;
    private static final long OTHER = 8;
    private static final long CHAIN = ChainIds.fromTargets("a,b,c");
    private static final long STATIC = 5_000_000;

    private final RttTracker tracker = RttTracker.builder()
        .siteCapacity(4).edgeCapacity(4).chainCapacity(2).reportedCapacity(2).historyCapacity(4).build();

    @AfterEach
    void close()
    {
        tracker.close();
    }

    private void observe(final long site, final long elapsed, final int times, final long startNow)
    {
        for (int i = 0; i < times; i++)
        {
            tracker.observeRoundTrip(site, elapsed, startNow + i * 1000L);
        }
    }

    @Test
    void shouldFallToStaticDefaultWhenNothingIsWarm()
    {
        assertThat(tracker.estimateBudgetNs(SITE, STATIC)).isEqualTo(STATIC);
        assertThat(tracker.estimateBudgetNs(SITE, CHAIN, 0, STATIC)).isEqualTo(STATIC);
        observe(SITE, 100, 2, 0);
        assertThat(tracker.estimateBudgetNs(SITE, STATIC)).isEqualTo(STATIC);
    }

    @Test
    void shouldAnswerFromSiteOnceWarm()
    {
        observe(SITE, 1000, 3, 0);
        // srtt 1000, rttvar 500 -> 375 -> 282 after two samples equal to srtt
        assertThat(tracker.estimateBudgetNs(SITE, STATIC)).isEqualTo(1000 + 4 * 282);
    }

    @Test
    void shouldFallFromColdSiteToGlobalPrior()
    {
        observe(OTHER, 1000, 3, 0);
        tracker.observeRoundTrip(SITE, 9999, 10);
        final EmaView global = tracker.readGlobalPrior(new EmaView());
        assertThat(global.sampleCount()).isEqualTo(4);
        assertThat(tracker.estimateBudgetNs(SITE, STATIC)).isEqualTo(global.budgetNs());
    }

    @Test
    void shouldPreferEdgeThenSiteThenChainThenGlobal()
    {
        for (int i = 0; i < 3; i++)
        {
            tracker.observeRoundTrip(SITE, CHAIN, 1, 2000, i);
        }
        final EmaView edge = new EmaView();
        assertThat(tracker.readEdge(SITE, CHAIN, 1, edge)).isTrue();
        assertThat(tracker.estimateBudgetNs(SITE, CHAIN, 1, STATIC)).isEqualTo(edge.budgetNs());

        // another hop on the same site: edge cold, site warm
        tracker.observeRoundTrip(SITE, CHAIN, 2, 50_000, 10);
        final SiteView site = new SiteView();
        tracker.readSite(SITE, site);
        assertThat(tracker.estimateBudgetNs(SITE, CHAIN, 2, STATIC)).isEqualTo(site.budgetNs());

        // another site on the chain: edge and site cold, chain prior warm
        tracker.observeRoundTrip(OTHER, CHAIN, 0, 1, 20);
        final EmaView chain = new EmaView();
        tracker.readChainPrior(CHAIN, chain);
        assertThat(chain.sampleCount()).isEqualTo(5);
        assertThat(tracker.estimateBudgetNs(OTHER, CHAIN, 0, STATIC)).isEqualTo(chain.budgetNs());

        // unknown chain: global prior
        final EmaView global = tracker.readGlobalPrior(new EmaView());
        assertThat(tracker.estimateBudgetNs(OTHER, 12345, 0, STATIC)).isEqualTo(global.budgetNs());
    }

    @Test
    void shouldRejectAndCountNegativeTimesWithoutTouchingState()
    {
        observe(SITE, 1000, 3, 0);
        final RttTrackerSnapshot before = tracker.snapshot();
        assertThat(tracker.observeRoundTrip(SITE, -1, 10_000)).isFalse();
        assertThat(tracker.observeRoundTrip(SITE, 10, -1)).isFalse();
        assertThat(tracker.observeRoundTrip(SITE, CHAIN, 0, Long.MIN_VALUE, 10_000)).isFalse();
        assertThat(tracker.ingestReportedOutgoing(SITE, OTHER, CHAIN, -5, 1, 1)).isFalse();
        assertThat(tracker.phi(SITE, -1)).isZero();
        assertThat(tracker.scanPhi(-1, (s, st, p) -> { })).isZero();
        assertThat(tracker.rejectedSampleCount()).isEqualTo(6);
        final RttTrackerSnapshot after = tracker.snapshot();
        assertThat(after.sites()).isEqualTo(before.sites());
        assertThat(after.globalPrior()).isEqualTo(before.globalPrior());
        assertThat(after.edges()).isEmpty();
        assertThat(after.reported()).isEmpty();
    }

    @Test
    void shouldThrowForHopOutside0To255()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> tracker.observeRoundTrip(SITE, CHAIN, 256, 1, 1))
            .withMessageContaining("hopIndex");
        assertThatIllegalArgumentException().isThrownBy(() -> tracker.estimateBudgetNs(SITE, CHAIN, -1, 1))
            .withMessageContaining("hopIndex");
        tracker.observeRoundTrip(SITE, CHAIN, 255, 1, 1);
        assertThat(tracker.readEdge(SITE, CHAIN, 255, new EmaView())).isTrue();
    }

    @Test
    void shouldTreatNowZeroAsARealHeartbeat()
    {
        tracker.observeRoundTrip(SITE, 10, 0); // D2: the reference would drop the next inter-arrival
        tracker.observeRoundTrip(SITE, 10, 1000);
        final SiteView view = new SiteView();
        tracker.readSite(SITE, view);
        assertThat(view.hasBeenSeen()).isTrue();
        assertThat(view.historyLength()).isEqualTo(1);
        assertThat(view.historyMeanNs()).isEqualTo(1000.0);
    }

    @Test
    void shouldNotMoveBackwardsOrRecordForALateNow()
    {
        tracker.observeRoundTrip(SITE, 10, 5000);
        tracker.observeRoundTrip(SITE, 10, 6000);
        tracker.observeRoundTrip(SITE, 10, 5500); // D3: late
        tracker.observeRoundTrip(SITE, 10, 6000); // equal: records 0
        final SiteView view = new SiteView();
        tracker.readSite(SITE, view);
        assertThat(view.sampleCount()).isEqualTo(4);
        assertThat(view.lastSeenNs()).isEqualTo(6000);
        assertThat(view.lastUpdatedNs()).isEqualTo(6000);
        assertThat(view.historyLength()).isEqualTo(2);
        assertThat(view.historyMeanNs()).isEqualTo(500.0);
    }

    @Test
    void shouldComputePhiFromMeanInterArrival()
    {
        observe(SITE, 10, 5, 0); // 4 gaps of 1000
        assertThat(tracker.phi(SITE, 4000)).isZero();
        assertThat(tracker.phi(SITE, 4000 + 2303)).isCloseTo(2303 / (1000 * Math.log(10)), within(1e-12));
        assertThat(tracker.phi(OTHER, 1_000_000)).isZero();
        assertThat(tracker.isSuspect(SITE, 4000 + 8 * 2302)).isFalse();
        assertThat(tracker.isSuspect(SITE, 4000 + 8 * 2302 + 10)).isTrue();
        assertThat(tracker.isDown(SITE, 4000 + 16 * 2302 + 10)).isTrue();
        assertThat(tracker.isDown(SITE, 4000 + 16 * 2302 - 10)).isFalse();
    }

    @Test
    void shouldReportEachTransitionOnceThroughLiveSuspectDownAndBack()
    {
        observe(SITE, 10, 5, 0);
        final List<String> events = new ArrayList<>();
        final ai.bytesandbrains.rtt.phi.PhiTransitionHandler handler =
            (site, state, phi) -> events.add(site + ":" + state);
        assertThat(tracker.scanPhi(4000, handler)).isZero();
        assertThat(tracker.scanPhi(4000 + 10 * 2303, handler)).isEqualTo(1);
        assertThat(tracker.scanPhi(4000 + 11 * 2303, handler)).isZero();
        assertThat(tracker.scanPhi(4000 + 20 * 2303, handler)).isEqualTo(1);
        tracker.observeRoundTrip(SITE, 10, 4000 + 20 * 2303);
        assertThat(tracker.scanPhi(4000 + 20 * 2303, handler)).isEqualTo(1);
        assertThat(events).containsExactly(SITE + ":SUSPECT", SITE + ":DOWN", SITE + ":LIVE");
        final SiteView view = new SiteView();
        tracker.readSite(SITE, view);
        assertThat(view.lastPhiState()).isEqualTo(PhiState.LIVE);
    }

    @Test
    void shouldGoStraightFromLiveToDown()
    {
        observe(SITE, 10, 5, 0);
        final List<PhiState> states = new ArrayList<>();
        tracker.scanPhi(4000 + 100 * 2303, (site, state, phi) -> states.add(state));
        assertThat(states).containsExactly(PhiState.DOWN);
    }

    @Test
    void shouldTrackReportingSiteAsNeverSeenAndStoreLatestReport()
    {
        assertThat(tracker.ingestReportedOutgoing(SITE, OTHER, CHAIN, 3000, 200, 2)).isTrue();
        assertThat(tracker.ingestReportedOutgoing(SITE, OTHER, CHAIN, 4000, 300, 9)).isTrue();
        final EmaView report = new EmaView();
        assertThat(tracker.readReported(SITE, OTHER, CHAIN, report)).isTrue();
        assertThat(report.srttNs()).isEqualTo(4000);
        assertThat(report.rttvarNs()).isEqualTo(300);
        assertThat(report.sampleCount()).isEqualTo(9);
        assertThat(report.isWarm()).isTrue();
        final SiteView site = new SiteView();
        assertThat(tracker.readSite(SITE, site)).isTrue();
        assertThat(site.hasBeenSeen()).isFalse();
        assertThat(tracker.phi(SITE, 1_000_000)).isZero();
        assertThat(tracker.trackedSiteCount()).isEqualTo(1);
        assertThat(tracker.estimateBudgetNs(SITE, STATIC)).isEqualTo(STATIC);
    }

    @Test
    void shouldKeepUpdatingTiersWithRoomWhenATableIsFull()
    {
        for (long site = 0; site < 4; site++)
        {
            tracker.observeRoundTrip(site, 10, 0);
        }
        for (int i = 0; i < 3; i++)
        {
            tracker.observeRoundTrip(100, CHAIN, 0, 777, i);
        }
        assertThat(tracker.siteOverflowCount()).isEqualTo(3);
        assertThat(tracker.readSite(100, new SiteView())).isFalse();
        final EmaView edge = new EmaView();
        assertThat(tracker.readEdge(100, CHAIN, 0, edge)).isTrue();
        assertThat(edge.sampleCount()).isEqualTo(3);
        assertThat(tracker.estimateBudgetNs(100, CHAIN, 0, STATIC)).isEqualTo(edge.budgetNs());
        assertThat(tracker.phi(100, 1_000_000)).isZero();

        tracker.observeRoundTrip(0, 12, 1, 5, 10);
        tracker.observeRoundTrip(0, 13, 1, 5, 10); // third chain: chain table holds 2
        assertThat(tracker.chainOverflowCount()).isEqualTo(1);
        assertThat(tracker.readChainPrior(13, edge)).isFalse();
        assertThat(tracker.readEdge(0, 13, 1, edge)).isTrue();
        assertThat(tracker.snapshot().sites()).hasSize(4);
    }

    @Test
    void shouldListTrackedSitesAndSnapshot()
    {
        observe(SITE, 100, 3, 0);
        tracker.observeRoundTrip(OTHER, CHAIN, 3, 200, 0);
        tracker.ingestReportedOutgoing(OTHER, SITE, CHAIN, 1, 2, 3);
        final List<Long> ids = new ArrayList<>();
        assertThat(tracker.forEachTrackedSite(ids::add)).isEqualTo(2);
        assertThat(ids).containsExactly(SITE, OTHER);
        final RttTrackerSnapshot snapshot = tracker.snapshot();
        assertThat(snapshot.site(SITE)).hasValueSatisfying(s ->
        {
            assertThat(s.ema().sampleCount()).isEqualTo(3);
            assertThat(s.ema().warm()).isTrue();
            assertThat(s.lastSeenNs()).isEqualTo(2000);
            assertThat(s.historyLength()).isEqualTo(2);
        });
        assertThat(snapshot.edges()).containsExactly(
            new RttTrackerSnapshot.Edge(OTHER, CHAIN, 3, new RttTrackerSnapshot.Ema(200, 100, 1, false)));
        assertThat(snapshot.chainPriors()).hasSize(1);
        assertThat(snapshot.reported()).containsExactly(
            new RttTrackerSnapshot.Reported(OTHER, SITE, CHAIN, new RttTrackerSnapshot.Ema(1, 2, 3, true)));
        assertThat(snapshot.globalPrior().sampleCount()).isEqualTo(4);
        assertThat(snapshot.counters().rejectedSamples()).isZero();
    }

    @Test
    void shouldThrowIllegalStateAfterClose()
    {
        tracker.close();
        tracker.close();
        assertThat(tracker.isClosed()).isTrue();
        assertThatIllegalStateException().isThrownBy(() -> tracker.observeRoundTrip(SITE, 1, 1));
        assertThatIllegalStateException().isThrownBy(() -> tracker.observeRoundTrip(SITE, CHAIN, 0, 1, 1));
        assertThatIllegalStateException().isThrownBy(() -> tracker.estimateBudgetNs(SITE, 1));
        assertThatIllegalStateException().isThrownBy(() -> tracker.estimateBudgetNs(SITE, CHAIN, 0, 1));
        assertThatIllegalStateException().isThrownBy(() -> tracker.phi(SITE, 1));
        assertThatIllegalStateException().isThrownBy(() -> tracker.isSuspect(SITE, 1));
        assertThatIllegalStateException().isThrownBy(() -> tracker.isDown(SITE, 1));
        assertThatIllegalStateException().isThrownBy(() -> tracker.scanPhi(1, (s, st, p) -> { }));
        assertThatIllegalStateException().isThrownBy(() -> tracker.ingestReportedOutgoing(1, 2, 3, 4, 5, 6));
        assertThatIllegalStateException().isThrownBy(() -> tracker.readSite(SITE, new SiteView()));
        assertThatIllegalStateException().isThrownBy(tracker::snapshot);
        assertThatIllegalStateException().isThrownBy(tracker::rejectedSampleCount);
    }

    @Test
    void shouldBuildOverSuppliedBufferAndZeroIt()
    {
        final RttTrackerConfig config = RttTracker.builder().siteCapacity(2).historyCapacity(8).toConfig();
        final int length = (int)RttTracker.requiredBufferLength(config);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(length + 64));
        buffer.setMemory(0, length + 64, (byte)0x5A);
        try (RttTracker over = RttTracker.builder().siteCapacity(2).historyCapacity(8).buildOver(buffer))
        {
            assertThat(over.snapshot().sites()).isEmpty();
            assertThat(over.estimateBudgetNs(1, 99)).isEqualTo(99);
            observe(over, 1);
            assertThat(over.trackedSiteCount()).isEqualTo(1);
            assertThat(buffer.getByte(length)).isEqualTo((byte)0x5A); // nothing written past the state
        }
    }

    private static void observe(final RttTracker tracker, final long site)
    {
        tracker.observeRoundTrip(site, 10, 10);
    }

    @Test
    void shouldRefuseBufferTooSmallOrMisaligned()
    {
        final RttTrackerConfig.Builder builder = RttTracker.builder().siteCapacity(2).historyCapacity(8);
        final int length = (int)RttTracker.requiredBufferLength(builder.toConfig());
        assertThatIllegalArgumentException()
            .isThrownBy(() -> builder.buildOver(new UnsafeBuffer(ByteBuffer.allocateDirect(length - 8))))
            .withMessageContaining("smaller than the " + length);
        final UnsafeBuffer misaligned = new UnsafeBuffer(ByteBuffer.allocateDirect(length + 16), 3, length);
        assertThatIllegalStateException().isThrownBy(() -> builder.buildOver(misaligned));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.buildOver(null)).withMessageContaining("buffer");
    }

    @Test
    void shouldSaturateHugeSamplesWithoutCorruptingState()
    {
        observe(SITE, Long.MAX_VALUE, 3, 0);
        final SiteView view = new SiteView();
        tracker.readSite(SITE, view);
        assertThat(view.srttNs()).isEqualTo(EmaWord.MAX_VALUE_NS);
        assertThat(view.budgetNs()).isPositive();
        assertThat(tracker.estimateBudgetNs(SITE, 1)).isEqualTo(view.budgetNs());
    }

    @Test
    void shouldReportMemoryLayoutPerSite()
    {
        final TrackerLayout layout = new TrackerLayout(RttTracker.builder().toConfig());
        assertThat(layout.bytesPerSite()).isEqualTo(256 + 16 + 8000 + 256);
        assertThat(RttTracker.requiredBufferLength(RttTracker.builder().toConfig())).isEqualTo(layout.totalLength());
    }
}
