package ai.bytesandbrains.rtt.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test main class with this JVM's classpath and the Agrona flag, so tests can
 * use two real processes (restart, lock, kill -9). Shared with other modules' tests through core's
 * test jar. Not thread-safe: one test thread drives a child.
 */
public final class ChildJvm implements AutoCloseable
{
    private final Process process;
    private final BufferedReader out;

    private ChildJvm(final Process process)
    {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * @param main a class with a main method on this JVM's classpath.
     * @param args its arguments.
     * @return the running child, its stdout and stderr merged.
     * @throws IOException when the process cannot start.
     */
    public static ChildJvm start(final Class<?> main, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-Xmx64m");
        command.add("-XX:TieredStopAtLevel=1"); // start fast: these children run for a second at most
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /**
     * @param expected a line the child prints when ready.
     * @return every line read up to it.
     */
    public String awaitLine(final String expected) throws IOException
    {
        final StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null)
        {
            seen.append(line).append('\n');
            if (line.equals(expected))
            {
                return seen.toString();
            }
        }
        throw new IllegalStateException("child exited before printing " + expected + ":\n" + seen);
    }

    /**
     * @return exit code after the child ends on its own, and its remaining output appended to the message on failure.
     */
    public int awaitExit(final long timeoutSeconds) throws IOException, InterruptedException
    {
        final String rest = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException("child did not exit in " + timeoutSeconds + " s: " + rest);
        }
        if (process.exitValue() != 0)
        {
            throw new IllegalStateException("child exited with " + process.exitValue() + ": " + rest);
        }
        return process.exitValue();
    }

    /** kill -9: Process.destroyForcibly sends SIGKILL on Linux. */
    public void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * @return everything the child prints until it exits, and its exit status.
     */
    public Result finish(final long timeoutSeconds) throws IOException, InterruptedException
    {
        final String all = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException("child did not exit in " + timeoutSeconds + " s: " + all);
        }
        return new Result(process.exitValue(), all);
    }

    /**
     * @param exitCode the child's exit status.
     * @param output   everything it printed.
     */
    public record Result(int exitCode, String output)
    {
    }

    /**
     * @return the child's process id.
     */
    public long pid()
    {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            kill();
        }
    }
}
