package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.internal.RecordTable;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.CONFIG_MISMATCH;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.CORRUPT;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.EXISTS;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.FOREIGN;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.LOCKED;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.MISSING;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.NOT_READY;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.TRUNCATED;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.WRONG_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every way a file can be wrong: a clear exception naming the file, and the file left as it was. */
class TrackerFileFaultsTest
{
    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void createFileWithData()
    {
        file = dir.resolve("t.rtt");
        try (TrackerFile trackerFile = TrackerFile.create(file, Workload.CONFIG))
        {
            Workload.load(trackerFile.tracker(), 3);
        }
    }

    private static void assertRefused(
        final Path file, final TrackerFileException.Reason reason, final ThrowingCallable open, final String... detail)
        throws IOException
    {
        final byte[] before = Files.exists(file) ? Files.readAllBytes(file) : null;
        assertThatThrownBy(open)
            .isInstanceOfSatisfying(TrackerFileException.class, ex ->
            {
                assertThat(ex.reason()).isEqualTo(reason);
                assertThat(ex.file()).isEqualTo(file);
            })
            .hasMessageContaining(file.toString())
            .hasMessageContainingAll(detail);
        if (before != null)
        {
            assertThat(Files.readAllBytes(file)).as("a refused open leaves the file as it was").isEqualTo(before);
        }
    }

    private void assertWriterAndReaderRefuse(final TrackerFileException.Reason reason, final String... detail)
        throws IOException
    {
        assertRefused(file, reason, () -> TrackerFile.open(file, Workload.CONFIG), detail);
        assertRefused(file, reason, () -> TrackerFile.open(file), detail);
        assertRefused(file, reason, () -> TrackerFile.openOrCreate(file, Workload.CONFIG), detail);
        assertRefused(file, reason, () -> TrackerFileReader.open(file), detail);
    }

