package ai.bytesandbrains.rtt.samples;

import org.jfree.data.xy.XYSeries;

/**
 * srtt, budget and φ of one server over the run, for the chart.
 */
final class SeriesRecorder
{
    final String server;
    final XYSeries srttMs;
    final XYSeries budgetMs;
    final XYSeries phi;

    SeriesRecorder(final String server)
    {
        this.server = server;
        srttMs = new XYSeries("srtt (ms)", false, true);
        budgetMs = new XYSeries("deadline budget (ms)", false, true);
        phi = new XYSeries("φ (right axis, clipped at 40)", false, true);
    }

    void record(final double seconds, final double srttNs, final double budgetNs, final double phiValue)
    {
        srttMs.add(seconds, srttNs / 1e6);
        budgetMs.add(seconds, budgetNs / 1e6);
        phi.add(seconds, Math.min(phiValue, 40.0));
    }
}
