package ai.bytesandbrains.rtt.report;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.TrackerUnderTest;
import ai.bytesandbrains.rtt.Trackers;
import ai.bytesandbrains.rtt.Workload;

/**
 * Prints memory per site, as Markdown: core's exact figures from {@link TrackerLayout} at the default
 * and at small configurations, and the baselines' heap per site measured as the heap growth over
 * {@value #SITES} sites with full histories (approximate: a heap delta after GC).
 * Usage: {@code java -cp benchmarks.jar ai.bytesandbrains.rtt.report.MemoryReport}.
 */
public final class MemoryReport
{
    private static final int SITES = 2000;

    private MemoryReport()
    {
    }

    public static void main(final String[] args)
    {
        System.out.println("| configuration | core bytes/site (TrackerLayout.bytesPerSite) | core buffer for 1,024 sites (totalLength) |");
        System.out.println("|---|---:|---:|");
        for (final int history : new int[]{1000, 100, 32})
        {
            final RttTrackerConfig config = RttTracker.builder().historyCapacity(history).toConfig();
            final TrackerLayout layout = new TrackerLayout(config);
            System.out.printf("| historyCapacity %d%s | %,d | %,d |%n", history, history == 1000 ? " (default)" : "",
                layout.bytesPerSite(), layout.totalLength());
        }
        System.out.println();
        System.out.printf("| implementation, historyCapacity 1000, full histories | heap bytes/site (approx., %,d sites) |%n", SITES);
        System.out.println("|---|---:|");
        for (final String impl : new String[]{Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
        {
            final long before = usedHeap();
            final TrackerUnderTest tracker = Trackers.create(impl, SITES, SITES, 1000);
            new Workload(42).warm(tracker, 0, SITES, 1001, 1_000_000_000L);
            final long after = usedHeap();
            System.out.printf("| %s | %,d |%n", impl, (after - before) / SITES);
            if (tracker.trackedSiteCount() != SITES)
            {
                throw new AssertionError("unexpected site count");
            }
        }
    }

    private static long usedHeap()
    {
        final Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 4; i++)
        {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
