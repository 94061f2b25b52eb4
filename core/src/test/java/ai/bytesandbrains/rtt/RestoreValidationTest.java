package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.internal.TrackerLayout;

import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.state.TrackerTables;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.internal.StripedPrior;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;

import static ai.bytesandbrains.rtt.internal.TrackerLayout.EMA_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.REJECTED_COUNTER_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.SITE_EMA_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.SITE_HISTORY_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A restore accepts only state a writer could have left, and makes what no record uses as fresh. */
class RestoreValidationTest
{
    private static final long CHAIN = ChainIds.fromTargets("a,b");
    private static final int CAPACITY = 8;

    private final RttTrackerConfig.Builder builder = RttTracker.builder()
        .siteCapacity(CAPACITY).edgeCapacity(CAPACITY).chainCapacity(4).reportedCapacity(4).historyCapacity(6)
        .localPauseAwareness(false);
    private final TrackerLayout layout = new TrackerLayout(builder.toConfig());
    private final AtomicBuffer buffer = new UnsafeBuffer(
        ByteBuffer.allocateDirect((int)RttTracker.requiredBufferLength(builder.toConfig())));
    private final TrackerTables tables = new TrackerTables(layout, buffer);
    private final RecordTable sites = tables.sites();
    private final RecordTable edges = tables.edges();

    /** Sites 0..3 with an edge each, observed; records 4..7 of both tables never used. */
    private RttTracker writeFourSites()
    {
        final RttTracker tracker = builder.buildOver(buffer);
        for (int i = 0; i < 5; i++)
        {
            for (long site = 0; site < 4; site++)
            {
                tracker.observeRoundTrip(site, CHAIN, 1, 1_000 + site, i * 1_000_000L);
            }
        }
        tracker.close();
        return tracker;
    }

    private int siteRecord(final long site)
    {
        return RecordTable.record(sites.find(site, 0, 0));
    }

    @Test
    void shouldResetAStrayPinInAnUnusedRecordSoEvictionCannotHang()
    {
        writeFourSites();
        buffer.putLong(sites.recordOffset(6) + RecordTable.PINS_OFFSET, 0x100);
        buffer.putLong(edges.recordOffset(5) + RecordTable.PINS_OFFSET, 1);
        final RttTracker restored = builder.restoreOver(buffer);
        for (long site = 10; site < 14; site++)
        {
            restored.observeRoundTrip(site, CHAIN, 2, 500, 0);
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
        {
            for (long site = 10; site < 14; site++)
            {
                assertThat(restored.evictSite(site)).isTrue();
            }
        }, "evictSite waited for a pin no writer holds");
    }

    @Test
    void shouldResetAGarbageEmaInAnUnusedRecordSoANewSiteStartsFromItsFirstSample()
    {
        writeFourSites();
        for (int record = 4; record < CAPACITY; record++)
        {
            buffer.putLong(sites.recordOffset(record) + SITE_EMA_OFFSET + AtomicEma.WORD_OFFSET, 0x7FFF_FFFF_FFFF_FFF0L);
            buffer.putLong(sites.recordOffset(record) + SITE_EMA_OFFSET + AtomicEma.COUNT_OFFSET, -7);
            buffer.putLong(edges.recordOffset(record) + EMA_OFFSET + AtomicEma.WORD_OFFSET, -1L);
            buffer.putLong(layout.ringOffset(record), 123_456_789L); // and a ring value nobody recorded
        }
        final RttTracker restored = builder.restoreOver(buffer);
        final SiteView view = new SiteView();
        final EmaView edge = new EmaView();
        for (long site = 10; site < 14; site++)
        {
            restored.observeRoundTrip(site, CHAIN, 2, 100, 0);
            restored.observeRoundTrip(site, CHAIN, 2, 100, 50);
            assertThat(restored.readSite(site, view)).isTrue();
            assertThat(view.srttNs()).isEqualTo(100);
            assertThat(view.sampleCount()).isEqualTo(2);
            assertThat(view.historyLength()).isEqualTo(1);
            assertThat(view.historyMeanNs()).isEqualTo(50.0);
            assertThat(restored.readEdge(site, CHAIN, 2, edge)).isTrue();
            assertThat(edge.srttNs()).isEqualTo(100);
            assertThat(edge.sampleCount()).isEqualTo(2);
        }
    }

