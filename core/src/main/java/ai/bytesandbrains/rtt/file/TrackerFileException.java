package ai.bytesandbrains.rtt.file;

import java.nio.file.Path;

/**
 * A tracker file that cannot be created, opened or read: the message names the file and what is wrong,
 * and {@link #reason()} says it in a form a program can test. Thrown at open time, never on the hot path.
 */
public final class TrackerFileException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** What is wrong with the file. */
    public enum Reason
    {
        /** No file at the path. */
        MISSING,
        /** Creation refused: the file exists and is not empty (it may hold data). */
        EXISTS,
        /** Shorter than its header says, or than a header. */
        TRUNCATED,
        /** Not a tracker file: wrong magic. */
        FOREIGN,
        /** Header not published yet: creation in progress, or interrupted before it finished. */
        NOT_READY,
        /** A layout version this code does not read. */
        WRONG_VERSION,
        /** Checksum mismatch, impossible header values, or tracker state that fails validation. */
        CORRUPT,
        /** The file's configuration differs from the one asked for. */
        CONFIG_MISMATCH,
        /** Another writer holds the file. */
        LOCKED,
        /** An I/O error from the operating system. */
        IO
    }

    private final transient Path file;
    /** What is wrong; serialised with the message. */
    private final Reason reason;

    /**
     * Any thread.
     *
     * @param file   the file.
     * @param reason what is wrong.
     * @param detail what was found.
     * @param cause  underlying exception, or {@code null}.
     */
    public TrackerFileException(final Path file, final Reason reason, final String detail, final Throwable cause)
    {
        super("tracker file " + file + ": " + reason.name().toLowerCase().replace('_', ' ') + ": " + detail, cause);
        this.file = file;
        this.reason = reason;
    }

    /**
     * Any thread.
     *
     * @param file   the file.
     * @param reason what is wrong.
     * @param detail what was found.
     */
    public TrackerFileException(final Path file, final Reason reason, final String detail)
    {
        this(file, reason, detail, null);
    }

    /**
     * Immutable; thread-safe.
     *
     * @return the file concerned.
     */
    public Path file()
    {
        return file;
    }

    /**
     * Immutable; thread-safe.
     *
     * @return what is wrong.
     */
    public Reason reason()
    {
        return reason;
    }
}
