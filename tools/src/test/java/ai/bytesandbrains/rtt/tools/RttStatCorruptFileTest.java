package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.file.TrackerFile;
import ai.bytesandbrains.rtt.file.TrackerFileHeader;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.internal.RecordTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** rtt-stat on a file whose body no writer could have written: a named fault, never an impossible value. */
class RttStatCorruptFileTest
{
    private static final RttTrackerConfig CONFIG = RttTracker.builder()
        .siteCapacity(4).edgeCapacity(4).chainCapacity(2).reportedCapacity(2).historyCapacity(4).toConfig();

    @TempDir
    Path dir;

    @Test
    void shouldNameAHistoryCountWithItsSignBitSetInsteadOfPrintingOrCrashing() throws IOException
    {
        final Path file = dir.resolve("t.rtt");
        try (TrackerFile trackerFile = TrackerFile.create(file, CONFIG))
        {
            for (int i = 0; i < 6; i++)
            {
                trackerFile.tracker().observeRoundTrip(7, 1_000, i * 1_000L);
            }
        }
        final TrackerLayout layout = new TrackerLayout(CONFIG);
        final long completed = TrackerFileHeader.FILE_HEADER_LENGTH + layout.siteTableOffset() +
            RecordTable.CONTROL_LENGTH + (long)RecordTable.slotCount(CONFIG.siteCapacity()) * Long.BYTES +
            TrackerLayout.SITE_HISTORY_OFFSET + HeartbeatHistory.COMPLETED_OFFSET; // site 7 holds record 0
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, Long.MIN_VALUE | 11), completed);
        }

        for (final String[] args : new String[][] {{file.toString(), "--once", "--format=json"}, {"export", file.toString()}})
        {
            final CommandRun run = CommandRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.err())
                .contains(file.toString(), "corrupt", "site record 0 (site 7)", "completed " + (Long.MIN_VALUE | 11));
        }
    }
}
