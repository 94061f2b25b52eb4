package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.internal.TrackerLayout;

import ai.bytesandbrains.rtt.file.Workload;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.state.TrackerTables;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RestoreAndImportTest
{
    private static final long CHAIN = ChainIds.fromTargets("a,b");

    private final RttTrackerConfig.Builder builder = RttTracker.builder()
        .siteCapacity(8).edgeCapacity(8).chainCapacity(4).reportedCapacity(4).historyCapacity(6);
    private final AtomicBuffer buffer = new UnsafeBuffer(
        ByteBuffer.allocateDirect((int)RttTracker.requiredBufferLength(builder.toConfig())));

    private static void load(final RttTracker tracker, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        long now = 0;
        for (int i = 0; i < 500; i++)
        {
            now += random.nextLong(10_000);
            final long site = random.nextInt(6);
            if (random.nextBoolean())
            {
                tracker.observeRoundTrip(site, CHAIN, random.nextInt(3), random.nextLong(1L << 40), now);
            }
            else
            {
                tracker.observeRoundTrip(site, random.nextLong(1L << 20), now);
            }
        }
        tracker.ingestReportedOutgoing(1, 2, CHAIN, 1000, 100, 7);
        tracker.observeRoundTrip(1, -1, now); // counted
        tracker.scanPhi(now + 10_000_000, (s, st, p) -> { });
    }

    @Test
    void shouldKeepEveryEstimateAcrossARestartAndForgetTimestamps()
    {
        final RttTracker before = builder.buildOver(buffer);
        load(before, 1);
        final RttTrackerSnapshot expected = Workload.withoutTimestamps(before.snapshot());
        final long budget = before.estimateBudgetNs(3, CHAIN, 1, 1);
        before.close();

        final RttTracker after = builder.restoreOver(buffer);
        assertThat(after.snapshot()).isEqualTo(expected);
        assertThat(after.estimateBudgetNs(3, CHAIN, 1, 1)).isEqualTo(budget);
        assertThat(after.phi(3, Long.MAX_VALUE)).isZero();

        // The next round trip is a first heartbeat again: no inter-arrival across the restart.
        final int lengthBefore = after.snapshot().site(3).orElseThrow().historyLength();
        after.observeRoundTrip(3, 100, 5);
        final SiteView site = new SiteView();
        after.readSite(3, site);
        assertThat(site.hasBeenSeen()).isTrue();
        assertThat(site.lastSeenNs()).isEqualTo(5);
        assertThat(site.historyLength()).isEqualTo(lengthBefore);
    }

    @Test
    void shouldSettleWorkInFlightWhenTheWriterDied()
    {
        final RttTracker before = builder.buildOver(buffer);
        load(before, 2);
        final TrackerLayout layout = before.layout();
        final RecordTable sites = new TrackerTables(layout, buffer).sites();
        final long sizeBefore = sites.size();
        // A site insert killed after reserving a record and writing its key, before publishing it.
        final int reservedRecord = (int)buffer.getAndAddLong((int)layout.siteTableOffset() + RecordTable.NEXT_RECORD_OFFSET, 1);
        buffer.putLong(sites.recordOffset(reservedRecord) + RecordTable.KEY0_OFFSET, 999);
        // A heartbeat killed after its claim, before it swapped its value in.
        final int record = RecordTable.record(sites.find(2, 0, 0));
        final int control = SiteRecord.historyOffset(sites.recordOffset(record));
        buffer.getAndAddLong(control + HeartbeatHistory.CLAIMED_OFFSET, 1);
        before.close();

        final RttTracker after = builder.restoreOver(buffer);
        assertThat(after.trackedSiteCount()).isEqualTo(sizeBefore);
        assertThat(after.snapshot().site(999)).isEmpty();
        assertThat(buffer.getLong(control + HeartbeatHistory.CLAIMED_OFFSET))
            .isEqualTo(HeartbeatHistory.completedVolatile(buffer, control));
        final RttTrackerSnapshot.Site site = after.snapshot().site(2).orElseThrow();
        assertThat(site.historyNs().stream().mapToLong(Long::longValue).sum())
            .isEqualTo(HeartbeatHistory.sumVolatile(buffer, control));
        // The unpublished record is reusable: the table still takes its full capacity without overflow.
        final long overflowBefore = after.siteOverflowCount();
        for (long id = 100; after.trackedSiteCount() < 8; id++)
        {
            after.observeRoundTrip(id, 1, 1);
        }
        assertThat(after.siteOverflowCount()).isEqualTo(overflowBefore);
        assertThat(new TrackerTables(layout, buffer).sites().highWaterMark())
            .isEqualTo(8);
    }

    @Test
    void shouldRefuseCorruptState()
    {
        final RttTracker before = builder.buildOver(buffer);
        load(before, 3);
        before.close();
        final int firstSlot = (int)new TrackerLayout(builder.toConfig()).siteTableOffset() + RecordTable.CONTROL_LENGTH;
        for (int slot = 0; slot < RecordTable.slotCount(8); slot++)
        {
            buffer.putLong(firstSlot + slot * 8, 0x7777_0000_0005L);
        }
        assertThatIllegalStateException().isThrownBy(() -> builder.restoreOver(buffer)).withMessageContaining("corrupt");
    }

    @Test
    void shouldRebuildAnEqualTrackerFromASnapshot()
    {
        final RttTracker source = builder.build();
        load(source, 4);
        final RttTrackerSnapshot exported = source.snapshot();
        final RttTracker target = builder.build();
        target.importSnapshot(exported);
        assertThat(target.snapshot()).isEqualTo(Workload.withoutTimestamps(exported));
        assertThat(target.estimateBudgetNs(3, CHAIN, 2, 1)).isEqualTo(source.estimateBudgetNs(3, CHAIN, 2, 1));
        assertThatIllegalStateException().isThrownBy(() -> target.importSnapshot(exported))
            .withMessageContaining("empty tracker");
        final RttTracker small = RttTracker.builder().siteCapacity(2).build();
        assertThatIllegalArgumentException().isThrownBy(() -> small.importSnapshot(exported))
            .withMessageContaining("sites");
        source.close();
        target.close();
        small.close();
    }
}
