package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.TrackerLayout;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.*;

/**
 * An {@link RttTracker} whose whole state lives in a memory-mapped file, so that it survives a restart
 * of the process (warm restart) and can be read by another process while it runs
 * ({@link TrackerFileReader}). The file is a {@link TrackerFileHeader} followed by the state laid out
 * by {@link TrackerLayout}; it is {@link #fileLength(RttTrackerConfig)} bytes.
 *
 * <h2>Opening</h2>
 * {@link #create} makes a new file and refuses one that exists and is not empty; {@link #open} reopens
 * a file, checking it against an expected configuration or taking the file's; {@link #openOrCreate}
 * does whichever applies. A missing, truncated, foreign, corrupt, wrong-version or mismatched file is
 * refused with a {@link TrackerFileException} naming the file and the fault: a file that holds data is
 * never reinitialised.
 *
 * <h2>Warm restart</h2>
 * Reopening runs {@link RttTrackerConfig.Builder#restoreOver}: work in flight when the last writer died
 * (a record being inserted, a heartbeat being recorded) is settled, and every table is validated. Every
 * EMA, sample count, prior, counter and φ history is kept. Timestamps are not: {@code nanoTime} origins
 * differ between processes (and across reboots), so every site restarts "never seen" (φ 0, state LIVE)
 * and its next round trip is its first heartbeat again; its EMAs give budgets at once.
 *
 * <h2>One writer</h2>
 * The writer holds an exclusive {@link FileLock} on the file for as long as it is open. A second writer,
 * in this process or another, is refused ({@link TrackerFileException.Reason#LOCKED}). The operating
 * system releases the lock when the process dies, even by {@code kill -9}, so a restart never finds a
 * stale lock. The lock is advisory: readers take none and never delay a writer.
 *
 * <h2>Durability</h2>
 * State written through the mapping is in the operating system's page cache as soon as it is written,
 * so it survives the death of the process at any instruction. It survives a crash of the machine only
 * up to the last {@link #force()}.
 *
 * <p>Thread safety: {@link #tracker()} follows {@link RttTracker}'s contract. Opening and closing are
 * not meant to race each other.
 */
public final class TrackerFile implements AutoCloseable
{
    private final Path file;
    /**
     * Writers open in this process, by path. A second open in the same process must be refused before
     * it opens a descriptor of the file: on POSIX systems closing any descriptor of a file drops every
     * lock this process holds on it, so a refused open (or a reader's close) would silently free the
     * first writer's lock for another process. The value is the writer's channel once it is locked, for
     * {@link TrackerFileReader} to map through instead of opening the file again. Concurrent map: opens and
     * readers on any thread; the atomic reference publishes the channel to readers of this process.
     */
    private static final ConcurrentHashMap<Path, AtomicReference<FileChannel>> WRITERS = new ConcurrentHashMap<>();

    private final Path key;
    private final AtomicReference<FileChannel> claim;
    private final FileChannel channel;
    private final FileLock lock;
    private final MappedByteBuffer headerMapping;
    private final MappedByteBuffer stateMapping;
    private final AtomicBuffer header;
    private final RttTracker tracker;
    private final boolean created;

    private TrackerFile(
        final Path file,
        final Path key,
        final FileChannel channel,
        final FileLock lock,
        final MappedByteBuffer headerMapping,
        final MappedByteBuffer stateMapping,
        final RttTracker tracker,
        final boolean created)
    {
        this.file = file;
        this.key = key;
        this.claim = WRITERS.get(key);
        this.channel = channel;
        this.lock = lock;
        this.headerMapping = headerMapping;
        this.stateMapping = stateMapping;
        this.header = new UnsafeBuffer(headerMapping);
        this.tracker = tracker;
        this.created = created;
    }

    /**
     * Bytes of a tracker file for a configuration: the header page plus
     * {@link RttTracker#requiredBufferLength(RttTrackerConfig)}.
     *
     * Pure; any thread.
     *
     * @param config the configuration.
     * @return the file length.
     */
    public static long fileLength(final RttTrackerConfig config)
    {
        return TrackerFileHeader.FILE_HEADER_LENGTH + RttTracker.requiredBufferLength(config);
    }

