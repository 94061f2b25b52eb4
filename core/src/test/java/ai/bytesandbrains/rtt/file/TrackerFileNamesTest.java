package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.internal.NameTable;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
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

import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.CORRUPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The name table in a file: kept across opens, shown by the reader, validated before it is trusted. */
class TrackerFileNamesTest
{
    private static final String NAME = "10.9.8.7:6543";

    @TempDir
    Path dir;

    private Path file;
    private long site;
    private final TrackerLayout layout = new TrackerLayout(Workload.CONFIG);
    private final int slots = NameTable.slotCount(Workload.CONFIG.siteCapacity());

    @BeforeEach
    void createFileWithNames()
    {
        file = dir.resolve("names.rtt");
        try (TrackerFile trackerFile = TrackerFile.create(file, Workload.CONFIG))
        {
            final RttTracker tracker = trackerFile.tracker();
            Workload.load(tracker, 5); // names sites 0, 3, ..., 18
            site = tracker.site(NAME);
            tracker.observeRoundTrip(site, 2_000_000, 1_000_000_000L);
        }
    }

    @Test
    void shouldKeepNamesAcrossReopenAndShowThemToTheFileReader()
    {
        try (TrackerFileReader reader = TrackerFileReader.open(file))
        {
            assertThat(reader.read().sites()).filteredOn(row -> row.site() == site)
                .singleElement().satisfies(row -> assertThat(row.name()).isEqualTo(NAME));
            assertThat(reader.read().sites()).filteredOn(row -> row.site() == 1)
                .singleElement().satisfies(row -> assertThat(row.name()).as("never named").isEmpty());
            assertThat(reader.snapshot().site(3)).hasValueSatisfying(s -> assertThat(s.name()).isEqualTo("10.0.0.3:7000"));
        }
        try (TrackerFile reopened = TrackerFile.open(file))
        {
            assertThat(reopened.tracker().siteName(site)).isEqualTo(NAME);
            assertThat(reopened.tracker().nameSite(site, "other:1")).isTrue();
            assertThat(reopened.tracker().siteName(site)).as("written once, also across opens").isEqualTo(NAME);
        }
    }

    @Test
    void shouldRefuseANameLongerThanASlotHolds() throws IOException
    {
        patchLong(slotOffset(slotOf(site)) + NameTable.LENGTH_OFFSET, NameTable.MAX_NAME_BYTES + 1);

        assertRefused("name table", "slot " + slotOf(site), "length " + (NameTable.MAX_NAME_BYTES + 1));
        try (TrackerFileReader reader = TrackerFileReader.open(file))
        {
            assertThatThrownBy(reader::read).isInstanceOfSatisfying(TrackerFileException.class,
                ex -> assertThat(ex.reason()).isEqualTo(CORRUPT)).hasMessageContaining("name length");
        }
    }

    @Test
    void shouldRefuseANegativeNameLength() throws IOException
    {
        patchLong(slotOffset(slotOf(site)) + NameTable.LENGTH_OFFSET, -1);

        assertRefused("name table", "length -1");
    }

    @Test
    void shouldRefuseANameThatIsNotUtf8() throws IOException
    {
        patch(slotOffset(slotOf(site)) + NameTable.NAME_OFFSET + 2, new byte[]{(byte)0xC0, (byte)0x80}); // overlong NUL

        assertRefused("name table", "not UTF-8");
    }

    @Test
    void shouldRefuseALengthOnAFreeSlot() throws IOException
    {
        patchLong(slotOffset(freeSlot()) + NameTable.LENGTH_OFFSET, 4);

        assertRefused("name table", "length 4 on a free slot");
    }

    @Test
    void shouldRefuseASiteNamedTwice() throws IOException
    {
        copySlot(slotOf(site), freeSlot());

        assertRefused("name table", "site " + site + " named twice");
    }

