package ai.bytesandbrains.rtt.file;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.LOCKED;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.MISSING;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.NOT_READY;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.TRUNCATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one-writer lock survives every other open of the same file in this process: through another name
 * (links), by readers in either order, and racing. A lock dropped in this process shows in
 * {@code /proc/locks}, and, checked a bounded number of times, as a child JVM allowed to write.
 */
class TrackerFileLockTest
{
    @TempDir
    Path dir;

    @BeforeEach
    void needProcLocks()
    {
        ProcLocks.assumeReadable();
    }

    /** Another name for the same file. */
    enum Alias
    {
        FILE_SYMLINK, DIRECTORY_SYMLINK, HARD_LINK
    }

    /** @return {file, alias}: two paths of one file, the file created and closed. */
    private Path[] fileAndAlias(final Alias kind) throws IOException
    {
        final Path real = Files.createDirectory(dir.resolve("real"));
        final Path file = real.resolve("t.rtt");
        TrackerFile.create(file, Workload.CONFIG).close();
        final Path alias = switch (kind)
        {
            case FILE_SYMLINK -> Files.createSymbolicLink(dir.resolve("link.rtt"), file);
            case DIRECTORY_SYMLINK -> Files.createSymbolicLink(dir.resolve("run"), real).resolve("t.rtt");
            case HARD_LINK -> Files.createLink(dir.resolve("hard.rtt"), file);
        };
        return new Path[] {file, alias};
    }

    private static void assertLocked(final ThrowableAssertCall open, final String... detail)
    {
        assertThatThrownBy(open::call)
            .isInstanceOfSatisfying(TrackerFileException.class, ex -> assertThat(ex.reason()).isEqualTo(LOCKED))
            .hasMessageContainingAll(detail);
    }

    @FunctionalInterface
    private interface ThrowableAssertCall
    {
        void call() throws Exception;
    }

    private static void assertAnotherProcessIsRefused(final Path file) throws Exception
    {
        assertThat(ProcLocks.heldByThisProcess(file)).as("this process still holds the lock").isTrue();
        try (ChildJvm other = ChildJvm.start(TrackerFileChild.class, "try-open", file.toString()))
        {
            final ChildJvm.Result result = other.finish(60);
            assertThat(result.output()).contains("LOCKED").doesNotContain("OPENED");
        }
    }

    @ParameterizedTest
    @EnumSource(Alias.class)
    void shouldRefuseASecondWriterThroughAnotherNameAndKeepTheLock(final Alias kind) throws Exception
    {
        final Path[] paths = fileAndAlias(kind);
        final Path file = paths[0];
        final Path alias = paths[1];
        try (TrackerFile writer = TrackerFile.open(file))
        {
            assertLocked(() -> TrackerFile.open(alias), "this process", "opened as " + file);
            assertLocked(() -> TrackerFile.openOrCreate(alias, Workload.CONFIG), "this process");
            assertLocked(() -> TrackerFile.create(alias, Workload.CONFIG), "this process");
            try (TrackerFileReader reader = TrackerFileReader.open(alias))
            {
                assertThat(reader.read().writerAlive()).isTrue();
            }
            assertAnotherProcessIsRefused(file);
            assertThat(writer.tracker().isClosed()).isFalse();
        }
        try (TrackerFile reopened = TrackerFile.open(alias)) // the claim went with the writer
        {
            assertLocked(() -> TrackerFile.open(file), "this process", "opened as " + alias);
        }
        assertThat(OpenFiles.openFileCount()).isZero();
    }

    @Test
    void shouldKeepTheLockWhenAReaderOpenedBeforeTheWriterClosesAfterIt() throws Exception
    {
        final Path file = dir.resolve("t.rtt");
        TrackerFile.create(file, Workload.CONFIG).close();
        final TrackerFileReader reader = TrackerFileReader.open(file);
        try (TrackerFile writer = TrackerFile.open(file))
        {
            reader.close(); // its descriptor must outlive it: closing it would drop the writer's lock
            assertAnotherProcessIsRefused(file);
            writer.tracker().observeRoundTrip(1, 1_000, 1);
        }
        assertThat(ProcLocks.heldByThisProcess(file)).isFalse();
        assertThat(OpenFiles.openFileCount()).isZero();
    }

