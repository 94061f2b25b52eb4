package ai.bytesandbrains.rtt.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Draws PNG charts from JMH JSON result files (several: the same suite run several times, each point the
 * median over the runs): throughput against threads (observe with chain on
 * distinct sites, 1 and 2 threads), throughput against tracked sites (observe with chain and estimate,
 * 100 to 100,000 sites) and single-threaded throughput per operation, core against every baseline.
 * Usage: {@code java -Djava.awt.headless=true -cp benchmarks.jar ai.bytesandbrains.rtt.report.ResultsChart
 * run1.json [run2.json ...] outputDirectory}.
 */
public final class ResultsChart
{
    private static final String[] IMPLS = Impls.ALL.toArray(new String[0]);
    /** In {@link Impls#ALL}'s order: core red, synchronized blue, atomicref green, jctools purple. */
    private static final Paint[] COLORS =
        {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0x9467BD)};
    private static final BasicStroke SOLID = new BasicStroke(2f);
    private static final BasicStroke DOTTED =
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{2f, 3f}, 0f);
    private static final BasicStroke DASHED =
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f);

    private ResultsChart()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length < 2)
        {
            System.err.println("usage: ResultsChart <jmh-result.json>... <output-directory>");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        final List<Path> files = Arrays.stream(args, 0, args.length - 1).map(Path::of).toList();
        final List<JmhResult> results = RunSet.read(files).medians();
        final Path dir = Files.createDirectories(Path.of(args[args.length - 1]));
        save(threads(results), dir.resolve("throughput-vs-threads.png"));
        save(sites(results), dir.resolve("throughput-vs-sites.png"));
        save(operations(results), dir.resolve("throughput-per-operation.png"));
        System.out.println("charts written to " + dir);
    }

    private static JFreeChart threads(final List<JmhResult> results)
    {
        final XYSeriesCollection data = new XYSeriesCollection();
        for (final String impl : IMPLS)
        {
            final XYSeries distinct = new XYSeries(impl + ", distinct sites");
            final XYSeries chains = new XYSeries(impl + ", distinct sites and chains");
            final XYSeries one = new XYSeries(impl + ", one site");
            for (final JmhResult r : results)
            {
                if (!r.impl().equals(impl))
                {
                    continue;
                }
                switch (r.operation())
                {
                    case "ContentionBenchmark.observeDistinctSites1Thread" ->
                    {
                        distinct.add(1, r.score());
                        chains.add(1, r.score());
                        one.add(1, r.score());
                    }
                    case "ContentionBenchmark.observeDistinctSites2Threads" -> distinct.add(2, r.score());
                    case "ContentionBenchmark.observeDistinctSitesAndChains2Threads" -> chains.add(2, r.score());
                    case "ContentionBenchmark.observeOneSite2Threads" -> one.add(2, r.score());
                    default ->
                    {
                    }
                }
            }
            data.addSeries(distinct);
            data.addSeries(chains);
            data.addSeries(one);
        }
        final JFreeChart chart = ChartFactory.createXYLineChart(
            "Observe with chain: total throughput vs threads (1-thread point shared by all series)", "threads",
            "ops/µs (all threads)", data,
            PlotOrientation.VERTICAL, true, false, false);
        final XYPlot plot = style(chart.getXYPlot(), data);
        final NumberAxis x = (NumberAxis)plot.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setRange(0.8, 2.2);
        return chart;
    }

    private static JFreeChart sites(final List<JmhResult> results)
    {
        final XYSeriesCollection data = new XYSeriesCollection();
        for (final String op : new String[]{"observeWithChain", "estimateTier1Hit"})
        {
            for (final String impl : IMPLS)
            {
                final XYSeries series = new XYSeries(impl + " " + op);
                for (final JmhResult r : results)
                {
                    if (r.impl().equals(impl) && r.operation().equals("ScaleBenchmark." + op))
                    {
                        series.add(r.sites(), r.score());
                    }
                }
                data.addSeries(series);
            }
        }
        final JFreeChart chart = ChartFactory.createXYLineChart(
            "Throughput vs tracked sites (1 thread)", "tracked sites", "ops/µs", data,
            PlotOrientation.VERTICAL, true, false, false);
        final XYPlot plot = style(chart.getXYPlot(), data);
        plot.setDomainAxis(log("tracked sites (log scale)"));
        plot.setRangeAxis(log("ops/µs (log scale)"));
        return chart;
    }

    private static JFreeChart operations(final List<JmhResult> results)
    {
        final DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (final JmhResult r : results)
        {
            if (r.threads() == 1 && r.sites() == 0 && !r.impl().equals("-") && !r.operation().contains(":") &&
                !r.operation().startsWith("ContentionBenchmark"))
            {
                // A handle row is named apart from its id twin of the same method, which it would overwrite.
                final String method = r.operation().substring(r.operation().indexOf('.') + 1);
                data.addValue(r.score(), r.impl(), ComparisonTable.isHandleRow(r.operation()) ? method + " (handle)" : method);
            }
        }
        final JFreeChart chart = ChartFactory.createBarChart(
            "Single-threaded throughput per operation", "operation", "ops/µs (log)", data,
            PlotOrientation.HORIZONTAL, true, false, false);
        final CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.GRAY);
        plot.setRangeAxis(log("ops/µs (log scale)"));
        for (int i = 0; i < data.getRowCount(); i++)
        {
            plot.getRenderer().setSeriesPaint(i, color(String.valueOf(data.getRowKey(i))));
        }
        return chart;
    }

    private static XYPlot style(final XYPlot plot, final XYSeriesCollection data)
    {
        final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++)
        {
            final String key = String.valueOf(data.getSeriesKey(i));
            renderer.setSeriesPaint(i, color(key));
            renderer.setSeriesStroke(i, key.contains("estimate") || key.contains("one site") ? DASHED :
                key.contains("chains") ? DOTTED : SOLID);
        }
        plot.setRenderer(renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.GRAY);
        plot.setRangeGridlinePaint(Color.GRAY);
        return plot;
    }

    private static Paint color(final String seriesKey)
    {
        for (int i = 0; i < IMPLS.length; i++)
        {
            if (seriesKey.startsWith(IMPLS[i]))
            {
                return COLORS[i];
            }
        }
        return Color.BLACK;
    }

    private static LogarithmicAxis log(final String label)
    {
        final LogarithmicAxis axis = new LogarithmicAxis(label);
        axis.setStrictValuesFlag(false);
        axis.setExpTickLabelsFlag(false);
        axis.setAutoRangeNextLogFlag(true);
        return axis;
    }

    private static void save(final JFreeChart chart, final Path file) throws IOException
    {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 600);
    }
}
