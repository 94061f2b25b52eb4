package ai.bytesandbrains.rtt.pause;

import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@link GcPauseMonitor} per process, fanning every stop-the-world GC pause out to the pause logs
 * of all live trackers that asked for them. A GC pause stalls the whole process, so every tracker in it
 * should discount it; one set of JMX listeners serves them all, installed on the first
 * {@link #register(LocalPauseSink)}.
 *
 * <p>Sinks are held weakly: a tracker that is dropped without being closed stops receiving pauses once
 * it is collected, and its entry is purged on the next notification. Registration allocates (a weak
 * reference and a queue node) and is meant for construction time; delivery runs on the JVM's
 * notification thread, never on the caller's.
 */
public final class ProcessGcPauses
{
    /** Shortest GC pause fanned out: shorter ones cannot make a peer look silent. */
    public static final long MIN_PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(1);

    // Concurrent queue: registrations on any thread, fan-out and purge on the notification thread.
    private static final ConcurrentLinkedQueue<WeakReference<LocalPauseSink>> SINKS = new ConcurrentLinkedQueue<>();

    private ProcessGcPauses()
    {
    }

    /**
     * Lazy holder: the listeners are installed by the first registration, once (class init is atomic).
     * A runtime without {@code java.management} or {@code jdk.management} (a trimmed jlink image) gets
     * no GC feed rather than a tracker that cannot be built; scan gaps and reported pauses still work.
     */
    private static final class Monitor
    {
        static final GcPauseMonitor INSTANCE = installOrNull();

        private static GcPauseMonitor installOrNull()
        {
            try
            {
                return GcPauseMonitor.install(ProcessGcPauses::fanOut, MIN_PAUSE_NS);
            }
            catch (final LinkageError | RuntimeException ex)
            {
                ai.bytesandbrains.rtt.internal.ColdEvents.gcFeedUnavailable(ex); // once: class init runs once
                return null;
            }
        }
    }

    /**
     * Deliver the process's GC pauses to {@code sink} from now on, for as long as it is reachable. The
     * pauses are on {@link System#nanoTime()}'s clock: a sink on another clock should sit behind a
     * {@link NanoTimeGate}, as a tracker's log does.
     * Thread-safe, any thread; allocates.
     *
     * @param sink thread-safe; called on the JVM's notification thread.
     * @return {@code true} when GC notifications are available in this runtime and will be delivered.
     */
    public static boolean register(final LocalPauseSink sink)
    {
        if (Monitor.INSTANCE == null)
        {
            return false;
        }
        SINKS.add(new WeakReference<>(sink));
        return true;
    }

    /**
     * Thread-safe, any thread: class initialisation installs the listeners exactly once.
     *
     * @return {@code true} when this runtime delivers GC notifications (installs the listeners if needed).
     */
    public static boolean isAvailable()
    {
        return Monitor.INSTANCE != null;
    }

    private static boolean fanOut(final long startNs, final long endNs)
    {
        boolean recorded = false;
        for (final WeakReference<LocalPauseSink> reference : SINKS)
        {
            final LocalPauseSink sink = reference.get();
            if (sink == null)
            {
                SINKS.remove(reference);
            }
            else
            {
                recorded |= sink.recordLocalPause(startNs, endNs);
            }
        }
        return recorded;
    }
}
