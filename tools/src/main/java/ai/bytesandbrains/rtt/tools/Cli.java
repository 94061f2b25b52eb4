package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.file.TrackerFileException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * How rtt-stat reports failure. Exit status 0 done; 1 the command could not be done (a missing,
 * locked or corrupt file, an invalid snapshot, a migration that would lose data, an I/O error), with a
 * one-line reason on stderr; 2 the command line is wrong, with a one-line reason. No stack trace
 * unless the failure is a bug.
 */
final class Cli
{
    /** Exit status when the command could not be done. */
    static final int FAILED = 1;

    private Cli()
    {
    }

    /**
     * @param commandLine a command line.
     * @return it, with the error handling above and case-insensitive option values.
     */
    static CommandLine configure(final CommandLine commandLine)
    {
        return commandLine
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler(Cli::usageError)
            .setExecutionExceptionHandler(Cli::failure);
    }

    private static int usageError(final CommandLine.ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage()) +
            " (see --help)");
        commandLine.getErr().flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int failure(final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parsed)
    {
        final String reason = reason(ex);
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " +
            (reason != null ? reason : "internal error: " + ex));
        if (reason == null)
        {
            ex.printStackTrace(commandLine.getErr()); // a bug, not bad input: keep what is needed to fix it
        }
        commandLine.getErr().flush();
        return FAILED;
    }

    /** The one-line reason of an expected failure, or {@code null} for a bug. */
    private static String reason(final Exception ex)
    {
        if (ex instanceof TrackerFileException || ex instanceof IllegalArgumentException)
        {
            return oneLine(ex.getMessage());
        }
        if (ex instanceof UncheckedIOException unchecked)
        {
            return oneLine(unchecked.getMessage());
        }
        if (ex instanceof IOException io)
        {
            return describe(io);
        }
        return null;
    }

    /**
     * @param ex an I/O error.
     * @return what went wrong with which file, in words.
     */
    static String describe(final IOException ex)
    {
        if (ex instanceof NoSuchFileException missing)
        {
            return missing.getFile() + ": no such file";
        }
        if (ex instanceof AccessDeniedException denied)
        {
            return denied.getFile() + ": permission denied";
        }
        if (ex instanceof FileAlreadyExistsException exists)
        {
            return exists.getFile() + ": exists";
        }
        return oneLine(ex.toString());
    }

    private static String oneLine(final String message)
    {
        return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