    @Test
    void shouldZeroRingPositionsNoHeartbeatReachedSoTheSumStaysTheRings()
    {
        writeFourSites(); // 4 heartbeats each: history length 4 of capacity 6
        final int record = siteRecord(2);
        buffer.putLong(layout.ringOffset(record) + 5 * Long.BYTES, 1_000_000_000_000L);
        final RttTracker restored = builder.restoreOver(buffer);
        for (int i = 0; i < 8; i++)
        {
            restored.observeRoundTrip(2, 1_000, 10_000_000L + i * 1_000L);
        }
        final RttTrackerSnapshot.Site site = restored.snapshot().site(2).orElseThrow();
        assertThat(site.historyNs()).hasSize(6).allMatch(value -> value == 1_000L);
        assertThat(site.historyMeanNs()).isEqualTo(1_000.0);
    }

    @Test
    void shouldRefuseAHistoryClaimedThatWouldWrapTheRing()
    {
        writeFourSites();
        final int record = siteRecord(1);
        buffer.putLong(sites.recordOffset(record) + SITE_HISTORY_OFFSET + HeartbeatHistory.CLAIMED_OFFSET, Long.MAX_VALUE);
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer))
            .withMessageContainingAll("site record " + record, "(key 1)", "history claimed " + Long.MAX_VALUE);
    }

    @Test
    void shouldRefuseAHopIndexAbove255()
    {
        writeFourSites();
        final long handle = edges.findOrInsert(3, CHAIN, 300); // linked where its key hashes: only the hop is wrong
        final int record = RecordTable.record(handle);
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer))
            .withMessageContainingAll("edge record " + record, "hop index 300");
    }

    @Test
    void shouldRefuseASiteKeyWithUnusedWordsSet()
    {
        writeFourSites();
        final int record = RecordTable.record(sites.findOrInsert(7, 1, 0));
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer))
            .withMessageContainingAll("site record " + record, "unused key words");
    }

    @Test
    void shouldRefuseASampleCountAheadOfItsEma()
    {
        writeFourSites();
        final int record = siteRecord(0);
        AtomicEma.overwrite(buffer, SiteRecord.emaOffset(sites.recordOffset(record)), EmaWord.pack(1, 100, 50), 40);
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer))
            .withMessageContainingAll("site record " + record, "EMA sample count 40 with 1 samples");
    }

    @Test
    void shouldRefuseCountersBelowZeroOrTooLargeToIncrement()
    {
        writeFourSites();
        buffer.putLong(REJECTED_COUNTER_OFFSET, -3);
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer))
            .withMessageContaining("rejected-samples counter -3");
        buffer.putLong(REJECTED_COUNTER_OFFSET, 0);
        buffer.putLong((int)layout.edgeTableOffset() + RecordTable.OVERFLOW_OFFSET, Long.MIN_VALUE);
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer))
            .withMessageContaining("edge table", "overflow count");
        buffer.putLong((int)layout.edgeTableOffset() + RecordTable.OVERFLOW_OFFSET, 0);
        buffer.putLong((int)layout.siteTableOffset() + RecordTable.REMOVED_OFFSET, Long.MAX_VALUE); // would wrap
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer))
            .withMessageContaining("site table", "removed count " + Long.MAX_VALUE);
        buffer.putLong((int)layout.siteTableOffset() + RecordTable.REMOVED_OFFSET, 0);
        // The global prior's count is its shared cell's plus its stripes': each is checked, and so is the sum.
        AtomicEma.overwrite(buffer, TrackerLayout.GLOBAL_SHARED_OFFSET, EmaWord.pack(3, 10, 10), Long.MAX_VALUE);
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer))
            .withMessageContaining("global prior", "shared cell sample count " + Long.MAX_VALUE);
        AtomicEma.overwrite(buffer, TrackerLayout.GLOBAL_SHARED_OFFSET, EmaWord.pack(3, 10, 10), RecordTable.MAX_COUNT);
        final int stripe1Count = layout.globalStripesOffset() + TrackerLayout.STRIPE_LENGTH + StripedPrior.COUNT_OFFSET;
        buffer.putLong(stripe1Count, -1);
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer))
            .withMessageContaining("global prior", "stripe 1 sample count -1");
        buffer.putLong(stripe1Count, 1);
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer))
            .withMessageContaining("global prior", "sample counts summing beyond " + RecordTable.MAX_COUNT);
    }

    @Test
    void shouldEvictRestoredSitesOnceIdleSinceTheRestartSoNewPeersGetTheirOwnTier()
    {
        final long idle = 60_000_000_000L;
        final RttTracker before = builder.buildOver(buffer);
        for (long site = 0; site < CAPACITY; site++)
        {
            before.observeRoundTrip(site, CHAIN, 0, 1_000, 5);
        }
        before.close();

        final RttTracker after = builder.restoreOver(buffer);
        final long restart = 7_000_000_000L; // this process's clock has nothing to do with the last one's
        after.observeRoundTrip(100, 1_000, restart);
        assertThat(after.siteOverflowCount()).isEqualTo(1); // full of peers that never come back
        after.ingestReportedOutgoing(0, 1, CHAIN, 1, 1, 1); // a report leaves site 0 restored, not seen
        assertThat(after.evictIdle(restart + idle - 1, idle)).isZero();
        assertThat(after.evictIdle(restart + idle, idle)).isEqualTo(CAPACITY);
        assertThat(after.trackedSiteCount()).isZero();

        for (int i = 0; i < 3; i++)
        {
            after.observeRoundTrip(100, 2_000, restart + idle + i);
        }
        final SiteView view = new SiteView();
        assertThat(after.readSite(100, view)).isTrue();
        assertThat(view.isWarm()).isTrue();
        assertThat(after.estimateBudgetNs(100, 1)).isEqualTo(view.budgetNs());
        assertThat(after.siteOverflowCount()).isEqualTo(1);
    }

    @Test
    void shouldJudgeARestoredSiteSeenAgainByItsOwnHeartbeatAndKeepSitesNeverSeen()
    {
        final RttTracker before = builder.buildOver(buffer);
        before.observeRoundTrip(1, 1_000, 5);
        before.observeRoundTrip(2, 1_000, 5);
        before.observeRoundTrip(5, 1_000, 5);
        before.close();

        final RttTracker after = builder.restoreOver(buffer);
        after.observeRoundTrip(1, 1_000, 100); // the restart time is noted here: 100
        after.observeRoundTrip(2, 1_000, 500); // seen again since
        after.ingestReportedOutgoing(3, 4, CHAIN, 1, 1, 1); // tracked after the restart, never seen: kept
        assertThat(after.phi(2, 600)).isZero(); // a first heartbeat again: no inter-arrival across the restart
        assertThat(after.evictIdle(1_099, 1_000)).isZero();
        assertThat(after.evictIdle(1_100, 1_000)).isEqualTo(2); // site 1 seen at 100, site 5 silent since 100
        assertThat(after.readSite(2, new SiteView())).isTrue();
        assertThat(after.evictIdle(1_500, 1_000)).isEqualTo(1); // site 2, seen at 500
        assertThat(after.evictIdle(Long.MAX_VALUE, 0)).isZero();
        assertThat(after.readSite(3, new SiteView())).isTrue();
    }
}
