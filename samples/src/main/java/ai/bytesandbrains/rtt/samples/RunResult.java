package ai.bytesandbrains.rtt.samples;

import org.HdrHistogram.Histogram;

/**
 * What one run of the workload measured.
 */
final class RunResult
{
    final String label;
    final Histogram answeredNs = new Histogram(3_600_000_000_000L, 3);
    final Histogram outcomeNs = new Histogram(3_600_000_000_000L, 3);
    long sent;
    long answeredInTime;
    long timedOut;
    long falseTimeouts;
    long waitOnFailedNs;
    long waitOnDeadServerNs;
    long suspectAfterNs = -1;
    long downAfterNs = -1;
    long falseSuspects;
    long falseDowns;
    String falseReports = "";

    RunResult(final String label)
    {
        this.label = label;
    }
}
