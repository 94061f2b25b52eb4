package ai.bytesandbrains.rtt.samples;

import ai.bytesandbrains.rtt.phi.PhiAccrual;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The loopback demo: four UDP servers on 127.0.0.1 and one client that runs the same workload twice,
 * with adaptive deadlines (bb-rtt) and with a static timeout, then prints the comparison and writes a
 * chart of the adaptive run. A 2-second warm-up run, not reported, comes first so that neither measured
 * run pays for JIT compilation. Every loop is bounded in time; the whole demo takes about
 * {@code 2 + 2 * (run + 1.5)} seconds.
 *
 * <p>Arguments: {@code --run-seconds N} (default 12), {@code --static-timeout-ms N} (default 25),
 * {@code --min-budget-ms N} (default 5), {@code --interval-us N} per server (default 2000),
 * {@code --seed N} (default 42), {@code --out DIR} (default samples/target).
 */
public final class LoopbackDemo
{
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private LoopbackDemo()
    {
    }

    /**
     * @param args see the class Javadoc.
     * @throws Exception when a socket or the chart fails.
     */
    public static void main(final String[] args) throws Exception
    {
        long runSeconds = 12;
        long staticTimeoutMs = 25;
        long minBudgetMs = 5;
        long intervalUs = 2_000;
        long seed = 42;
        String out = "samples/target";
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--run-seconds" -> runSeconds = Math.max(4, Math.min(50, Long.parseLong(args[i + 1])));
                case "--static-timeout-ms" -> staticTimeoutMs = Long.parseLong(args[i + 1]);
                case "--min-budget-ms" -> minBudgetMs = Long.parseLong(args[i + 1]);
                case "--interval-us" -> intervalUs = Math.max(200, Long.parseLong(args[i + 1]));
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--out" -> out = args[i + 1];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
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

        final File dir = new File(out);
        if (!dir.isDirectory() && !dir.mkdirs())
        {
            throw new IOException("cannot create " + dir);
        }
        final File chart = new File(dir, "loopback-demo.png");
        ChartWriter.write(chart, recorders, names, staticTimeoutMs, runSeconds,
            PhiAccrual.DEFAULT_SUSPECT_PHI, PhiAccrual.DEFAULT_DOWN_PHI);
        System.out.println("\nchart: " + chart.getPath());
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
