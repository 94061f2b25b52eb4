package ai.bytesandbrains.rtt.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Whether this process holds a POSIX lock on a file, from Linux's {@code /proc/locks}: a check cheap
 * enough for every round of a race, where a child JVM per round would take minutes. Any thread.
 */
final class ProcLocks
{
    private static final Path PROC_LOCKS = Paths.get("/proc/locks");

    private ProcLocks()
    {
    }

    /** Skip the calling test where {@code /proc/locks} cannot be read. */
    static void assumeReadable()
    {
        assumeTrue(Files.isReadable(PROC_LOCKS), "needs Linux /proc/locks to see which process holds a lock");
    }

    /**
     * @param file a file.
     * @return {@code true} when this process holds a POSIX write lock on it.
     */
    static boolean heldByThisProcess(final Path file) throws IOException
    {
        final long inode = (Long)Files.getAttribute(file, "unix:ino");
        final String pid = Long.toString(ProcessHandle.current().pid());
        final List<String> lines = Files.readAllLines(PROC_LOCKS);
        for (final String line : lines)
        {
            // "1: POSIX  ADVISORY  WRITE 4242 fe:00:2155631 0 EOF": pid, then major:minor:inode
            final String[] fields = line.trim().split("\\s+");
            if (fields.length >= 6 && fields[1].equals("POSIX") && fields[3].equals("WRITE") &&
                fields[4].equals(pid) && fields[5].endsWith(":" + inode))
            {
                return true;
            }
        }
        return false;
    }
}
