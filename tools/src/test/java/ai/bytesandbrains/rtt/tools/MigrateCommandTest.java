package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.file.TrackerFile;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code rtt-stat migrate}: a file's state carried into a new configuration, or a reason why not. */
class MigrateCommandTest
{
    private static final RttTrackerConfig OLD_CONFIG = RttTracker.builder().siteCapacity(8).edgeCapacity(8)
        .chainCapacity(4).reportedCapacity(4).historyCapacity(4).toConfig();

    @TempDir
    Path dir;

    private Path old;
    private byte[] oldBytes;

    @BeforeEach
    void createOldFile() throws Exception
    {
        old = dir.resolve("old.rtt");
        try (TrackerFile file = TrackerFile.create(old, OLD_CONFIG))
        {
            final RttTracker tracker = file.tracker();
            long now = 0;
            for (int round = 0; round < 8; round++) // histories full at capacity 4
            {
                now += 1_000_000 + 3_000 * round;
                for (long site = 1; site <= 5; site++)
                {
                    tracker.observeRoundTrip(site, 40 + site % 2, (int)site, 100_000 * site + 17 * round, now);
                }
            }
            tracker.ingestReportedOutgoing(1, 2, 40, 150_000, 5_000, 12);
            tracker.observeRoundTrip(6, -1, now); // a rejected sample: counters travel too
        }
        oldBytes = Files.readAllBytes(old);
    }

    private static RttTrackerSnapshot state(final Path file)
    {
        try (TrackerFile trackerFile = TrackerFile.open(file))
        {
            return trackerFile.tracker().snapshot();
        }
    }

    @Test
    void shouldCarryEmasCountsAndHistoriesIntoALargerHistoryCapacity() throws Exception
    {
        final Path target = dir.resolve("new.rtt");

        final CommandRun run = CommandRun.of("migrate", old.toString(), target.toString(), "--history-capacity", "1000");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("migrated 5 sites from " + old + " into " + target + System.lineSeparator());
        final RttTrackerSnapshot before = state(old);
        final RttTrackerSnapshot after = state(target);
        assertThat(after).isEqualTo(before); // EMAs, counts, histories, edges, priors, reports, counters
        assertThat(after.sites()).hasSize(5).allSatisfy(s -> assertThat(s.historyLength()).isEqualTo(4));
        assertThat(after.counters().rejectedSamples()).isEqualTo(1);
        try (TrackerFile migrated = TrackerFile.open(target))
        {
            assertThat(migrated.config()).isEqualTo(OLD_CONFIG.toBuilder().historyCapacity(1000).toConfig());
            // The larger history is usable at once: the next heartbeat is the fifth value, none dropped.
            migrated.tracker().observeRoundTrip(1, 100_000, 1);
            migrated.tracker().observeRoundTrip(1, 100_000, 2_000_001);
            assertThat(migrated.tracker().snapshot().site(1).orElseThrow().historyLength()).isEqualTo(5);
        }
    }

    @Test
    void shouldLeaveTheOldFileUntouched() throws Exception
    {
        assertThat(CommandRun.of("migrate", old.toString(), dir.resolve("new.rtt").toString(), "--site-capacity=16")
            .exitCode()).isZero();
        assertThat(Files.readAllBytes(old)).isEqualTo(oldBytes);
    }

    @Test
    void shouldRefuseASiteCapacityBelowTheSitesStored() throws Exception
    {
        assertRefusedAsDataLoss(new String[]{"--site-capacity", "4"}, "5 sites, more than siteCapacity 4");
    }

    @Test
    void shouldRefuseAHistoryCapacityBelowAHistoryLength() throws Exception
    {
        assertRefusedAsDataLoss(new String[]{"--history-capacity", "3"}, "history holds 4 values, more than historyCapacity 3");
    }

    @Test
    void shouldRefuseAnEdgeChainOrReportCapacityBelowWhatIsStored() throws Exception
    {
        assertRefusedAsDataLoss(new String[]{"--edge-capacity", "4"}, "5 edges, more than edgeCapacity 4");
        assertRefusedAsDataLoss(new String[]{"--chain-capacity", "1"}, "2 chainPriors, more than chainCapacity 1");
    }

    private void assertRefusedAsDataLoss(final String[] options, final String reason) throws Exception
    {
        final Path target = dir.resolve("smaller.rtt");
        final String[] args = Stream.concat(Stream.of("migrate", old.toString(), target.toString()), Stream.of(options))
            .toArray(String[]::new);

        final CommandRun run = CommandRun.of(args);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).startsWith("rtt-stat migrate: refusing to migrate " + old + ", it would lose data: ")
            .contains(reason);
        assertThat(run.oneLineError()).as(run.err()).isTrue();
        assertThat(target).doesNotExist();
        try (Stream<Path> files = Files.list(dir))
        {
            assertThat(files).containsExactly(old);
        }
    }

    @Test
    void shouldRefuseToOverwrite() throws Exception
    {
        final Path target = dir.resolve("taken.rtt");
        Files.writeString(target, "keep");
        final CommandRun run = CommandRun.of("migrate", old.toString(), target.toString(), "--history-capacity", "10");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("tracker file " + target + ": exists");
        assertThat(Files.readString(target)).isEqualTo("keep");
    }

    @Test
    void shouldRefuseAnInvalidNewConfigurationAsAUsageError()
    {
        final CommandRun run = CommandRun.of("migrate", old.toString(), dir.resolve("n.rtt").toString(), "--history-capacity", "0");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("invalid new configuration: historyCapacity must be in 1..");
        assertThat(run.oneLineError()).as(run.err()).isTrue();
    }

    @Test
    void shouldReportAMissingOldFile()
    {
        final Path missing = dir.resolve("missing.rtt");
        final CommandRun run = CommandRun.of("migrate", missing.toString(), dir.resolve("n.rtt").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("tracker file " + missing + ": missing");
    }
}
