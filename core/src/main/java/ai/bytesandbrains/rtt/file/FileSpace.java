package ai.bytesandbrains.rtt.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.IO;

/**
 * Gives a file its blocks before it is mapped. A mapped page the file system cannot back (a hole on a
 * full disk, a page past the end of the file) is not an error the JVM can throw: the store that touches
 * it gets {@code SIGBUS}, and the JVM dies. A file extended by one write at its end is sparse, so its
 * first zeroing through the mapping fails that way on a full disk. Writing the zeros through the
 * channel instead makes the file system allocate every block now, and report a lack of space as an
 * ordinary {@link IOException}; the {@code force} carries the allocation to the device, which brings out
 * the errors some file systems (network ones) report only on write-back. Plain JDK 17 has no
 * {@code fallocate}; writing zeros is the portable equivalent. Copy-on-write or compressing file
 * systems may still store zero blocks as holes and fail on a later write-back: keep such files on a
 * file system with room to spare.
 */
final class FileSpace
{
    /** Bytes of zeros per write. */
    private static final int CHUNK = 1 << 20;
    /** The unit a file system allocates (or leaves as a hole) on every platform this runs on. */
    private static final int PAGE = 4096;

    private FileSpace()
    {
    }

    /**
     * Write zeros over {@code [0, length)} of an empty file and force them to the device. Cold; any
     * thread, with the file held by this writer.
     *
     * @param file    for messages and the file system's free space.
     * @param channel the file's channel, open for writing.
     * @param length  the bytes to allocate.
     * @throws TrackerFileException {@code IO} naming the bytes needed and the bytes the file system had
     *                              available before; the caller removes the partial file.
     */
    static void allocate(final Path file, final FileChannel channel, final long length)
    {
        final long available = usableSpace(file);
        final ByteBuffer zeros = ByteBuffer.allocateDirect((int)Math.min(CHUNK, length));
        try
        {
            long position = 0;
            while (position < length)
            {
                zeros.clear().limit((int)Math.min(zeros.capacity(), length - position));
                while (zeros.hasRemaining())
                {
                    position += channel.write(zeros, position);
                }
            }
            channel.force(false); // the blocks, not the timestamps
        }
        catch (final IOException ex)
        {
            throw new TrackerFileException(file, IO, "cannot allocate the " + length + " bytes it needs (" +
                (available < 0 ? "free space unknown" : available + " bytes were available on its file system") +
                "): " + ex, ex);
        }
    }

    /**
     * Give an existing file's holes their blocks before it is mapped for writing, when its file system
     * may lack room for them: a file copied sparse ({@code cp --sparse=always}, {@code rsync -S}, an
     * archive) has holes where its state is zero, and the first store into one on a full disk would
     * kill the JVM. With at least the file's length free there is room for any hole, and nothing is
     * done. Otherwise every run of zero pages is written back as zeros (allocating it if it was a hole,
     * changing nothing a reader can see); the content is never changed. Cold; any thread, with the file
     * held by this writer, before it is mapped for writing.
     *
     * @param file    for messages and the file system's free space.
     * @param channel the file's channel, open for reading and writing.
     * @param length  the bytes of the file that will be mapped.
     * @throws TrackerFileException {@code IO} when the file system has no room for the holes.
     */
    static void fillHoles(final Path file, final FileChannel channel, final long length)
    {
        final long available = usableSpace(file);
        if (available < 0 || available >= length)
        {
            return;
        }
        final ByteBuffer chunk = ByteBuffer.allocateDirect((int)Math.min(CHUNK, length));
        final ByteBuffer zeros = ByteBuffer.allocateDirect((int)Math.min(CHUNK, length));
        try
        {
            for (long start = 0; start < length; start += chunk.capacity())
            {
                chunk.clear().limit((int)Math.min(chunk.capacity(), length - start));
                while (chunk.hasRemaining() && channel.read(chunk, start + chunk.position()) >= 0)
                {
                    // read the whole chunk: a short read only means "call again"
                }
                writeZeroRuns(channel, chunk, start, zeros);
            }
            channel.force(false);
        }
        catch (final IOException ex)
        {
            throw new TrackerFileException(file, IO, "the file may have unallocated holes (a sparse copy) and its file " +
                "system has " + available + " bytes available for its " + length + ": giving the holes their blocks " +
                "failed, so it is not opened for writing (a store into a hole would kill the JVM): " + ex, ex);
        }
    }

    /** Write zeros over every run of all-zero pages of the chunk read at {@code start}. */
    private static void writeZeroRuns(
        final FileChannel channel, final ByteBuffer chunk, final long start, final ByteBuffer zeros) throws IOException
    {
        final int end = chunk.position(); // chunks start on page boundaries: CHUNK is a multiple of PAGE
        int runStart = -1;
        for (int page = 0; page < end; page += PAGE)
        {
            if (isZero(chunk, page, Math.min(page + PAGE, end)))
            {
                runStart = runStart < 0 ? page : runStart;
            }
            else if (runStart >= 0)
            {
                writeZeros(channel, zeros, start + runStart, page - runStart);
                runStart = -1;
            }
        }
        if (runStart >= 0)
        {
            writeZeros(channel, zeros, start + runStart, end - runStart);
        }
    }

    private static void writeZeros(final FileChannel channel, final ByteBuffer zeros, final long position, final int length)
        throws IOException
    {
        zeros.clear().limit(length);
        long at = position;
        while (zeros.hasRemaining())
        {
            at += channel.write(zeros, at);
        }
    }

    private static boolean isZero(final ByteBuffer bytes, final int from, final int to)
    {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES)
        {
            if (bytes.getLong(i) != 0)
            {
                return false;
            }
        }
        for (; i < to; i++)
        {
            if (bytes.get(i) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static long usableSpace(final Path file)
    {
        try
        {
            return Files.getFileStore(file).getUsableSpace();
        }
        catch (final IOException | SecurityException ex)
        {
            return -1; // only for the message
        }
    }
}
