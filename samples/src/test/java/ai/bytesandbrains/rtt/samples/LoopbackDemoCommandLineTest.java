package ai.bytesandbrains.rtt.samples;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's command line: errors are one line with exit status 2, before any socket is opened. */
class LoopbackDemoCommandLineTest
{
    private record Run(int exitCode, String out, String err)
    {
    }

    private static Run run(final String... args)
    {
        final CommandLine commandLine = LoopbackDemo.commandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Run(commandLine.execute(args), out.toString(), err.toString());
    }

    private static void assertUsageError(final Run run, final String reason)
    {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("demo: ").contains(reason).doesNotContain("\tat ");
        assertThat(run.err().strip().lines()).hasSize(1);
    }

    @Test
    void shouldRefuseANonNumberInOneLine()
    {
        assertUsageError(run("--run-seconds", "abc"), "'abc' is not a long");
        assertUsageError(run("--seed=x"), "'x' is not a long");
    }

    @Test
    void shouldRefuseAValueOutOfRangeInsteadOfClampingIt()
    {
        assertUsageError(run("--run-seconds", "3"), "--run-seconds must be in 4..50, was 3");
        assertUsageError(run("--interval-us=100"), "--interval-us must be in 200..");
        assertUsageError(run("--static-timeout-ms", "0"), "--static-timeout-ms must be in 1..");
    }

    @Test
    void shouldRefuseUnknownAndUnpairedArguments()
    {
        assertUsageError(run("--colour", "red"), "Unknown option");
        assertUsageError(run("--seed"), "Missing required parameter for option '--seed'");
        assertUsageError(run("stray"), "Unmatched argument");
    }

    @Test
    void shouldPrintHelpAndVersion()
    {
        final Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--run-seconds=N", "--static-timeout-ms=N", "--out=DIR");
        final Run version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("bb-rtt loopback demo 0.");
    }
}