    @Test
    void shouldRefuseADroppedCountNoNamerLeaves() throws IOException
    {
        patchLong(FileOffsets.state(layout.nameTableOffset()) + NameTable.DROPPED_OFFSET, -3);

        assertRefused("name table", "dropped count -3");
    }

    @Test
    void shouldDropANameANamerNeverPublishedAndLetTheSiteBeNamedAgain() throws IOException
    {
        patchLong(slotOffset(slotOf(site)) + NameTable.LENGTH_OFFSET, 0); // claimed, bytes written, never published

        try (TrackerFile reopened = TrackerFile.open(file))
        {
            final RttTracker tracker = reopened.tracker();
            assertThat(tracker.siteName(site)).isEmpty();
            assertThat(tracker.siteName(3)).isEqualTo("10.0.0.3:7000");
            assertThat(tracker.nameSite(site, "again:1")).isTrue();
            assertThat(tracker.siteName(site)).isEqualTo("again:1");
        }
    }

    @Test
    void shouldFindANameAHostileFileLeftOutOfItsProbeSequence() throws IOException
    {
        // Move the name to a slot past a free one: a lookup from its home stops at the free slot, so only a
        // restore that rebuilds the table finds it again.
        final int from = slotOf(site);
        int to = (from + 2) % slots;
        while (!isFree(to) || !isFree((to - 1 + slots) % slots))
        {
            to = (to + 1) % slots;
        }
        copySlot(from, to);
        patch(slotOffset(from), new byte[NameTable.SLOT_LENGTH]);
        try (TrackerFileReader reader = TrackerFileReader.open(file))
        {
            assertThat(reader.snapshot().site(site)).hasValueSatisfying(s -> assertThat(s.name()).isEmpty());
        }

        try (TrackerFile reopened = TrackerFile.open(file))
        {
            assertThat(reopened.tracker().siteName(site)).isEqualTo(NAME);
        }
    }

    private void assertRefused(final String... detail) throws IOException
    {
        final byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> TrackerFile.open(file))
            .isInstanceOfSatisfying(TrackerFileException.class, ex -> assertThat(ex.reason()).isEqualTo(CORRUPT))
            .hasMessageContaining("fails validation")
            .hasMessageContainingAll(detail);
        assertThat(Files.readAllBytes(file)).as("a refused open leaves the file as it was").isEqualTo(before);
    }

    private long slotOffset(final int slot)
    {
        return FileOffsets.state(layout.nameTableOffset()) + NameTable.CONTROL_LENGTH + (long)slot * NameTable.SLOT_LENGTH;
    }

    private int slotOf(final long siteId) throws IOException
    {
        for (int slot = 0; slot < slots; slot++)
        {
            if (readLong(slotOffset(slot) + NameTable.KEY_OFFSET) == (siteId ^ NameTable.KEY_MASK))
            {
                return slot;
            }
        }
        throw new AssertionError("site " + siteId + " has no slot");
    }

    private boolean isFree(final int slot) throws IOException
    {
        return readLong(slotOffset(slot) + NameTable.KEY_OFFSET) == 0;
    }

    private int freeSlot() throws IOException
    {
        int slot = 0;
        while (!isFree(slot))
        {
            slot++;
        }
        return slot;
    }

    private void copySlot(final int from, final int to) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(NameTable.SLOT_LENGTH);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            channel.read(bytes, slotOffset(from));
        }
        patch(slotOffset(to), bytes.array());
    }

    private long readLong(final long offset) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            channel.read(bytes, offset);
        }
        return bytes.getLong(0);
    }

    private void patchLong(final long offset, final long value) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value);
        patch(offset, bytes.array());
    }

    private void patch(final long offset, final byte[] bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    /** Offsets in the file of offsets in the state. */
    private static final class FileOffsets
    {
        static long state(final long stateOffset)
        {
            return TrackerFileHeader.FILE_HEADER_LENGTH + stateOffset;
        }
    }
}
