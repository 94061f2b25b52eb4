package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TrackerFileTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCreateAFileOfTheDocumentedLength() throws Exception
    {
        final Path file = dir.resolve("t.rtt");
        try (TrackerFile trackerFile = TrackerFile.create(file, Workload.CONFIG))
        {
            assertThat(trackerFile.created()).isTrue();
            assertThat(trackerFile.config()).isEqualTo(Workload.CONFIG);
            assertThat(Files.size(file))
                .isEqualTo(TrackerFile.fileLength(Workload.CONFIG))
                .isEqualTo(TrackerFileHeader.FILE_HEADER_LENGTH + RttTracker.requiredBufferLength(Workload.CONFIG));
            assertThat(trackerFile.tracker().trackedSiteCount()).isZero();
        }
    }

    @Test
    void shouldKeepEstimatesCountsPriorsAndHistoriesAcrossReopen()
    {
        final Path file = dir.resolve("t.rtt");
        final RttTrackerSnapshot expected;
        final long budget;
        try (TrackerFile trackerFile = TrackerFile.create(file, Workload.CONFIG))
        {
            Workload.load(trackerFile.tracker(), 42);
            expected = Workload.withoutTimestamps(trackerFile.tracker().snapshot());
            budget = trackerFile.tracker().estimateBudgetNs(5, Workload.CHAIN, 1, 1);
        }
        assertThat(expected.sites()).hasSizeGreaterThan(10);
        assertThat(expected.sites()).anyMatch(s -> s.historyLength() == Workload.CONFIG.historyCapacity());

        try (TrackerFile reopened = TrackerFile.open(file, Workload.CONFIG))
        {
            assertThat(reopened.created()).isFalse();
            assertThat(reopened.tracker().snapshot()).isEqualTo(expected);
            assertThat(reopened.tracker().estimateBudgetNs(5, Workload.CHAIN, 1, 1)).isEqualTo(budget);
        }
    }

    @Test
    void shouldRestartEverySiteNeverSeenWithPhiZero()
    {
        final Path file = dir.resolve("t.rtt");
        try (TrackerFile trackerFile = TrackerFile.create(file, Workload.CONFIG))
        {
            final long now = Workload.load(trackerFile.tracker(), 7);
            assertThat(trackerFile.tracker().phi(5, now + 10_000_000_000L)).isGreaterThan(1.0);
        }
        try (TrackerFile reopened = TrackerFile.open(file))
        {
            final RttTracker tracker = reopened.tracker();
            final SiteView view = new SiteView();
            assertThat(tracker.readSite(5, view)).isTrue();
            final int historyBefore = view.historyLength();
            assertThat(view.hasBeenSeen()).isFalse();
            assertThat(tracker.phi(5, Long.MAX_VALUE)).isZero();
            assertThat(tracker.scanPhi(Long.MAX_VALUE, (s, st, p) -> { })).isZero();

            // Its first round trip after the restart is a first heartbeat: no gap across the restart.
            tracker.observeRoundTrip(5, 1_000, 123);
            tracker.readSite(5, view);
            assertThat(view.hasBeenSeen()).isTrue();
            assertThat(view.lastSeenNs()).isEqualTo(123);
            assertThat(view.historyLength()).isEqualTo(historyBefore);
        }
    }

    @Test
    void shouldTakeTheConfigurationFromTheFileAndOpenOrCreate()
    {
        final Path file = dir.resolve("t.rtt");
        final RttTrackerConfig other = RttTracker.builder().siteCapacity(3).historyCapacity(5).suspectPhi(2).downPhi(3)
            .emaShifts(4, 3).globalPriorShifts(7, 6).toConfig();
        try (TrackerFile created = TrackerFile.openOrCreate(file, other))
        {
            assertThat(created.created()).isTrue();
            created.tracker().observeRoundTrip(1, 500, 1);
        }
        try (TrackerFile reopened = TrackerFile.open(file))
        {
            assertThat(reopened.config()).isEqualTo(other);
        }
        try (TrackerFile reopened = TrackerFile.openOrCreate(file, other))
        {
            assertThat(reopened.created()).isFalse();
            assertThat(reopened.tracker().snapshot().site(1).orElseThrow().ema().srttNs()).isEqualTo(500);
        }
    }

    @Test
    void shouldRecordTheOwnerAndAClockMappingToThisProcessesNanoTime()
    {
        final Path file = dir.resolve("t.rtt");
        try (TrackerFile trackerFile = TrackerFile.create(file, Workload.CONFIG))
        {
            final TrackerFileHeader.Owner owner = trackerFile.owner();
            assertThat(owner.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(owner.openCount()).isEqualTo(1);
            final java.time.Instant now = java.time.Instant.now();
            final long translated = owner.writerNanoTime(now.getEpochSecond() * 1_000_000_000L + now.getNano());
            assertThat(Math.abs(translated - System.nanoTime())).isLessThan(50_000_000L);
        }
        try (TrackerFile reopened = TrackerFile.open(file))
        {
            assertThat(reopened.owner().openCount()).isEqualTo(2);
        }
    }

    @Test
    void shouldLetAnotherWriterOpenAfterClose()
    {
        final Path file = dir.resolve("t.rtt");
        final TrackerFile first = TrackerFile.create(file, Workload.CONFIG);
        first.close();
        first.close(); // idempotent
        assertThat(first.tracker().isClosed()).isTrue();
        try (TrackerFile second = TrackerFile.open(file))
        {
            assertThat(second.tracker().isClosed()).isFalse();
        }
    }
}
