package ai.bytesandbrains.rtt.file;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.IO;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.LOCKED;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.MISSING;

/**
 * The descriptors this process holds on tracker files: one shared set per file, and the one-writer claim.
 *
 * <h2>Why</h2>
 * The write lock is a POSIX record lock ({@code fcntl}, what {@link FileChannel#tryLock()} takes on Linux
 * and macOS). It belongs to the process and the file, and closing <em>any</em> descriptor of the file in
 * the process releases it, whichever descriptor took it. A reader's close, or a refused second open,
 * would silently free the writer's lock for another process. So no descriptor of a tracker file is
 * closed here while a writer of this process holds or is taking its lock.
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li>Files are told apart by identity: device and inode ({@link BasicFileAttributes#fileKey()}), so
 *   the same file reached through a symbolic link, a linked directory or a hard link is one file. Where
 *   the file system gives no file key, the real path ({@link Path#toRealPath}) stands in for it (hard
 *   links then look like different files).</li>
 *   <li>Every open and release runs under one monitor (opens are cold and short): a claim and the open
 *   of its descriptor are one step, so no reader or second writer of this process can open and close a
 *   descriptor of a file whose writer is taking its lock.</li>
 *   <li>All users of one file (writer and readers) share its {@link Handle}: at most one read-only and one
 *   read-write descriptor. A user that finds the handle opens nothing (a writer opens the read-write
 *   descriptor if only readers were there). The handle's descriptors are closed together when its last
 *   user leaves, so never while a writer of this process uses the file. A writer leaving early releases
 *   the lock explicitly and leaves its descriptor to the handle.</li>
 *   <li>Identity is resolved without trusting one look: the path's identity is read, the file opened,
 *   and the identity read again; the descriptor is trusted only when both agree. When they differ the
 *   path was replaced during the open, the descriptor's file is unknown, and it is kept open (a
 *   stray) until no writer of this process remains, then closed; the open is retried. A descriptor
 *   made by {@link StandardOpenOption#CREATE_NEW} is a new file that nothing else in this process has
 *   open, so it may be closed at once.</li>
 * </ul>
 * The residual window: a path replaced and put back (two renames) between the two reads of its
 * identity, in the microseconds an open takes, passes the check with a descriptor of the other file;
 * and a process that does not go through this class (another library, a shell script holding a
 * descriptor) can still drop the lock by closing its own descriptor of the file.
 *
 * <p>Thread safety: every static method and {@link Lease#release()} may be called from any thread; the
 * monitor serialises them.
 */
final class OpenFiles
{
    /** Attempts to open a path that keeps being replaced while it is opened. */
    private static final int OPEN_ATTEMPTS = 5;
    /** Links followed to find where to create a file, as the kernel's limit. */
    private static final int MAX_LINK_DEPTH = 40;

    /** Guards every field below and every {@link Handle}; opens are cold, so one monitor for all. */
    private static final Object MONITOR = new Object();
    private static final Map<Object, Handle> HANDLES = new HashMap<>();
    /** Descriptors of unknown file, kept open while any writer of this process exists. */
    private static final List<FileChannel> STRAYS = new ArrayList<>();
    private static int writers;

    private OpenFiles()
    {
    }

    /** The descriptors of one file shared by its users in this process; fields guarded by {@link #MONITOR}. */
    private static final class Handle
    {
        private final Object identity;
        private FileChannel readOnly;
        private FileChannel readWrite;
        private int users;
        private Path writerPath; // the path the writer opened it by, or null when there is no writer

        private Handle(final Object identity)
        {
            this.identity = identity;
        }
    }

    /** One user's share of a {@link Handle}: the channel to map through, and the lock for a writer. */
    static final class Lease
    {
        private final Path file;
        private final Handle handle;
        private final FileChannel channel;
        private final boolean writer;
        private final Path created; // the file this open created (a link's target), or null
        private FileLock lock; // guarded by MONITOR
        private boolean released; // guarded by MONITOR

        private Lease(
            final Path file, final Handle handle, final FileChannel channel, final boolean writer, final Path created)
        {
            this.file = file;
            this.handle = handle;
            this.channel = channel;
            this.writer = writer;
            this.created = created;
        }

        /**
         * Immutable; any thread.
         *
         * @return the channel to map through: read-write for a writer, either kind for a reader. Never to
         * be closed by the caller.
         */
        FileChannel channel()
        {
            return channel;
        }

        /**
         * Immutable; any thread.
         *
         * @return {@code true} when this open created the file (it did not exist before).
         */
        boolean created()
        {
            return created != null;
        }

        /**
         * Delete the file this writer created, while still holding its lock (so no other process can
         * have taken it), and only if the path still names it. Any thread, before {@link #release()}.
         *
         * @return {@code true} when the file was deleted.
         */
        boolean deleteCreatedFile()
        {
            synchronized (MONITOR)
            {
                if (created == null || released || lock == null)
                {
                    return false;
                }
                try
                {
                    if (handle.identity.equals(identityOf(created)))
                    {
                        Files.delete(created);
                        return true;
                    }
                }
                catch (final IOException | RuntimeException ignored)
                {
                    // the caller is already failing with the better exception; the file is left empty
                }
                return false;
            }
        }

