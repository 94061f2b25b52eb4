package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.internal.RecordClaims;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.state.EmaRecord;
import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.SiteView;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The site claim's two paths, made deterministic by holding the claim from the test: an observe that
 * finds its site claimed pins it and counts on the contended words, never waiting; the totals are what
 * one path alone gives; a restart folds the contended words; an eviction waits for a claim.
 */
class SiteClaimTest
{
    private static final long SITE = 7;
    private static final long[] SAMPLES = {1_000, 5_000, 2_000, 9_000, 3_000, 4_000};

    private final RttTrackerConfig.Builder builder = RttTracker.builder()
        .siteCapacity(4).edgeCapacity(4).chainCapacity(2).reportedCapacity(2).historyCapacity(8)
        .localPauseAwareness(false);
    private final AtomicBuffer buffer = newBuffer();
    private final RttTracker tracker = builder.buildOver(buffer);
    private final RecordTable sites = tracker.tables().sites();

    private AtomicBuffer newBuffer()
    {
        return new UnsafeBuffer(ByteBuffer.allocateDirect((int)RttTracker.requiredBufferLength(builder.toConfig())));
    }

    private int recordOffset()
    {
        return sites.recordOffset(RecordTable.record(sites.find(SITE, 0, 0)));
    }

    private long contendedCount()
    {
        return buffer.getLongVolatile(recordOffset() + SiteRecord.CONTENDED_COUNT_OFFSET);
    }

    private long claimantCount()
    {
        return AtomicEma.sampleCount(buffer, SiteRecord.emaOffset(recordOffset()));
    }

