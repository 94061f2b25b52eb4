package ai.bytesandbrains.rtt.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints, as Markdown, a JMH JSON result file as a comparison: one row per operation, core against each
 * baseline (score ± error, the ratio core / baseline, B/op), then the project's targets and core's
 * allocation check. Usage: {@code java -cp benchmarks.jar ai.bytesandbrains.rtt.report.ResultsTable result.json}.
 */
public final class ResultsTable
{
    private static final String CORE = "core";
    private static final String SYNC = "synchronized";
    private static final String ATOMIC = "atomicref";
    private static final String FLOOR = "AtomicFloorBenchmark.observeFloor";

    private ResultsTable()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 1)
        {
            System.err.println("usage: ResultsTable <jmh-result.json>");
            System.exit(2);
        }
        System.out.print(render(JmhResult.read(Path.of(args[0]))));
    }

    /**
     * @param results parsed results.
     * @return the Markdown report.
     */
    public static String render(final List<JmhResult> results)
    {
        final Map<String, Map<String, JmhResult>> rows = new LinkedHashMap<>();
        for (final JmhResult r : results)
        {
            rows.computeIfAbsent(r.rowKey(), k -> new LinkedHashMap<>()).put(r.impl(), r);
        }
        final String unit = results.isEmpty() ? "" : results.get(0).unit();
        final StringBuilder out = new StringBuilder();
        out.append("Scores are throughput in ").append(unit)
            .append(" (higher is better; for threaded runs, the total over all threads; scan is per site visited); ")
            .append("± is JMH's 99.9% error; ratio = core / baseline; B/op is gc.alloc.rate.norm.\n\n");
        out.append("| operation | threads | core | synchronized | core/sync | atomicref | core/atomicref | B/op core | B/op sync | B/op atomicref |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (final Map.Entry<String, Map<String, JmhResult>> row : rows.entrySet())
        {
            final Map<String, JmhResult> byImpl = row.getValue();
            final JmhResult core = byImpl.containsKey(CORE) ? byImpl.get(CORE) : byImpl.get("-");
            final JmhResult sync = byImpl.get(SYNC);
            final JmhResult atomic = byImpl.get(ATOMIC);
            final JmhResult any = core != null ? core : sync != null ? sync : atomic;
            out.append("| ").append(row.getKey().startsWith("AtomicFloor") ? row.getKey() + " (floor, no tracker)" : row.getKey())
                .append(" | ").append(any.threads())
                .append(" | ").append(score(core)).append(any.unit().equals(unit) ? "" : " " + any.unit())
                .append(" | ").append(score(sync))
                .append(" | ").append(ratio(core, sync))
                .append(" | ").append(score(atomic))
                .append(" | ").append(ratio(core, atomic))
                .append(" | ").append(bytes(core))
                .append(" | ").append(bytes(sync))
                .append(" | ").append(bytes(atomic))
                .append(" |\n");
        }
        out.append('\n').append(targets(rows)).append('\n').append(allocation(rows));
        return out.toString();
    }

    private static String targets(final Map<String, Map<String, JmhResult>> rows)
    {
        final List<String[]> lines = new ArrayList<>();
        final JmhResult observeCore = get(rows, "ObserveBenchmark.observeWithChain", CORE);
        final JmhResult observeSync = get(rows, "ObserveBenchmark.observeWithChain", SYNC);
        lines.add(target("observe with chain, 1 thread: core / synchronized", ">= 2.0x",
            ratioValue(observeCore, observeSync), 2.0, true));
        final JmhResult twoCore = get(rows, "ContentionBenchmark.observeDistinctSites2Threads", CORE);
        final JmhResult twoSync = get(rows, "ContentionBenchmark.observeDistinctSites2Threads", SYNC);
        lines.add(target("observe with chain, 2 threads distinct sites: core / synchronized", ">= 4.0x",
            ratioValue(twoCore, twoSync), 4.0, true));
        final JmhResult phiCore = get(rows, "PhiBenchmark.phiAtCapacity1000", CORE);
        final JmhResult phiSync = get(rows, "PhiBenchmark.phiAtCapacity1000", SYNC);
        lines.add(target("phi at capacity 1000: core / synchronized", ">= 50x", ratioValue(phiCore, phiSync), 50.0, true));
        final JmhResult floor = get(rows, FLOOR, "-");
        lines.add(target("observe with chain cost / atomic-operation floor cost", "<= 1.5x",
            ratioValue(floor, observeCore), 1.5, false));
        final JmhResult small = get(rows, "ScaleBenchmark.observeWithChain (100 sites)", CORE);
        final JmhResult large = get(rows, "ScaleBenchmark.observeWithChain (100000 sites)", CORE);
        lines.add(target("observe cost with 100,000 sites / with 100 sites (core)", "<= 3.0x",
            ratioValue(small, large), 3.0, false));

        final StringBuilder out = new StringBuilder("| target | required | measured | met |\n|---|---:|---:|---|\n");
        for (final String[] line : lines)
        {
            out.append("| ").append(String.join(" | ", line)).append(" |\n");
        }
        return out.toString();
    }

    private static String[] target(
        final String name, final String required, final double measured, final double bound, final boolean atLeast)
    {
        final String met = Double.isNaN(measured) ? "not run" :
            (atLeast ? measured >= bound : measured <= bound) ? "yes" : "**NO**";
        return new String[]{name, required, Double.isNaN(measured) ? "-" : format(measured) + "x", met};
    }

    private static String allocation(final Map<String, Map<String, JmhResult>> rows)
    {
        final StringBuilder out = new StringBuilder("Core allocation (must be below 0.1 B/op on observe, estimate, phi, ingest and scan):\n\n");
        boolean all = true;
        int checked = 0;
        for (final Map.Entry<String, Map<String, JmhResult>> row : rows.entrySet())
        {
            final JmhResult core = row.getValue().get(CORE);
            final String key = row.getKey().toLowerCase(Locale.ROOT);
            if (core == null || Double.isNaN(core.bytesPerOp()) ||
                !(key.contains("observe") || key.contains("estimate") || key.contains("phi") || key.contains("ingest") ||
                key.contains("scan")))
            {
                continue;
            }
            checked++;
            if (core.bytesPerOp() >= 0.1)
            {
                all = false;
                out.append("- **").append(row.getKey()).append(": ").append(format(core.bytesPerOp())).append(" B/op**\n");
            }
        }
        out.append(checked == 0 ? "- not measured (run with -prof gc)\n" :
            all ? "- all " + checked + " core benchmarks below 0.1 B/op\n" : "");
        return out.toString();
    }

    private static JmhResult get(final Map<String, Map<String, JmhResult>> rows, final String key, final String impl)
    {
        final Map<String, JmhResult> row = rows.get(key);
        return row == null ? null : row.get(impl);
    }

    private static double ratioValue(final JmhResult a, final JmhResult b)
    {
        return a == null || b == null ? Double.NaN : a.score() / b.score();
    }

    private static String ratio(final JmhResult core, final JmhResult baseline)
    {
        final double r = ratioValue(core, baseline);
        return Double.isNaN(r) ? "-" : format(r) + "x";
    }

    private static String score(final JmhResult r)
    {
        if (r == null)
        {
            return "-";
        }
        return Double.isNaN(r.error()) ? format(r.score()) : format(r.score()) + " ± " + format(r.error());
    }

    private static String bytes(final JmhResult r)
    {
        return r == null || Double.isNaN(r.bytesPerOp()) ? "-" : String.format(Locale.ROOT, "%.1f", r.bytesPerOp());
    }

    static String format(final double v)
    {
        final double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }
}
