package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Main class of the child processes of the file tests:
 * <ul>
 *   <li>{@code write FILE SEED}: create FILE, run {@link Workload#load} with SEED, close, print DONE;</li>
 *   <li>{@code hold FILE}: open FILE for writing, print OPEN, then wait to be killed;</li>
 *   <li>{@code try-open FILE}: open FILE for writing and print OPENED, or the reason it was refused;</li>
 *   <li>{@code create FILE SITES HISTORY} and {@code open-or-create FILE SITES HISTORY}: create FILE with
 *   those capacities, print CREATED, or REFUSED, the reason and the message;</li>
 *   <li>{@code open-and-fill FILE SITES}: reopen FILE, observe sites 0 to SITES - 1, print FILLED, or
 *   REFUSED, the reason and the message;</li>
 *   <li>{@code hammer FILE SIDE}: create FILE, start {@link CrashPlan#THREADS} observing threads, each
 *   storing into its slot of the mapped SIDE file how many observes have returned; print RUNNING; run
 *   until killed.</li>
 * </ul>
 */
public final class TrackerFileChild
{
    private TrackerFileChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path file = Paths.get(args[1]);
        switch (args[0])
        {
            case "write" ->
            {
                try (TrackerFile trackerFile = TrackerFile.create(file, Workload.CONFIG))
                {
                    Workload.load(trackerFile.tracker(), Long.parseLong(args[2]));
                }
                System.out.println("DONE");
            }
            case "hold" ->
            {
                final TrackerFile trackerFile = TrackerFile.open(file);
                System.out.println("OPEN");
                System.out.flush();
                Thread.sleep(60_000);
                trackerFile.close();
            }
            case "try-open" ->
            {
                try (TrackerFile trackerFile = TrackerFile.open(file))
                {
                    System.out.println("OPENED " + trackerFile.tracker().trackedSiteCount());
                }
                catch (final TrackerFileException ex)
                {
                    System.out.println(ex.reason());
                }
            }
            case "create", "open-or-create" ->
            {
                final RttTrackerConfig config = RttTracker.builder()
                    .siteCapacity(Integer.parseInt(args[2])).historyCapacity(Integer.parseInt(args[3])).toConfig();
                try (TrackerFile trackerFile = args[0].equals("create") ?
                    TrackerFile.create(file, config) : TrackerFile.openOrCreate(file, config))
                {
                    trackerFile.tracker().observeRoundTrip(1, 1_000, 1);
                    System.out.println("CREATED");
                }
                catch (final TrackerFileException ex)
                {
                    System.out.println("REFUSED " + ex.reason() + " " + ex.getMessage());
                }
            }
            case "open-and-fill" ->
            {
                try (TrackerFile trackerFile = TrackerFile.open(file))
                {
                    for (int site = 0; site < Integer.parseInt(args[2]); site++)
                    {
                        trackerFile.tracker().observeRoundTrip(site, 1_000 + site, 1 + site);
                    }
                    System.out.println("FILLED");
                }
                catch (final TrackerFileException ex)
                {
                    System.out.println("REFUSED " + ex.reason() + " " + ex.getMessage());
                }
            }
            case "hammer" -> hammer(file, Paths.get(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void hammer(final Path file, final Path side) throws InterruptedException
    {
        final TrackerFile trackerFile = TrackerFile.create(file, CrashPlan.CONFIG);
        final RttTracker tracker = trackerFile.tracker();
        final MappedByteBuffer sideMapping = IoUtil.mapNewFile(side.toFile(), CrashPlan.THREADS * CrashPlan.SIDE_SLOT_LENGTH);
        final UnsafeBuffer returned = new UnsafeBuffer(sideMapping);
        final Thread[] threads = new Thread[CrashPlan.THREADS];
        for (int t = 0; t < threads.length; t++)
        {
            final int thread = t;
            threads[t] = new Thread(() ->
            {
                final int slot = thread * CrashPlan.SIDE_SLOT_LENGTH;
                for (long i = 0; ; i++)
                {
                    CrashPlan.apply(tracker, CrashPlan.call(thread, i), System.nanoTime());
                    // After the observe returned: its count increments are already in the mapped file.
                    returned.putLongRelease(slot, i + 1);
                }
            });
            threads[t].start();
        }
        System.out.println("RUNNING");
        System.out.flush();
        threads[0].join();
    }
}