    /** Observe {@code SAMPLES[from..to)} of the site, one millisecond apart. */
    private static void observe(final RttTracker target, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            target.observeRoundTrip(SITE, SAMPLES[i], (i + 1) * 1_000_000L);
        }
    }

    @Test
    void shouldCountObservesThatFindTheSiteClaimedOnTheContendedWordsWithTheSameTotals()
    {
        observe(tracker, 0, 2);
        final long held = RecordClaims.claimOrPin(sites, sites.find(SITE, 0, 0));
        assertThat(RecordClaims.isClaimed(held)).isTrue();
        observe(tracker, 2, 5); // the claim is held: these three take the pinned path, and return
        assertThat(contendedCount()).isEqualTo(3);
        assertThat(claimantCount()).isEqualTo(2);
        final int control = SiteRecord.historyOffset(recordOffset());
        assertThat(buffer.getLong(control + HeartbeatHistory.CONTENDED_COMPLETED_OFFSET)).isEqualTo(3);
        RecordClaims.release(sites, held);
        observe(tracker, 5, 6); // claimed again
        assertThat(claimantCount()).isEqualTo(3);
        assertThat(buffer.getLongVolatile(recordOffset() + SiteRecord.CLAIM_OFFSET)).isZero();

        final RttTracker plain = builder.buildOver(newBuffer());
        observe(plain, 0, SAMPLES.length);
        final SiteView expected = new SiteView();
        final SiteView actual = new SiteView();
        assertThat(plain.readSite(SITE, expected)).isTrue();
        assertThat(tracker.readSite(SITE, actual)).isTrue();
        assertThat(actual.sampleCount()).isEqualTo(expected.sampleCount()).isEqualTo(SAMPLES.length);
        assertThat(actual.srttNs()).isEqualTo(expected.srttNs());
        assertThat(actual.rttvarNs()).isEqualTo(expected.rttvarNs());
        assertThat(actual.historyLength()).isEqualTo(expected.historyLength()).isEqualTo(SAMPLES.length - 1);
        assertThat(actual.historyMeanNs()).isEqualTo(expected.historyMeanNs()).isEqualTo(1_000_000.0);
        assertThat(tracker.phi(SITE, 8_000_000L)).isEqualTo(plain.phi(SITE, 8_000_000L));
    }

    @Test
    void shouldFoldTheContendedWordsIntoTheClaimantsOnRestart()
    {
        observe(tracker, 0, 2);
        final long held = RecordClaims.claimOrPin(sites, sites.find(SITE, 0, 0));
        observe(tracker, 2, 4);
        tracker.close(); // the process dies holding the claim

        final RttTracker restored = builder.restoreOver(buffer);
        final int offset = restored.tables().sites().recordOffset(RecordTable.record(held));
        final int control = SiteRecord.historyOffset(offset);
        assertThat(buffer.getLong(offset + SiteRecord.CLAIM_OFFSET)).isZero();
        assertThat(buffer.getLong(offset + SiteRecord.CONTENDED_COUNT_OFFSET)).isZero();
        assertThat(AtomicEma.sampleCount(buffer, SiteRecord.emaOffset(offset))).isEqualTo(4);
        assertThat(buffer.getLong(control + HeartbeatHistory.COMPLETED_OFFSET)).isEqualTo(3);
        assertThat(buffer.getLong(control + HeartbeatHistory.CONTENDED_COMPLETED_OFFSET)).isZero();
        assertThat(buffer.getLong(control + HeartbeatHistory.CONTENDED_SUM_OFFSET)).isZero();
        assertThat(buffer.getLong(control + HeartbeatHistory.SUM_OFFSET)).isEqualTo(3_000_000L);
        restored.observeRoundTrip(SITE, 1_000, 100L); // claimable again: the claimant's path
        assertThat(AtomicEma.sampleCount(buffer, SiteRecord.emaOffset(offset))).isEqualTo(5);
    }

    @Test
    void shouldRefuseAContendedCountNoWriterCouldLeave()
    {
        observe(tracker, 0, 3);
        tracker.close();
        buffer.putLong(recordOffset() + SiteRecord.CONTENDED_COUNT_OFFSET, -1);
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer))
            .withMessageContaining("contended sample count -1");
    }

    @Test
    void shouldRefuseANegativeClaimantsCountThatTheContendedCountWouldHide()
    {
        observe(tracker, 0, 3);
        tracker.close();
        buffer.putLong(SiteRecord.emaOffset(recordOffset()) + AtomicEma.COUNT_OFFSET, -5);
        buffer.putLong(recordOffset() + SiteRecord.CONTENDED_COUNT_OFFSET, 8); // the total, 3, would look valid
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer))
            .withMessageContaining("-5 counted by claimants");
    }

    @Test
    void shouldWaitForAHeldClaimBeforeEvictingTheSite() throws Exception
    {
        observe(tracker, 0, 3);
        final long held = RecordClaims.claimOrPin(sites, sites.find(SITE, 0, 0));
        final CompletableFuture<Boolean> eviction = CompletableFuture.supplyAsync(() -> tracker.evictSite(SITE));
        Thread.sleep(200);
        assertThat(eviction).isNotDone();
        RecordClaims.release(sites, held);
        assertThat(eviction.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sites.find(SITE, 0, 0)).isEqualTo(RecordTable.NOT_FOUND);
    }

    @Test
    void shouldNotLetAStaleClaimOutliveTheRecordsReuse()
    {
        observe(tracker, 0, 3);
        final long stale = sites.find(SITE, 0, 0);
        assertThat(tracker.evictSite(SITE)).isTrue();
        // A writer that kept the old handle claims the freed record, sees it removed, and lets go at once.
        assertThat(RecordClaims.claimOrPin(sites, stale)).isEqualTo(RecordTable.NOT_FOUND);
        observe(tracker, 0, 2); // the site again, perhaps in the same record
        assertThat(buffer.getLongVolatile(recordOffset() + SiteRecord.CLAIM_OFFSET)).isZero();
        assertThat(claimantCount()).isEqualTo(2);
        assertThat(contendedCount()).isZero();
    }

    @Test
    void shouldCountEdgeObservesThatFindTheEdgeClaimedOnItsContendedWordAndFoldItOnRestart()
    {
        final long chain = ChainIds.fromTargets("a,b");
        final RecordTable edges = tracker.tables().edges();
        tracker.observeRoundTrip(SITE, chain, 3, 1_000, 1_000_000L);
        final long held = RecordClaims.claimOrPin(edges, edges.find(SITE, chain, 3));
        assertThat(RecordClaims.isClaimed(held)).isTrue();
        tracker.observeRoundTrip(SITE, chain, 3, 5_000, 2_000_000L); // pinned path for the edge, claimed for the site
        final int edgeOffset = edges.recordOffset(RecordTable.record(held));
        assertThat(buffer.getLongVolatile(edgeOffset + EmaRecord.EDGE_CONTENDED_COUNT_OFFSET)).isEqualTo(1);
        RecordClaims.release(edges, held);
        tracker.observeRoundTrip(SITE, chain, 3, 2_000, 3_000_000L);

        final RttTracker plain = builder.buildOver(newBuffer());
        plain.observeRoundTrip(SITE, chain, 3, 1_000, 1_000_000L);
        plain.observeRoundTrip(SITE, chain, 3, 5_000, 2_000_000L);
        plain.observeRoundTrip(SITE, chain, 3, 2_000, 3_000_000L);
        final EmaView expected = new EmaView();
        final EmaView actual = new EmaView();
        assertThat(plain.readEdge(SITE, chain, 3, expected)).isTrue();
        assertThat(tracker.readEdge(SITE, chain, 3, actual)).isTrue();
        assertThat(actual.sampleCount()).isEqualTo(expected.sampleCount()).isEqualTo(3);
        assertThat(actual.srttNs()).isEqualTo(expected.srttNs());
        assertThat(actual.rttvarNs()).isEqualTo(expected.rttvarNs());

        tracker.close();
        final RttTracker restored = builder.restoreOver(buffer);
        assertThat(buffer.getLong(edgeOffset + EmaRecord.EDGE_CONTENDED_COUNT_OFFSET)).isZero();
        assertThat(AtomicEma.sampleCount(buffer, EmaRecord.emaOffset(edgeOffset))).isEqualTo(3);
        assertThat(restored.readEdge(SITE, chain, 3, actual)).isTrue();
        assertThat(actual.sampleCount()).isEqualTo(3);
    }
}
