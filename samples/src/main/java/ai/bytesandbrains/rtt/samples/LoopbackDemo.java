package ai.bytesandbrains.rtt.samples;

import ai.bytesandbrains.rtt.phi.PhiAccrual;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The loopback demo: four UDP servers on 127.0.0.1 and one client that runs the same workload twice,
 * with adaptive deadlines (bb-rtt) and with a static timeout, then prints the comparison and writes a
 * chart of the adaptive run. A 2-second warm-up run, not reported, comes first so that neither measured
 * run pays for JIT compilation. Every loop is bounded in time; the whole demo takes about
 * {@code 2 + 2 * (run + 1.5)} seconds. Options: {@code --help}. {@link #main} is the only place that
 * exits the JVM.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = DemoCli.Version.class,
    description = "Adaptive deadlines (bb-rtt) against a static timeout, on four UDP servers on 127.0.0.1.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:done", "1:the demo failed (reason on stderr)", "2:bad command line"})
public final class LoopbackDemo implements Callable<Integer>
{
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    @Spec
    private CommandSpec spec;

    @Option(names = "--run-seconds", paramLabel = "N", defaultValue = "12",
        description = "Length of each measured run, 4..50 s (default ${DEFAULT-VALUE}).")
    private long runSeconds;

    @Option(names = "--static-timeout-ms", paramLabel = "N", defaultValue = "25",
        description = "The static run's timeout, at least 1 ms (default ${DEFAULT-VALUE}).")
    private long staticTimeoutMs;

    @Option(names = "--min-budget-ms", paramLabel = "N", defaultValue = "5",
        description = "Floor of the adaptive deadline, at least 1 ms (default ${DEFAULT-VALUE}).")
    private long minBudgetMs;