    /**
     * Create a new tracker file, empty, and open it for writing. Any thread: a second writer of the
     * same file, racing or not, is refused.
     *
     * @param file   the path; absent, or an empty file.
     * @param config the configuration, stored in the header.
     * @return the open file.
     * @throws TrackerFileException     {@code EXISTS} when the file holds bytes, {@code LOCKED} when
     *                                  another writer holds it, {@code IO} on an I/O error.
     * @throws IllegalArgumentException when the configuration needs more than one buffer can address.
     */
    public static TrackerFile create(final Path file, final RttTrackerConfig config)
    {
        ai.bytesandbrains.rtt.AgronaCheck.requireUsable(); // before this class maps through Agrona
        final TrackerLayout layout = new TrackerLayout(config);
        if (layout.totalLength() > TrackerFileHeader.MAX_STATE_LENGTH)
        {
            throw new IllegalArgumentException("configuration needs " + layout.totalLength() +
                " bytes of state, more than one mapping can address (2^31 - 8): reduce siteCapacity or historyCapacity");
        }
        final Path key = claim(file);
        final FileChannel channel = openChannel(file, true, key);
        try
        {
            final FileLock lock = lock(file, channel);
            WRITERS.get(key).set(channel); // volatile: readers of this process map through the locked channel
            final long existing = channel.size();
            if (existing != 0)
            {
                throw new TrackerFileException(file, EXISTS, "holds " + existing +
                    " bytes; reopen it with TrackerFile.open, or delete it to start afresh");
            }
            final long stateLength = layout.totalLength();
            // Extend to full length first (sparse): every mapped byte is then backed by the file.
            channel.write(ByteBuffer.allocate(1), TrackerFileHeader.FILE_HEADER_LENGTH + stateLength - 1);
            final MappedByteBuffer headerMapping = channel.map(
                FileChannel.MapMode.READ_WRITE, 0, TrackerFileHeader.FILE_HEADER_LENGTH);
            final MappedByteBuffer stateMapping = channel.map(
                FileChannel.MapMode.READ_WRITE, TrackerFileHeader.FILE_HEADER_LENGTH, stateLength);
            final RttTracker tracker = config.toBuilder().buildOver(new UnsafeBuffer(stateMapping));
            final AtomicBuffer header = new UnsafeBuffer(headerMapping);
            TrackerFileHeader.writeStatic(header, layout);
            writeOwner(header);
            TrackerFileHeader.publish(header); // last: a reader that sees the version sees the whole header
            return new TrackerFile(file, key, channel, lock, headerMapping, stateMapping, tracker, true);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel, key);
            throw new TrackerFileException(file, IO, ex.toString(), ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(channel, key);
            throw ex;
        }
    }

    /**
     * Reopen a tracker file for writing, checking its configuration; a warm restart (see the class
     * Javadoc for what is kept and what is forgotten). Any thread: a second writer of the same file,
     * racing or not, is refused.
     *
     * @param file     an existing tracker file.
     * @param expected the configuration the file must have.
     * @return the open file.
     * @throws TrackerFileException naming the fault; {@code CONFIG_MISMATCH} lists each differing parameter.
     */
    public static TrackerFile open(final Path file, final RttTrackerConfig expected)
    {
        if (expected == null)
        {
            throw new IllegalArgumentException("expected configuration must not be null; use open(Path) to take the file's");
        }
        return openExisting(file, expected);
    }

    /**
     * Reopen a tracker file for writing with the configuration stored in it; a warm restart. Any thread,
     * as {@link #open(Path, RttTrackerConfig)}.
     *
     * @param file an existing tracker file.
     * @return the open file.
     * @throws TrackerFileException naming the fault.
     */
    public static TrackerFile open(final Path file)
    {
        return openExisting(file, null);
    }

    /**
     * Reopen the file if it exists and is not empty (checking its configuration), else create it. Any
     * thread, as {@link #create} and {@link #open(Path, RttTrackerConfig)}.
     *
     * @param file   the path.
     * @param config the configuration.
     * @return the open file; {@link #created()} tells which happened.
     * @throws TrackerFileException naming the fault.
     */
    public static TrackerFile openOrCreate(final Path file, final RttTrackerConfig config)
    {
        try
        {
            if (!Files.exists(file) || Files.size(file) == 0)
            {
                return create(file, config);
            }
        }
        catch (final IOException ex)
        {
            throw new TrackerFileException(file, IO, ex.toString(), ex);
        }
        return open(file, config);
    }

