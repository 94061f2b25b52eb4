package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.file.TrackerFile;
import ai.bytesandbrains.rtt.file.TrackerFileException;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Creates a tracker file holding a snapshot, all or nothing: the state is built in a temporary file
 * in the target's directory, forced to disk, and only then given the target's name. A refused
 * snapshot, a full disk or any other failure deletes the temporary file and leaves no file at the
 * target, so the same command can simply be run again. An existing file is never overwritten.
 *
 * <p>The name is given with a hard link, not a rename: {@code rename(2)} (what
 * {@link StandardCopyOption#ATOMIC_MOVE} does) silently replaces an existing target, whereas
 * {@code link(2)} is as atomic and fails if the target exists. On a file system without hard links it
 * falls back to an atomic rename after checking that the target is absent.
 */
final class NewTrackerFile
{
    private NewTrackerFile()
    {
    }

    /**
     * @param target   the file to create; must not exist.
     * @param config   its configuration.
     * @param snapshot the state to import into it (see {@code RttTracker.importSnapshot}).
     * @return the number of sites imported.
     * @throws TrackerFileException     {@code EXISTS} when the target exists, or another fault of the
     *                                  new file.
     * @throws IllegalArgumentException when the snapshot does not fit the configuration.
     * @throws UncheckedIOException     on an I/O error of the temporary file or the link.
     */
    static long write(final Path target, final RttTrackerConfig config, final RttTrackerSnapshot snapshot)
    {
        requireAbsent(target);
        final Path temporary = temporaryName(target);
        requireSpace(target, TrackerFile.fileLength(config));
        try
        {
            final long sites;
            try (TrackerFile file = TrackerFile.create(temporary, config))
            {
                file.tracker().importSnapshot(snapshot);
                sites = file.tracker().trackedSiteCount();
                file.force(); // on disk before it has its name: a crash never leaves a partial file there
            }
            publish(temporary, target);
            return sites;
        }
        finally
        {
            deleteQuietly(temporary); // after a link: the second name; after a failure: the only one
        }
    }

    private static void publish(final Path temporary, final Path target)
    {
        try
        {
            try
            {
                Files.createLink(target, temporary);
            }
            catch (final FileAlreadyExistsException ex)
            {
                throw exists(target);
            }
            catch (final UnsupportedOperationException | FileSystemException ex)
            {
                // No hard links on this file system: rename, which would replace a file created since the check.
                requireAbsent(target);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + target + ": " + Cli.describe(ex), ex);
        }
    }

    /**
     * The file is sparse and written through a mapping: a store into a page the disk has no room for
     * would kill the JVM (SIGBUS) rather than throw, so the room is checked first. Another writer can
     * still take the space in between; this catches the common case of a disk that is already full.
     */
    private static void requireSpace(final Path target, final long length)
    {
        try
        {
            final long usable = Files.getFileStore(target.toAbsolutePath().getParent()).getUsableSpace();
            if (usable < length)
            {
                throw new TrackerFileException(target, TrackerFileException.Reason.IO, "needs " + length +
                    " bytes but its file system has " + usable + " bytes free");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot check the free space for " + target + ": " + Cli.describe(ex), ex);
        }
    }

    /**
     * A fresh name beside the target. The file itself is made by {@link TrackerFile#create}, so it gets the
     * permissions any tracker file gets ({@link Files#createTempFile} would make it owner-only).
     */
    private static Path temporaryName(final Path target)
    {
        final Path directory = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory))
        {
            throw new TrackerFileException(target, TrackerFileException.Reason.MISSING, "directory " + directory +
                " does not exist");
        }
        Path temporary;
        do
        {
            temporary = directory.resolve("." + target.getFileName() + "." +
                Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        }
        while (Files.exists(temporary, LinkOption.NOFOLLOW_LINKS));
        return temporary;
    }

    private static void requireAbsent(final Path target)
    {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS))
        {
            throw exists(target);
        }
    }

    private static TrackerFileException exists(final Path target)
    {
        return new TrackerFileException(target, TrackerFileException.Reason.EXISTS,
            "refusing to overwrite it; choose a new file name or delete it first");
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignored)
        {
            // the outcome is already decided; a leftover temporary file is named .<target>.*.tmp
        }
    }
}
