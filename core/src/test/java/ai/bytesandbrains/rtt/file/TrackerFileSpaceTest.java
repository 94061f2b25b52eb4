package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A file system without room for the file: creation fails with a clear exception, the JVM survives, and
 * no partial file is left. On a 2 MiB tmpfs mounted for the test (skipped where mounting is not
 * permitted). The creations run in a child JVM, so a regression that dies of {@code SIGBUS} fails the
 * test instead of killing the test runner.
 */
class TrackerFileSpaceTest
{
    private static final long TMPFS_BYTES = 2 << 20; // room for a small tracker (about 1.1 MB at the default edge and chain capacities)
    private static final int BIG_SITES = 4096;
    private static final int BIG_HISTORY = 64;

    private static Path mount;
    private static String unavailable;

    @BeforeAll
    static void mountASmallTmpfs() throws IOException, InterruptedException
    {
        mount = Files.createTempDirectory("rtt-full-disk");
        final String output = run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_BYTES, "tmpfs", mount.toString());
        if (output != null)
        {
            unavailable = output;
            Files.delete(mount);
        }
    }

    @AfterAll
    static void unmount() throws IOException, InterruptedException
    {
        if (unavailable == null)
        {
            final String output = run("umount", mount.toString());
            if (output != null)
            {
                run("umount", "-l", mount.toString()); // detached now, freed when the last user goes
            }
            Files.delete(mount);
            assertThat(output).as("umount " + mount).isNull();
        }
    }

    /** @return {@code null} on success, else what went wrong. */
    private static String run(final String... command) throws InterruptedException
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            return process.exitValue() == 0 ? null : String.join(" ", command) + ": " + output;
        }
        catch (final IOException ex)
        {
            return String.join(" ", command) + ": " + ex;
        }
    }

    @BeforeEach
    void needTheTmpfs()
    {
        assumeTrue(unavailable == null,
            () -> "cannot mount a 2 MiB tmpfs here (needs root or CAP_SYS_ADMIN): " + unavailable);
    }

    @AfterEach
    void emptyTheTmpfs() throws IOException
    {
        if (unavailable == null)
        {
            try (Stream<Path> files = Files.list(mount))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    Files.delete(file);
                }
            }
        }
    }

    private static long bigFileLength()
    {
        final long length = TrackerFile.fileLength(
            RttTracker.builder().siteCapacity(BIG_SITES).historyCapacity(BIG_HISTORY).toConfig());
        assertThat(length).as("the file must not fit").isGreaterThan(2 * TMPFS_BYTES);
        return length;
    }

    private static ChildJvm.Result createInChild(final String mode, final Path file) throws Exception
    {
        try (ChildJvm child = ChildJvm.start(TrackerFileChild.class, mode, file.toString(),
            Integer.toString(BIG_SITES), Integer.toString(BIG_HISTORY)))
        {
            final ChildJvm.Result result = child.finish(60);
            assertThat(result.exitCode()).as("the child JVM survives; it printed:%n%s", result.output()).isZero();
            return result;
        }
    }

    @Test
    void shouldRefuseToCreateAFileTheFileSystemCannotHoldAndLeaveNothingBehind() throws Exception
    {
        final Path file = mount.resolve("big.rtt");
        final long length = bigFileLength();
        final long usableBefore = Files.getFileStore(mount).getUsableSpace();

        final ChildJvm.Result result = createInChild("create", file);

        assertThat(result.output()).contains("REFUSED IO", "tracker file " + file,
            "cannot allocate the " + length + " bytes it needs", usableBefore + " bytes were available");
        assertThat(file).as("the partial file is removed").doesNotExist();
        assertThat(Files.getFileStore(mount).getUsableSpace()).as("its space is given back").isEqualTo(usableBefore);
        // A retry that fits is not refused (EXISTS). In a child too: a mapping in this JVM would keep
        // the tmpfs busy until the garbage collector unmaps it.
        try (ChildJvm child = ChildJvm.start(TrackerFileChild.class, "create", file.toString(), "32", "20"))
        {
            assertThat(child.finish(60).output()).contains("CREATED");
        }
    }

    @Test
    void shouldRefuseOpenOrCreateTooAndLeaveAnEmptyFileAsItWas() throws Exception
    {
        final Path file = Files.createFile(mount.resolve("empty.rtt"));
        final long usableBefore = Files.getFileStore(mount).getUsableSpace();

        final ChildJvm.Result result = createInChild("open-or-create", file);

        assertThat(result.output()).contains("REFUSED IO", "tracker file " + file, "cannot allocate");
        assertThat(file).as("an empty file that was there is left empty").exists();
        assertThat(Files.size(file)).isZero();
        assertThat(Files.getFileStore(mount).getUsableSpace()).isEqualTo(usableBefore);
        assertThat(List.of(result.output().split("\n"))).noneMatch(line -> line.contains("SIGBUS"));
    }

    @Test
    void shouldRefuseToReopenASparseCopyWhoseHolesTheFileSystemCannotBack(@TempDir final Path elsewhere) throws Exception
    {
        final Path original = elsewhere.resolve("t.rtt");
        final RttTrackerConfig config = RttTracker.builder().siteCapacity(128).historyCapacity(64).toConfig();
        try (TrackerFile trackerFile = TrackerFile.create(original, config))
        {
            for (int site = 0; site < 10; site++)
            {
                trackerFile.tracker().observeRoundTrip(site, 1_000, 1 + site);
            }
        }
        final Path file = mount.resolve("t.rtt");
        assertThat(run("cp", "--sparse=always", original.toString(), file.toString())).isNull();
        final long allocated = Long.parseLong(output("stat", "-c", "%b", file.toString())) * 512;
        assumeTrue(allocated < Files.size(file) / 2, "cp --sparse=always made no holes on this tmpfs");
        fill(mount.resolve("filler"));
        final byte[] before = Files.readAllBytes(file);

        final ChildJvm.Result result;
        try (ChildJvm child = ChildJvm.start(TrackerFileChild.class, "open-and-fill", file.toString(), "128"))
        {
            result = child.finish(60);
        }

        assertThat(result.exitCode()).as("the child JVM survives; it printed:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("REFUSED IO", "tracker file " + file, "unallocated holes");
        assertThat(Files.readAllBytes(file)).as("a refused reopen leaves the file as it was").isEqualTo(before);
    }

    /** Write zeros to a new file until the file system is full. */
    private static void fill(final Path filler) throws IOException
    {
        final ByteBuffer zeros = ByteBuffer.allocate(4096);
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            while (true)
            {
                zeros.clear();
                channel.write(zeros);
            }
        }
        catch (final IOException full)
        {
            assertThat(Files.getFileStore(filler).getUsableSpace()).as("full").isLessThan(4096);
        }
    }

    private static String output(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }
}