    private static TrackerFile openExisting(final Path file, final RttTrackerConfig expected)
    {
        ai.bytesandbrains.rtt.AgronaCheck.requireUsable(); // before this class maps through Agrona
        final Path key = claim(file);
        final FileChannel channel = openChannel(file, false, key);
        try
        {
            final FileLock lock = lock(file, channel);
            WRITERS.get(key).set(channel); // volatile: as in create
            final long length = channel.size();
            if (length < TrackerFileHeader.FILE_HEADER_LENGTH)
            {
                throw new TrackerFileException(file, TRUNCATED,
                    "file is " + length + " bytes, shorter than the " + TrackerFileHeader.FILE_HEADER_LENGTH +
                    "-byte header");
            }
            final MappedByteBuffer headerMapping = channel.map(
                FileChannel.MapMode.READ_WRITE, 0, TrackerFileHeader.FILE_HEADER_LENGTH);
            final AtomicBuffer header = new UnsafeBuffer(headerMapping);
            final TrackerLayout layout = TrackerFileHeader.validate(file, header, length);
            final RttTrackerConfig config = layout.config();
            if (expected != null && !expected.sameLayoutAs(config))
            {
                throw new TrackerFileException(file, CONFIG_MISMATCH, TrackerFileHeader.differences(expected, config));
            }
            final MappedByteBuffer stateMapping = channel.map(
                FileChannel.MapMode.READ_WRITE, TrackerFileHeader.FILE_HEADER_LENGTH, layout.totalLength());
            final RttTracker tracker;
            try
            {
                // The caller's configuration, when given, also brings its process-local settings.
                tracker = (expected != null ? expected : config).toBuilder().restoreOver(new UnsafeBuffer(stateMapping));
            }
            catch (final IllegalStateException ex)
            {
                throw new TrackerFileException(file, CORRUPT, "tracker state fails validation: " + ex.getMessage(), ex);
            }
            writeOwner(header);
            ai.bytesandbrains.rtt.internal.ColdEvents.fileRestored(file, tracker.trackedSiteCount());
            return new TrackerFile(file, key, channel, lock, headerMapping, stateMapping, tracker, false);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel, key);
            throw new TrackerFileException(file, IO, ex.toString(), ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(channel, key);
            throw ex;
        }
    }

    /**
     * The mapping is made on the locked channel itself, not with {@code org.agrona.IoUtil}: POSIX
     * record locks belong to the process, so closing any other descriptor of the file (as
     * {@code IoUtil.mapExistingFile} does after mapping) would silently release this lock.
     */
    private static FileChannel openChannel(final Path file, final boolean create, final Path key)
    {
        try
        {
            return create ?
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE) :
                FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        catch (final NoSuchFileException ex)
        {
            WRITERS.remove(key);
            throw new TrackerFileException(file, MISSING, "no such file", ex);
        }
        catch (final IOException ex)
        {
            WRITERS.remove(key);
            throw new TrackerFileException(file, IO, ex.toString(), ex);
        }
    }

    private static FileLock lock(final Path file, final FileChannel channel) throws IOException
    {
        FileLock lock;
        try
        {
            lock = channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            lock = null;
        }
        if (lock == null)
        {
            throw new TrackerFileException(file, LOCKED, "already open for writing by another TrackerFile" +
                ownerOf(channel) + "; one writer at a time");
        }
        return lock;
    }

