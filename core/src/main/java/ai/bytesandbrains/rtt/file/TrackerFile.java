package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;

import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.CONFIG_MISMATCH;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.CORRUPT;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.EXISTS;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.IO;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.TRUNCATED;

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
 * The writer holds an exclusive {@link java.nio.channels.FileLock} on the file for as long as it is
 * open. A second writer, in this process or another, is refused ({@link TrackerFileException.Reason#LOCKED}),
 * whatever name it uses for the file: a symbolic link, a linked directory or a hard link reach the same
 * file (device and inode) and are refused alike. The operating system releases the lock when the process
 * dies, even by {@code kill -9}, so a restart never finds a stale lock. The lock is advisory: readers
 * take none and never delay a writer, and a program that ignores it (a copy, an editor, {@code truncate})
 * is not stopped by it. On POSIX systems closing any descriptor of a file releases the process's lock
 * on it, so in this process the writer and every {@link TrackerFileReader} share one set of descriptors
 * per file, closed only when the last of them closes; a descriptor of the same file opened and closed
 * elsewhere in the process (outside this package) still drops the lock.
 *
 * <h2>Disk space</h2>
 * Creation writes the whole file (zeros) and forces it before mapping it, so a file system without room
 * fails the creation with {@link TrackerFileException.Reason#IO}, naming the bytes needed and available,
 * and the partial file is removed. A store into a mapped page the file system cannot back would instead
 * kill the JVM with {@code SIGBUS}.
 *
 * <h2>Truncation under a running writer</h2>
 * Do not truncate, shorten or replace the file of a running writer: the lock is advisory and does not
 * stop another process (or {@code truncate(1)}) from doing it. If it happens, the pages past the new end
 * are gone from the mapping, and the next access to one of them by any tracker call, observe included,
 * either kills the JVM with {@code SIGBUS} (bulk zeroing on eviction, and atomic updates not yet
 * compiled, run inside the VM where the fault cannot be caught) or throws {@link InternalError} ("a
 * fault occurred in an unsafe memory access operation") from compiled code. After an
 * {@code InternalError} the tracker may hold a half-done update (a record pinned for ever, so a later
 * eviction waits for ever) and must not be used again. The hot paths cannot check for this without a
 * system call each; {@link #checkLength()} finds a shortened file with one {@code fstat}: call it on the
 * housekeeping thread before {@link RttTracker#evictIdle} or {@link RttTracker#evictSite} (which zero
 * records in bulk) and periodically; {@link #force()} calls it. When it throws, stop the threads using
 * the tracker and close it. To recover, restart the writer: reopening refuses a file shorter than its
 * header says ({@link TrackerFileException.Reason#TRUNCATED}) without mapping it, so move the file aside
 * or delete it (what was cut off is lost) and open afresh, or import an earlier export ({@code rtt-stat
 * import}); a file cut
 * back to nothing (length 0) is simply created again by {@link #openOrCreate}. A file that is whole
 * again (restored from a copy) reopens normally, and reopening repairs whatever a writer killed
 * mid-update left half done.
 *
 * <p>Thread safety: {@link #tracker()} follows {@link RttTracker}'s contract. Opening and closing are
 * not meant to race each other.
 */
public final class TrackerFile implements AutoCloseable
{
    private final Path file;
    private final OpenFiles.Lease lease;
    private final long fileLength;
    private final MappedByteBuffer headerMapping;
    private final MappedByteBuffer stateMapping;
    private final AtomicBuffer header;
    private final RttTracker tracker;
    private final boolean created;

    private TrackerFile(
        final Path file,
        final OpenFiles.Lease lease,
        final MappedByteBuffer headerMapping,
        final MappedByteBuffer stateMapping,
        final RttTracker tracker,
        final boolean created)
    {
        this.file = file;
        this.lease = lease;
        this.fileLength = TrackerFileHeader.FILE_HEADER_LENGTH + (long)stateMapping.capacity();
        this.headerMapping = headerMapping;
        this.stateMapping = stateMapping;
        this.header = new UnsafeBuffer(headerMapping);
        this.tracker = tracker;
        tracker.evictionGuard(this::checkLength); // evictions bulk-zero records: refuse them on a truncated file
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
     * Create a new tracker file, empty, and open it for writing. Its blocks are allocated (written)
     * before it is mapped, so a file system without room fails here with {@code IO} instead of killing
     * the JVM later; the partial file is then removed (an empty file that was there is left empty).
     * Any thread: a second writer of the same file, racing or not, is refused.
     *
     * @param file   the path; absent, or an empty file.
     * @param config the configuration, stored in the header.
     * @return the open file.
     * @throws TrackerFileException     {@code EXISTS} when the file holds bytes, {@code LOCKED} when
     *                                  another writer holds it, {@code MISSING} when its directory does
     *                                  not exist, {@code IO} on an I/O error or a lack of space.
     * @throws IllegalArgumentException when the configuration needs more than one buffer can address.
     */
    public static TrackerFile create(final Path file, final RttTrackerConfig config)
    {
        ai.bytesandbrains.rtt.AgronaCheck.requireUsable(); // before this class maps through Agrona
        final TrackerLayout layout = checkedLayout(config);
        return initialise(file, OpenFiles.openForWriting(file, true), layout);
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
        ai.bytesandbrains.rtt.AgronaCheck.requireUsable(); // before this class maps through Agrona
        return reopen(file, OpenFiles.openForWriting(file, false), expected);
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
        ai.bytesandbrains.rtt.AgronaCheck.requireUsable(); // before this class maps through Agrona
        return reopen(file, OpenFiles.openForWriting(file, false), null);
    }

    /**
     * Reopen the file if it exists and is not empty (checking its configuration), else create it, as
     * one step under the write lock. Any thread, as {@link #create} and {@link #open(Path, RttTrackerConfig)}.
     *
     * @param file   the path.
     * @param config the configuration.
     * @return the open file; {@link #created()} tells which happened.
     * @throws TrackerFileException naming the fault.
     */
    public static TrackerFile openOrCreate(final Path file, final RttTrackerConfig config)
    {
        ai.bytesandbrains.rtt.AgronaCheck.requireUsable(); // before this class maps through Agrona
        final TrackerLayout layout = checkedLayout(config);
        final OpenFiles.Lease lease = OpenFiles.openForWriting(file, true);
        final long length;
        try
        {
            length = lease.channel().size();
        }
        catch (final IOException ex)
        {
            throw failed(lease, new TrackerFileException(file, IO, ex.toString(), ex));
        }
        return length == 0 ? initialise(file, lease, layout) : reopen(file, lease, config);
    }

    private static TrackerLayout checkedLayout(final RttTrackerConfig config)
    {
        final TrackerLayout layout = new TrackerLayout(config);
        if (layout.totalLength() > TrackerFileHeader.MAX_STATE_LENGTH)
        {
            throw new IllegalArgumentException("configuration needs " + layout.totalLength() +
                " bytes of state, more than one mapping can address (2^31 - 8): reduce siteCapacity or historyCapacity");
        }
        return layout;
    }

    /** Lay a new tracker out in the leased (locked) file, which must be empty. */
    private static TrackerFile initialise(final Path file, final OpenFiles.Lease lease, final TrackerLayout layout)
    {
        final FileChannel channel = lease.channel();
        boolean grown = false;
        try
        {
            final long existing = channel.size();
            if (existing != 0)
            {
                throw new TrackerFileException(file, EXISTS, "holds " + existing +
                    " bytes; reopen it with TrackerFile.open, or delete it to start afresh");
            }
            final long stateLength = layout.totalLength();
            grown = true;
            FileSpace.allocate(file, channel, TrackerFileHeader.FILE_HEADER_LENGTH + stateLength);
            final MappedByteBuffer headerMapping = channel.map(
                FileChannel.MapMode.READ_WRITE, 0, TrackerFileHeader.FILE_HEADER_LENGTH);
            final MappedByteBuffer stateMapping = channel.map(
                FileChannel.MapMode.READ_WRITE, TrackerFileHeader.FILE_HEADER_LENGTH, stateLength);
            final RttTracker tracker = layout.config().toBuilder().buildOver(new UnsafeBuffer(stateMapping));
            final AtomicBuffer header = new UnsafeBuffer(headerMapping);
            TrackerFileHeader.writeStatic(header, layout);
            writeOwner(header);
            TrackerFileHeader.publish(header); // last: a reader that sees the version sees the whole header
            return new TrackerFile(file, lease, headerMapping, stateMapping, tracker, true);
        }
        catch (final IOException ex)
        {
            throw failedCreation(lease, grown, new TrackerFileException(file, IO, ex.toString(), ex));
        }
        catch (final RuntimeException ex)
        {
            throw failedCreation(lease, grown, ex);
        }
    }

    /** Open the tracker in the leased (locked) file, which holds data; a warm restart. */
    private static TrackerFile reopen(final Path file, final OpenFiles.Lease lease, final RttTrackerConfig expected)
    {
        final FileChannel channel = lease.channel();
        try
        {
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
            // Refuses a file shorter than its header says before its state is mapped.
            final TrackerLayout layout = TrackerFileHeader.validate(file, header, length);
            final RttTrackerConfig config = layout.config();
            if (expected != null && !expected.sameLayoutAs(config))
            {
                throw new TrackerFileException(file, CONFIG_MISMATCH, TrackerFileHeader.differences(expected, config) +
                    "; to carry its state over to a file of the new configuration, run rtt-stat migrate " + file +
                    " NEW_FILE with the new parameters (see rtt-stat migrate --help)");
            }
            // A sparse copy on a nearly full disk: its holes get their blocks now, or the open fails.
            FileSpace.fillHoles(file, channel, TrackerFileHeader.FILE_HEADER_LENGTH + layout.totalLength());
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
            return new TrackerFile(file, lease, headerMapping, stateMapping, tracker, false);
        }
        catch (final IOException ex)
        {
            throw failed(lease, new TrackerFileException(file, IO, ex.toString(), ex));
        }
        catch (final RuntimeException ex)
        {
            throw failed(lease, ex);
        }
    }

    /**
     * A creation that failed after the file began to grow: shrink it back to empty and remove it if this
     * creation made it, both under the lock (no other writer can have taken it), then leave it.
     */
    private static RuntimeException failedCreation(
        final OpenFiles.Lease lease, final boolean grown, final RuntimeException failure)
    {
        if (grown)
        {
            try
            {
                lease.channel().truncate(0); // frees the blocks even if the path now names another file
            }
            catch (final IOException ex)
            {
                failure.addSuppressed(ex);
            }
            lease.deleteCreatedFile();
        }
        return failed(lease, failure);
    }

    private static RuntimeException failed(final OpenFiles.Lease lease, final RuntimeException failure)
    {
        try
        {
            lease.release();
        }
        catch (final RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
        return failure;
    }

    private static void writeOwner(final AtomicBuffer header)
    {
        final Instant now = Instant.now();
        final long nanoTime = System.nanoTime();
        final long epochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        TrackerFileHeader.writeOwner(header, ProcessHandle.current().pid(), epochNanos - nanoTime, now.toEpochMilli());
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
     * Check that the file still has the length this writer mapped: a cheap {@code fstat}, for cold paths
     * (before an eviction sweep, a {@link #force()}, on a housekeeping thread). A file truncated under a
     * running writer (see the class Javadoc) is found here before a bulk write touches the pages that
     * are gone. Any thread, concurrently with the tracker's users; never on a hot path.
     *
     * @throws TrackerFileException {@code TRUNCATED} when the file is shorter than mapped, {@code IO}
     *                              when its length cannot be read.
     */
    public void checkLength()
    {
        final long length;
        try
        {
            length = lease.channel().size();
        }
        catch (final IOException ex)
        {
            throw new TrackerFileException(file, IO, "reading its length: " + ex, ex);
        }
        if (length < fileLength)
        {
            throw new TrackerFileException(file, TRUNCATED, "file is " + length + " bytes, but this writer mapped " +
                fileLength + ": it was truncated under the running writer. Stop using this tracker and close it; " +
                "then delete the file (its state past byte " + length + " is lost) or restore it, and restart");
        }
    }

    /**
     * Write the state to the storage device ({@code msync}), so that it survives a crash of the
     * machine as of this call. Not needed for a crash of the process. Slow: never on a hot path. Any
     * thread, concurrently with writers: what they write during the call may or may not be forced.
     *
     * @throws TrackerFileException {@code TRUNCATED} when the file was truncated under this writer
     *                              ({@link #checkLength()}).
     */
    public void force()
    {
        checkLength();
        headerMapping.force();
        stateMapping.force();
    }

    /**
     * Close the tracker (every later call on it throws {@link IllegalStateException}) and release the
     * write lock, so that another writer may open the file. Idempotent. The mappings are not unmapped:
     * as {@link RttTracker#close()} explains, a call already past its closed check must still find
     * valid memory, so the mappings are released by the garbage collector once unreachable. The
     * descriptor is closed once no {@link TrackerFileReader} of this process uses the file any more.
     * Stop the threads using the tracker before closing if another process is to reopen the file at
     * once: a call racing the close could still write one update after the next writer's restore. Any
     * thread, but not racing another open or close of the same file.
     *
     * @throws TrackerFileException {@code IO} when releasing the lock fails (the file is closed all the same).
     */
    @Override
    public void close()
    {
        tracker.close();
        lease.release();
    }
}