    private void patchInt(final long offset, final int value) throws IOException
    {
        patch(offset, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value));
    }

    private void patchLong(final long offset, final long value) throws IOException
    {
        patch(offset, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value));
    }

    private void patch(final long offset, final ByteBuffer bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(bytes, offset);
        }
    }

    private void truncate(final long length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(length);
        }
    }

    @Test
    void shouldRefuseAMissingFile() throws IOException
    {
        final Path missing = dir.resolve("missing.rtt");
        assertRefused(missing, MISSING, () -> TrackerFile.open(missing), "no such file");
        assertRefused(missing, MISSING, () -> TrackerFileReader.open(missing), "no such file");
        assertThat(missing).doesNotExist();
    }

    @Test
    void shouldNameAMissingParentDirectory() throws IOException
    {
        final Path parent = dir.resolve("no-such-dir");
        final Path missing = parent.resolve("t.rtt");
        final String detail = "the parent directory " + parent + " does not exist";
        assertRefused(missing, MISSING, () -> TrackerFile.create(missing, Workload.CONFIG), detail);
        assertRefused(missing, MISSING, () -> TrackerFile.openOrCreate(missing, Workload.CONFIG), detail);
        assertRefused(missing, MISSING, () -> TrackerFile.open(missing), detail);
        assertRefused(missing, MISSING, () -> TrackerFileReader.open(missing), detail);
        assertThat(parent).doesNotExist();
    }

    @Test
    void shouldFindAFileTruncatedUnderItsWriterBeforeTouchingTheLostPages() throws IOException
    {
        final TrackerFile writer = TrackerFile.open(file);
        final long mapped = TrackerFile.fileLength(Workload.CONFIG);
        writer.checkLength(); // whole: no complaint
        truncate(TrackerFileHeader.FILE_HEADER_LENGTH + 64);
        final String[] detail = {"file is " + (TrackerFileHeader.FILE_HEADER_LENGTH + 64) + " bytes",
            "this writer mapped " + mapped, "truncated under the running writer"};
        assertRefused(file, TRUNCATED, writer::checkLength, detail);
        assertRefused(file, TRUNCATED, writer::force, detail);
        writer.close(); // touches no page
        assertRefused(file, TRUNCATED, () -> TrackerFile.open(file), "header says " + mapped);
    }

    @Test
    void shouldRefuseAnEvictionOnAFileTruncatedUnderItsWriter() throws IOException
    {
        final TrackerFile writer = TrackerFile.open(file);
        final long mapped = TrackerFile.fileLength(Workload.CONFIG);
        truncate(TrackerFileHeader.FILE_HEADER_LENGTH + 64);
        final String[] detail = {"this writer mapped " + mapped, "truncated under the running writer"};
        assertRefused(file, TRUNCATED, () -> writer.tracker().evictSite(1), detail);
        assertRefused(file, TRUNCATED, () -> writer.tracker().evictIdle(Long.MAX_VALUE / 2, 0), detail);
        writer.close(); // touches no page
    }

    @Test
    void shouldRefuseToCreateOverAFileHoldingData() throws IOException
    {
        assertRefused(file, EXISTS, () -> TrackerFile.create(file, Workload.CONFIG), "holds");
    }

    @Test
    void shouldRefuseAFileShorterThanTheHeader() throws IOException
    {
        truncate(100);
        assertWriterAndReaderRefuse(TRUNCATED, "file is 100 bytes");
    }

    @Test
    void shouldRefuseAFileShorterThanItsState() throws IOException
    {
        truncate(TrackerFile.fileLength(Workload.CONFIG) - 8);
        assertWriterAndReaderRefuse(TRUNCATED, "header says " + TrackerFile.fileLength(Workload.CONFIG));
    }

    @Test
    void shouldRefuseAnEmptyFileWhenOpening() throws IOException
    {
        truncate(0);
        assertRefused(file, TRUNCATED, () -> TrackerFile.open(file), "file is 0 bytes");
        assertRefused(file, TRUNCATED, () -> TrackerFileReader.open(file), "file is 0 bytes");
    }

    @Test
    void shouldRefuseAForeignFile() throws IOException
    {
        final byte[] noise = new byte[(int)TrackerFile.fileLength(Workload.CONFIG)];
        new SplittableRandom(5).nextBytes(noise);
        Files.write(file, noise);
        assertWriterAndReaderRefuse(FOREIGN, "not a bb-rtt tracker file");
    }

    @Test
    void shouldCallAHeaderNotYetWrittenNotReadyRatherThanForeign() throws IOException
    {
        // What a reader can meet while a creator has extended the file but not yet written its header.
        patchLong(TrackerFileHeader.MAGIC_OFFSET, 0);
        patchInt(TrackerFileHeader.VERSION_OFFSET, TrackerFileHeader.NOT_READY_VERSION);
        assertWriterAndReaderRefuse(NOT_READY, "not published");
    }

    @Test
    void shouldRefuseAFileWhoseCreationNeverFinished() throws IOException
    {
        patchInt(TrackerFileHeader.VERSION_OFFSET, TrackerFileHeader.NOT_READY_VERSION);
        assertWriterAndReaderRefuse(NOT_READY, "not published");
    }

    @Test
    void shouldRefuseAnotherLayoutVersion() throws IOException
    {
        patchInt(TrackerFileHeader.VERSION_OFFSET, TrackerFileHeader.LAYOUT_VERSION + 1);
        assertWriterAndReaderRefuse(
            WRONG_VERSION, "layout version " + (TrackerFileHeader.LAYOUT_VERSION + 1), "reads version " + TrackerFileHeader.LAYOUT_VERSION);
    }

    @Test
    void shouldRefuseAFileOfTheLayoutBeforeThePauseLogNamingBothVersions() throws IOException
    {
        patchInt(TrackerFileHeader.VERSION_OFFSET, 2);
        assertWriterAndReaderRefuse(WRONG_VERSION, "layout version 2", "reads version 5");
    }

    @Test
    void shouldRefuseAFileOfTheLayoutBeforeVersion4NamingBothVersions() throws IOException
    {
        patchInt(TrackerFileHeader.VERSION_OFFSET, 3);
        assertWriterAndReaderRefuse(WRONG_VERSION, "layout version 3", "reads version 5");
    }

    @Test
    void shouldRefuseAFileOfTheLayoutBeforeSiteClaimsAndPriorStripesNamingBothVersions() throws IOException
    {
        // Version 4 site records are 128 bytes with no claim word, and its priors are single cells.
        patchInt(TrackerFileHeader.VERSION_OFFSET, 4);
        assertWriterAndReaderRefuse(WRONG_VERSION, "layout version 4", "reads version 5", "migrate the state, or delete the file");
    }

    @Test
    void shouldRefuseAHeaderWhoseChecksumFails() throws IOException
    {
        patchInt(TrackerFileHeader.SITE_CAPACITY_OFFSET, Workload.CONFIG.siteCapacity() + 1);
        assertWriterAndReaderRefuse(CORRUPT, "checksum");
    }

    @Test
    void shouldRefuseStateThatFailsRestoreValidation() throws IOException
    {
        final TrackerLayout layout = new TrackerLayout(Workload.CONFIG);
        patchLong(TrackerFileHeader.FILE_HEADER_LENGTH + layout.siteTableOffset() + RecordTable.NEXT_RECORD_OFFSET, 1_000_000);
        assertRefused(file, CORRUPT, () -> TrackerFile.open(file), "fails validation", "next record 1000000");
    }

    /** Offset in the file of a word of site record {@code record}. */
    static long siteWordOffset(final int record, final int offsetInRecord)
    {
        final TrackerLayout layout = new TrackerLayout(Workload.CONFIG);
        return TrackerFileHeader.FILE_HEADER_LENGTH + layout.siteTableOffset() + RecordTable.CONTROL_LENGTH +
            (long)RecordTable.slotCount(Workload.CONFIG.siteCapacity()) * Long.BYTES +
            (long)record * TrackerLayout.SITE_RECORD_LENGTH + offsetInRecord;
    }

    @Test
    void shouldRefuseStateNoWriterLeavesNamingTheFileTheRecordAndTheField() throws IOException
    {
        patchLong(siteWordOffset(0, TrackerLayout.SITE_HISTORY_OFFSET + HeartbeatHistory.CLAIMED_OFFSET), Long.MAX_VALUE);
        assertRefused(file, CORRUPT, () -> TrackerFile.open(file), "fails validation", "site record 0",
            "history claimed " + Long.MAX_VALUE);
    }

    @Test
    void shouldRefuseAMismatchedConfigurationNamingEachParameter() throws IOException
    {
        final var asked = RttTracker.builder().siteCapacity(64).edgeCapacity(64).chainCapacity(8).reportedCapacity(16)
            .historyCapacity(20).downPhi(20).toConfig();
        assertRefused(file, CONFIG_MISMATCH, () -> TrackerFile.open(file, asked),
            "siteCapacity=32 in file, 64 asked for", "downPhi=16.0 in file, 20.0 asked for", "rtt-stat migrate " + file);
        assertRefused(file, CONFIG_MISMATCH, () -> TrackerFile.openOrCreate(file, asked), "siteCapacity");
    }

    @Test
    void shouldRefuseASecondWriterInTheSameProcess() throws IOException
    {
        try (TrackerFile first = TrackerFile.open(file))
        {
            assertRefused(file, LOCKED, () -> TrackerFile.open(file), "already open for writing", "this process");
            assertThat(first.tracker().isClosed()).isFalse();
        }
    }

    @Test
    void shouldStillOpenTheUntouchedFile()
    {
        // The fixture is valid: the faults above come from the patches, not from the fixture.
        try (TrackerFileReader reader = TrackerFileReader.open(file); TrackerFile writer = TrackerFile.open(file))
        {
            assertThat(reader.read().sites()).isNotEmpty();
            assertThat(writer.tracker().trackedSiteCount()).isPositive();
        }
    }
}
