package ai.bytesandbrains.rtt.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Prints, as Markdown, one or more JMH JSON result files of the same suite (run N times) as the speed targets'
 * comparison: the full table (the handle API's rows in a section of their own, with no targets), the target
 * table (each run's ratio, the median, PASS or MISS on the median), the tail-latency table and core's
 * allocation check, which covers the handle rows too.
 * Usage: {@code java -cp benchmarks.jar ai.bytesandbrains.rtt.report.ResultsTable run1.json [run2.json ...]}.
 */
public final class ResultsTable
{
    private ResultsTable()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length == 0)
        {
            System.err.println("usage: ResultsTable <jmh-result.json>...   (several files: the same suite run several times)");
            System.exit(2);
        }
        System.out.print(render(RunSet.read(Arrays.stream(args).map(Path::of).toList())));
    }

    /**
     * @param runs the runs.
     * @return the Markdown report.
     */
    public static String render(final RunSet runs)
    {
        return ComparisonTable.render(runs) +
            "\nSpeed targets, throughput core / baseline" +
            (runs.size() > 1 ? " in each of " + runs.size() + " runs; the verdict is on the median" : "") + ":\n\n" +
            TargetTable.render(runs, TargetTable.speedTargets()) + '\n' +
            TailLatencyTable.render(runs) + '\n' +
            AllocationCheck.render(runs);
    }
}