    private static String ownerOf(final FileChannel channel)
    {
        try
        {
            if (channel.size() >= TrackerFileHeader.FILE_HEADER_LENGTH)
            {
                final ByteBuffer bytes = ByteBuffer.allocateDirect(TrackerFileHeader.FILE_HEADER_LENGTH);
                channel.read(bytes, 0);
                final TrackerFileHeader.Owner owner = TrackerFileHeader.readOwner(new UnsafeBuffer(bytes));
                if (owner != null && owner.pid() != 0)
                {
                    return " (pid " + owner.pid() + (owner.pid() == ProcessHandle.current().pid() ? ", this process)" : ")");
                }
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // the owner is only named for the message
        }
        return "";
    }

    private static void writeOwner(final AtomicBuffer header)
    {
        final Instant now = Instant.now();
        final long nanoTime = System.nanoTime();
        final long epochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        TrackerFileHeader.writeOwner(header, ProcessHandle.current().pid(), epochNanos - nanoTime, now.toEpochMilli());
    }

    private static void closeQuietly(final FileChannel channel, final Path key)
    {
        try
        {
            channel.close(); // releases the lock if one was taken
        }
        catch (final IOException ignored)
        {
            // already failing with a better exception
        }
        finally
        {
            WRITERS.remove(key);
        }
    }

    /**
     * Claim the path for a writer of this process, before any descriptor of it is opened.
     *
     * @throws TrackerFileException {@code LOCKED} when a writer of this process has it open.
     */
    private static Path claim(final Path file)
    {
        final Path key = keyOf(file);
        if (WRITERS.putIfAbsent(key, new AtomicReference<>()) != null) // atomic: one claim per path wins
        {
            throw new TrackerFileException(file, LOCKED,
                "already open for writing by another TrackerFile in this process; one writer at a time");
        }
        return key;
    }

    /** The path a file is registered under (another name of the same file, a link, is not recognised). */
    static Path keyOf(final Path file)
    {
        return file.toAbsolutePath().normalize();
    }

    /**
     * @param file a tracker file.
     * @return the locked channel of this process's writer of that file, or {@code null} when none is open.
     */
    static FileChannel writerChannel(final Path file)
    {
        final AtomicReference<FileChannel> channel = WRITERS.get(keyOf(file));
        return channel == null ? null : channel.get(); // volatile: the channel set once locked
    }

    /**
     * Any thread; the tracker follows {@link RttTracker}'s threading contract.
     *
     * @return the tracker over the file's state; use {@code System.nanoTime()} as its clock if other
     * processes are to compute φ from the file (the header maps that clock to the wall clock).
     */
    public RttTracker tracker()
    {
        return tracker;
    }

    /**
     * Immutable; any thread.
     *
     * @return the file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * Immutable; any thread.
     *
     * @return the configuration the tracker runs with: the file's, or after
     * {@link #open(Path, RttTrackerConfig)} and {@link #openOrCreate} the caller's (same layout as the file's,
     * with the caller's process-local settings).
     */
    public RttTrackerConfig config()
    {
        return tracker.config();
    }

    /**
     * Immutable; any thread.
     *
     * @return {@code true} when this open created the file, {@code false} when it reopened one.
     */
    public boolean created()
    {
        return created;
    }

    /**
     * Any thread: a seqlock read of the header, never a write.
     *
     * @return the owner section as this writer wrote it, or {@code null} when no stable view was seen.
     */
    public TrackerFileHeader.Owner owner()
    {
        return TrackerFileHeader.readOwner(header);
    }

    /**
     * Write the state to the storage device ({@code msync}), so that it survives a crash of the
     * machine as of this call. Not needed for a crash of the process. Slow: never on a hot path. Any
     * thread, concurrently with writers: what they write during the call may or may not be forced.
     */
    public void force()
    {
        headerMapping.force();
        stateMapping.force();
    }

    /**
     * Close the tracker (every later call on it throws {@link IllegalStateException}) and release the
     * write lock, so that another writer may open the file. Idempotent. The mappings are not unmapped:
     * as {@link RttTracker#close()} explains, a call already past its closed check must still find
     * valid memory, so the mappings are released by the garbage collector once unreachable. Stop the
     * threads using the tracker before closing if another process is to reopen the file at once: a call
     * racing the close could still write one update after the next writer's restore. Any thread, but
     * not racing another open or close of the same file.
     */
    @Override
    public void close()
    {
        tracker.close();
        try
        {
            if (channel.isOpen())
            {
                lock.release();
                channel.close();
            }
        }
        catch (final IOException ex)
        {
            throw new TrackerFileException(file, IO, "closing: " + ex, ex);
        }
        finally
        {
            WRITERS.remove(key, claim); // after the close, and only this writer's: no two writers overlap
        }
    }
}