    @Option(names = "--interval-us", paramLabel = "N", defaultValue = "2000",
        description = "Interval between requests to each server, at least 200 us (default ${DEFAULT-VALUE}).")
    private long intervalUs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
        description = "Directory for loopback-demo.png (default: the current directory).")
    private File out;

    /**
     * @param args see {@code --help}.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /**
     * @return the command line, to {@link CommandLine#execute} in-process; its exit status is returned.
     */
    public static CommandLine commandLine()
    {
        return DemoCli.configure(new CommandLine(new LoopbackDemo()));
    }

    private void require(final String option, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be in " + min + ".." + max +
                ", was " + value);
        }
    }

    /**
     * @return 0.
     * @throws IOException when a socket or the chart fails.
     */
    @Override
    public Integer call() throws IOException
    {
        require("--run-seconds", runSeconds, 4, 50);
        require("--static-timeout-ms", staticTimeoutMs, 1, 60_000);
        require("--min-budget-ms", minBudgetMs, 1, 60_000);
        require("--interval-us", intervalUs, 200, 1_000_000);
        final long runNs = runSeconds * SECOND;
        final long slowAtNs = runNs / 3;
        final long deathNs = runNs / 2;
        final List<String> names = List.of("steady", "heavy-tail", "slowing", "dying");
        final List<LatencyModel> models = List.of(
            LatencyModel.steady(1 * MS, 0.25),
            LatencyModel.steady(2 * MS, 0.6),
            LatencyModel.steady(1 * MS, 0.25).slowingAt(slowAtNs, 20 * MS, 0.3),
            LatencyModel.steady(1 * MS, 0.25).silentFrom(deathNs));

        System.out.printf("bb-rtt loopback demo: %d UDP servers on 127.0.0.1, one request per server every %d us,"
            + " %d s per run%n", names.size(), intervalUs, runSeconds);
        for (int i = 0; i < names.size(); i++)
        {
            System.out.printf("  %-10s %s%n", names.get(i), models.get(i).describe());
        }
        System.out.printf("adaptive: deadline = clamp(srtt + 4*rttvar, %d ms, 1 s), dead server by phi-accrual"
            + " (Suspect phi > 8, Down phi > 16)%n", minBudgetMs);
        System.out.printf("static:   deadline = %d ms, dead server by consecutive timeouts (Suspect at %d, Down at %d)%n%n",
            staticTimeoutMs, DemoRun.STATIC_SUSPECT_TIMEOUTS, DemoRun.STATIC_DOWN_TIMEOUTS);

        // Warm-up (not reported): JIT-compile the client and server loops so neither measured run pays for it.
        runOnce(names, models, seed + 1, 2 * SECOND, intervalUs * 1_000, true, staticTimeoutMs * MS, minBudgetMs * MS, null);

        final List<SeriesRecorder> recorders = new ArrayList<>();
        names.forEach(name -> recorders.add(new SeriesRecorder(name)));
        final RunResult adaptive = runOnce(names, models, seed, runNs, intervalUs * 1_000, true,
            staticTimeoutMs * MS, minBudgetMs * MS, recorders);
        final RunResult fixed = runOnce(names, models, seed, runNs, intervalUs * 1_000, false,
            staticTimeoutMs * MS, minBudgetMs * MS, null);

        printComparison(adaptive, fixed);

        if (!out.isDirectory() && !out.mkdirs())
        {
            throw new IOException("cannot create directory " + out);
        }
        final File chart = new File(out, "loopback-demo.png");
        ChartWriter.write(chart, recorders, names, staticTimeoutMs, runSeconds,
            PhiAccrual.DEFAULT_SUSPECT_PHI, PhiAccrual.DEFAULT_DOWN_PHI);
        System.out.println("\nchart: " + chart.getPath());
        return 0;
    }

    private static RunResult runOnce(
        final List<String> names, final List<LatencyModel> models, final long seed, final long runNs,
        final long intervalNs, final boolean adaptive, final long staticTimeoutNs, final long minBudgetNs,
        final List<SeriesRecorder> recorders) throws IOException
    {
        final long drainNs = 1_500 * MS;
        final long startNs = System.nanoTime() + 200 * MS;
        final List<DemoServer> servers = new ArrayList<>();
        try
        {
            for (int i = 0; i < names.size(); i++)
            {
                final DemoServer server = new DemoServer(
                    names.get(i), models.get(i), seed * 31 + i, startNs, startNs + runNs + drainNs + 5 * SECOND);
                servers.add(server);
                server.start();
            }
            while (System.nanoTime() < startNs)
            {
                Thread.onSpinWait();
            }
            return new DemoRun(servers, names.size() - 1, runNs, intervalNs, drainNs, adaptive, staticTimeoutNs,
                minBudgetNs, 1_000 * MS, recorders).run(startNs);
        }
        finally
        {
            for (final DemoServer server : servers)
            {
                server.close();
            }
        }
    }

    private static void printComparison(final RunResult a, final RunResult s)
    {
        System.out.printf("%-46s %16s %16s%n", "", "adaptive", "static");
        row("requests sent", a.sent, s.sent);
        row("answered before the deadline", a.answeredInTime, s.answeredInTime);
        row("timed out", a.timedOut, s.timedOut);
        row("false timeouts (answer came later)", a.falseTimeouts, s.falseTimeouts);
        System.out.printf("%-46s %16s %16s%n", "time spent waiting on failed requests (s)",
            seconds(a.waitOnFailedNs), seconds(s.waitOnFailedNs));
        System.out.printf("%-46s %16s %16s%n", "  of which on the dead server (s)",
            seconds(a.waitOnDeadServerNs), seconds(s.waitOnDeadServerNs));
        System.out.printf("%-46s %16s %16s%n", "answered latency p50 / p99 / p999 (ms)",
            percentiles(a.answeredNs), percentiles(s.answeredNs));
        System.out.printf("%-46s %16s %16s%n", "wait until outcome p50 / p99 / p999 (ms)",
            percentiles(a.outcomeNs), percentiles(s.outcomeNs));
        System.out.printf("%-46s %16s %16s%n", "dead server reported Suspect after (ms)",
            millis(a.suspectAfterNs), millis(s.suspectAfterNs));
        System.out.printf("%-46s %16s %16s%n", "dead server reported Down after (ms)",
            millis(a.downAfterNs), millis(s.downAfterNs));
        System.out.printf("%-46s %16s %16s%n", "live servers reported Suspect / Down",
            a.falseSuspects + " / " + a.falseDowns, s.falseSuspects + " / " + s.falseDowns);
        if (!a.falseReports.isEmpty())
        {
            System.out.println("  adaptive:" + a.falseReports);
        }
        if (!s.falseReports.isEmpty())
        {
            System.out.println("  static:" + (s.falseReports.length() > 300 ? s.falseReports.substring(0, 300) + " ..." : s.falseReports));
        }
    }

    private static void row(final String label, final long adaptive, final long fixed)
    {
        System.out.printf("%-46s %16d %16d%n", label, adaptive, fixed);
    }

    private static String seconds(final long ns)
    {
        return String.format("%.2f", ns / 1e9);
    }

    private static String millis(final long ns)
    {
        return ns < 0 ? "never" : String.format("%.0f", ns / 1e6);
    }

    private static String percentiles(final org.HdrHistogram.Histogram histogram)
    {
        if (histogram.getTotalCount() == 0)
        {
            return "-";
        }
        return String.format("%.1f/%.1f/%.1f", histogram.getValueAtPercentile(50) / 1e6,
            histogram.getValueAtPercentile(99) / 1e6, histogram.getValueAtPercentile(99.9) / 1e6);
    }
}
