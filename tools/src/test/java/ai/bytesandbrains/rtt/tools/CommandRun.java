package ai.bytesandbrains.rtt.tools;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of rtt-stat, as {@code java -jar rtt-stat.jar ARGS} would do it, with what it
 * printed.
 *
 * @param exitCode the exit status main would exit with.
 * @param out      standard output.
 * @param err      standard error.
 */
record CommandRun(int exitCode, String out, String err)
{
    static CommandRun of(final String... args)
    {
        final CommandLine commandLine = RttStat.commandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exitCode = commandLine.execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }

    /** @return whether stderr is exactly one line, with no stack trace. */
    boolean oneLineError()
    {
        return err.strip().lines().count() == 1 && !err.contains("\tat ");
    }
}
