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
