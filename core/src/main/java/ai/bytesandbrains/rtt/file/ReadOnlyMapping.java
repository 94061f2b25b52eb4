package ai.bytesandbrains.rtt.file;

import org.agrona.concurrent.AtomicBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.CORRUPT;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.IO;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.NOT_READY;

/**
 * The file-handling steps of {@link TrackerFileReader}: read-only mappings, releasing a lease after a
 * failure, and the owner section checked. Static; any thread.
 */
final class ReadOnlyMapping
{
    private ReadOnlyMapping()
    {
    }

    /** Release the lease after a failure, keeping the failure first. */
    static RuntimeException released(final OpenFiles.Lease lease, final RuntimeException failure)
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

    /** Map a range read-only, naming what in a failure. */
    static MappedByteBuffer map(
        final Path file, final FileChannel channel, final String what, final long offset, final long length)
    {
        try
        {
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
        }
        catch (final IOException ex)
        {
            throw new TrackerFileException(file, IO, "mapping the " + what + ": " + ex, ex);
        }
    }

    /**
     * The owner section as a stable view (a seqlock read, never a write), checked.
     *
     * @throws TrackerFileException {@code NOT_READY} when a writer keeps rewriting it, {@code CORRUPT} for
     *                              values no writer stores.
     */
    static TrackerFileHeader.Owner checkedOwner(final Path file, final AtomicBuffer header)
    {
        final TrackerFileHeader.Owner owner = TrackerFileHeader.readOwner(header);
        if (owner == null)
        {
            throw new TrackerFileException(file, NOT_READY, "the owner section is being rewritten by a writer");
        }
        if (owner.pid() <= 0 || owner.openCount() < 1 || owner.openEpochMs() < 0)
        {
            // A stable view (the seqlock), so these are what the last writer left: no writer stores them.
            throw new TrackerFileException(file, CORRUPT, "owner section holds pid " + owner.pid() + ", open count " +
                owner.openCount() + ", open time " + owner.openEpochMs() + " ms");
        }
        return owner;
    }
}