    @Test
    void shouldKeepTheNextWritersLockWhenAReaderOutlivesTheFirst() throws Exception
    {
        final Path file = dir.resolve("t.rtt");
        TrackerFile.create(file, Workload.CONFIG).close();
        final TrackerFileReader reader;
        try (TrackerFile first = TrackerFile.open(file))
        {
            reader = TrackerFileReader.open(file);
        }
        assertThat(ProcLocks.heldByThisProcess(file)).as("the first writer's close released the lock").isFalse();
        try (TrackerFile second = TrackerFile.open(file))
        {
            reader.close();
            assertThat(ProcLocks.heldByThisProcess(file)).isTrue();
            try (TrackerFileReader another = TrackerFileReader.open(file))
            {
                assertThat(another.config()).isEqualTo(Workload.CONFIG);
            }
            assertThat(ProcLocks.heldByThisProcess(file)).isTrue();
        }
        assertThat(OpenFiles.openFileCount()).isZero();
    }

    /**
     * Writer, second writer (through a symbolic link) and readers open the file at once, over many
     * rounds, half of them racing its creation: exactly one writer wins each round, and it still holds
     * the lock when the others are done. A child JVM checks it in three of the rounds.
     */
    @Test
    void shouldKeepTheLockThroughRacingOpens() throws Exception
    {
        final Path file = dir.resolve("t.rtt");
        final Path link = Files.createSymbolicLink(dir.resolve("link.rtt"), file);
        final int rounds = 300;
        final int readers = 3;
        final ExecutorService pool = Executors.newFixedThreadPool(2 + readers);
        try
        {
            for (int round = 0; round < rounds; round++)
            {
                final boolean creating = (round & 1) == 0;
                if (creating)
                {
                    Files.deleteIfExists(file);
                }
                else if (!Files.exists(file))
                {
                    TrackerFile.create(file, Workload.CONFIG).close();
                }
                final CyclicBarrier start = new CyclicBarrier(2 + readers);
                final List<Future<TrackerFile>> writers = new ArrayList<>();
                writers.add(pool.submit(() ->
                {
                    start.await();
                    return writerOrNull(() ->
                        creating ? TrackerFile.create(file, Workload.CONFIG) : TrackerFile.open(file));
                }));
                writers.add(pool.submit(() ->
                {
                    start.await();
                    return writerOrNull(() -> TrackerFile.openOrCreate(link, Workload.CONFIG));
                }));
                final List<Future<Integer>> reads = new ArrayList<>();
                for (int r = 0; r < readers; r++)
                {
                    reads.add(pool.submit(() ->
                    {
                        start.await();
                        return readRepeatedly(file, 5);
                    }));
                }
                final List<TrackerFile> opened = new ArrayList<>();
                for (final Future<TrackerFile> writer : writers)
                {
                    final TrackerFile trackerFile = writer.get(30, TimeUnit.SECONDS);
                    if (trackerFile != null)
                    {
                        opened.add(trackerFile);
                    }
                }
                for (final Future<Integer> read : reads)
                {
                    read.get(30, TimeUnit.SECONDS);
                }
                try
                {
                    assertThat(opened).as("writers open in round %d", round).hasSize(1);
                    assertThat(ProcLocks.heldByThisProcess(file)).as("lock held after round %d", round).isTrue();
                    if (round == 0 || round == rounds / 2 + 1 || round == rounds - 1)
                    {
                        assertAnotherProcessIsRefused(file);
                    }
                }
                finally
                {
                    opened.forEach(TrackerFile::close);
                }
                assertThat(OpenFiles.openFileCount()).as("descriptors left after round %d", round).isZero();
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Opener
    {
        TrackerFile open();
    }

    private static TrackerFile writerOrNull(final Opener opener)
    {
        try
        {
            return opener.open();
        }
        catch (final TrackerFileException ex)
        {
            if (ex.reason() != LOCKED)
            {
                throw ex;
            }
            return null;
        }
    }

    /** @return readings that succeeded; a file being created may be not ready, empty or absent. */
    private static int readRepeatedly(final Path file, final int times)
    {
        int succeeded = 0;
        for (int i = 0; i < times; i++)
        {
            try (TrackerFileReader reader = TrackerFileReader.open(file))
            {
                reader.config();
                succeeded++;
            }
            catch (final TrackerFileException ex)
            {
                if (ex.reason() != MISSING && ex.reason() != NOT_READY && ex.reason() != TRUNCATED)
                {
                    throw ex;
                }
            }
        }
        return succeeded;
    }
}