        /**
         * Leave the file: a writer releases its lock; the handle's descriptors are closed when this was
         * its last user. Idempotent; any thread.
         *
         * @throws TrackerFileException {@code IO} when releasing the lock or closing fails (the lease is
         *                              released all the same).
         */
        void release()
        {
            synchronized (MONITOR)
            {
                if (released)
                {
                    return;
                }
                released = true;
                IOException failure = null;
                if (lock != null)
                {
                    try
                    {
                        lock.release(); // explicitly: the descriptor may outlive this writer, with readers
                    }
                    catch (final IOException ex)
                    {
                        failure = ex;
                    }
                }
                if (writer)
                {
                    endWriterClaim(handle);
                }
                failure = leave(handle, failure);
                if (failure != null)
                {
                    throw new TrackerFileException(file, IO, "closing: " + failure, failure);
                }
            }
        }
    }

    /**
     * Share the descriptors of a file for reading. Opens a read-only descriptor only when no user of
     * this process has the file open. Any thread.
     *
     * @param file the file.
     * @return the lease; release it when done.
     * @throws TrackerFileException {@code MISSING} or {@code IO}.
     */
    static Lease openForReading(final Path file)
    {
        synchronized (MONITOR)
        {
            for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++)
            {
                final Object identity = identityOf(file);
                if (identity == null)
                {
                    throw missing(file);
                }
                final Handle existing = HANDLES.get(identity);
                if (existing != null)
                {
                    existing.users++;
                    final FileChannel shared = existing.readWrite != null ? existing.readWrite : existing.readOnly;
                    return new Lease(file, existing, shared, false, null);
                }
                final FileChannel channel = openVerified(file, identity, StandardOpenOption.READ);
                if (channel != null)
                {
                    final Handle handle = new Handle(identity);
                    handle.readOnly = channel;
                    handle.users = 1;
                    HANDLES.put(identity, handle);
                    return new Lease(file, handle, channel, false, null);
                }
            }
            throw replaced(file);
        }
    }

    /**
     * Claim a file for this process's one writer and take its exclusive lock, atomically with respect
     * to every other open of this process. Any thread.
     *
     * @param file   the file.
     * @param create create the file when absent.
     * @return the lease, locked; release it when done.
     * @throws TrackerFileException {@code LOCKED} when a writer of this or another process holds it,
     *                              {@code MISSING} (absent and not to be created) or {@code IO}.
     */
    static Lease openForWriting(final Path file, final boolean create)
    {
        synchronized (MONITOR)
        {
            final Lease lease = claim(file, create);
            try
            {
                lease.lock = lease.channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                lease.lock = null; // a lock of this JVM taken outside this class
            }
            catch (final IOException ex)
            {
                throw released(lease, new TrackerFileException(file, IO, "locking: " + ex, ex));
            }
            if (lease.lock == null)
            {
                throw released(lease, new TrackerFileException(file, LOCKED, "already open for writing by another " +
                    "TrackerFile" + ownerOf(lease.channel) + "; one writer at a time"));
            }
            return lease;
        }
    }

    /** @return the failure, after leaving the claim (no lock of this process to drop: none was taken). */
    private static TrackerFileException released(final Lease lease, final TrackerFileException failure)
    {
        try
        {
            lease.release();
        }
        catch (final TrackerFileException ex)
        {
            failure.addSuppressed(ex);
        }
        return failure;
    }

    private static Lease claim(final Path file, final boolean create)
    {
        for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++)
        {
            final Object identity = identityOf(file);
            if (identity == null)
            {
                if (!create)
                {
                    throw missing(file);
                }
                final Lease created = createNew(file);
                if (created != null)
                {
                    return created;
                }
                continue;
            }
            Handle handle = HANDLES.get(identity);
            if (handle != null && handle.writerPath != null)
            {
                final String alias = handle.writerPath.equals(file) ? "" : " (opened as " + handle.writerPath + ")";
                throw new TrackerFileException(file, LOCKED,
                    "already open for writing by another TrackerFile in this process" + alias + "; one writer at a time");
            }
            FileChannel channel = handle == null ? null : handle.readWrite;
            if (channel == null)
            {
                channel = openVerified(file, identity, StandardOpenOption.READ, StandardOpenOption.WRITE);
                if (channel == null)
                {
                    continue;
                }
                if (handle == null)
                {
                    handle = new Handle(identity);
                    HANDLES.put(identity, handle);
                }
                handle.readWrite = channel;
            }
            return startWriterClaim(file, handle, null);
        }
        throw replaced(file);
    }

    /** @return the claim on a file this call created, or {@code null} when the path changed: try again. */
    private static Lease createNew(final Path file)
    {
        final FileChannel channel;
        Path target = file;
        try
        {
            target = linkTarget(file); // CREATE_NEW does not follow a link, even one to nothing
            channel = FileChannel.open(
                target, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        catch (final FileAlreadyExistsException ex)
        {
            return null; // created by someone else since the look: open it as an existing file
        }
        catch (final NoSuchFileException ex)
        {
            throw missing(file, target);
        }
        catch (final IOException ex)
        {
            throw new TrackerFileException(file, IO, ex.toString(), ex);
        }
        final Object identity;
        try
        {
            identity = identityOf(file);
        }
        catch (final TrackerFileException ex)
        {
            closeQuietly(channel); // a new file nothing else in this process has open
            throw ex;
        }
        if (identity == null || HANDLES.containsKey(identity))
        {
            // The path no longer names the new file (a handle's file is held open, so it cannot be the
            // new one). The new file is open nowhere else in this process: closing it is safe.
            closeQuietly(channel);
            return null;
        }
        final Handle handle = new Handle(identity);
        handle.readWrite = channel;
        HANDLES.put(identity, handle);
        return startWriterClaim(file, handle, target);
    }

    /** @return the path a chain of symbolic links ends at (the path itself when it is no link). */
    private static Path linkTarget(final Path file) throws IOException
    {
        Path target = file;
        for (int depth = 0; depth < MAX_LINK_DEPTH && Files.isSymbolicLink(target); depth++)
        {
            target = target.resolveSibling(Files.readSymbolicLink(target));
        }
        return target;
    }

    private static Lease startWriterClaim(final Path file, final Handle handle, final Path created)
    {
        handle.users++;
        handle.writerPath = file;
        writers++;
        return new Lease(file, handle, handle.readWrite, true, created);
    }

    private static void endWriterClaim(final Handle handle)
    {
        handle.writerPath = null;
        if (--writers == 0)
        {
            for (final FileChannel stray : STRAYS)
            {
                closeQuietly(stray); // no writer left in this process: no lock to drop
            }
            STRAYS.clear();
        }
    }

    private static IOException leave(final Handle handle, final IOException earlier)
    {
        IOException failure = earlier;
        if (--handle.users == 0)
        {
            HANDLES.remove(handle.identity);
            failure = close(handle.readWrite, failure); // the last user: no writer of this process remains
            failure = close(handle.readOnly, failure);
        }
        return failure;
    }

    /**
     * Open the path and check that it still names the file whose identity was read before the open.
     *
     * @return the channel, or {@code null} when the path changed during the open (try again).
     */
    private static FileChannel openVerified(final Path file, final Object identity, final StandardOpenOption... options)
    {
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(file, options);
        }
        catch (final NoSuchFileException ex)
        {
            return null; // removed since the look: the next look tells
        }
        catch (final IOException ex)
        {
            throw new TrackerFileException(file, IO, ex.toString(), ex);
        }
        final Object after;
        try
        {
            after = identityOf(file);
        }
        catch (final TrackerFileException ex)
        {
            stray(channel);
            throw ex;
        }
        if (!identity.equals(after))
        {
            stray(channel);
            return null;
        }
        return channel;
    }

    /** A descriptor of unknown file: closing it could drop a writer's lock while one exists. */
    private static void stray(final FileChannel channel)
    {
        if (writers == 0)
        {
            closeQuietly(channel);
        }
        else
        {
            STRAYS.add(channel);
        }
    }

    /**
     * @return the identity of the file the path names (links followed), or {@code null} when absent.
     * @throws TrackerFileException {@code IO} when it cannot be read.
     */
    private static Object identityOf(final Path file)
    {
        try
        {
            final Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key != null ? key : file.toRealPath().toString();
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            throw new TrackerFileException(file, IO, ex.toString(), ex);
        }
    }

    /** @return the refusal of a missing file, naming the missing parent directory when that is what is missing. */
    private static TrackerFileException missing(final Path file)
    {
        return missing(file, file);
    }

    private static TrackerFileException missing(final Path file, final Path target)
    {
        final Path parent = target.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent))
        {
            return new TrackerFileException(file, MISSING, "the parent directory " + parent + " does not exist");
        }
        return new TrackerFileException(file, MISSING, "no such file");
    }

    private static TrackerFileException replaced(final Path file)
    {
        return new TrackerFileException(file, IO, "the path was replaced by another file during each of " +
            OPEN_ATTEMPTS + " attempts to open it");
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

    private static IOException close(final FileChannel channel, final IOException earlier)
    {
        if (channel == null)
        {
            return earlier;
        }
        try
        {
            channel.close();
            return earlier;
        }
        catch (final IOException ex)
        {
            return earlier != null ? earlier : ex;
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        close(channel, null);
    }

    /** For tests: the number of files this process has open through this class. Any thread. */
    static int openFileCount()
    {
        synchronized (MONITOR)
        {
            return HANDLES.size();
        }
    }
}
