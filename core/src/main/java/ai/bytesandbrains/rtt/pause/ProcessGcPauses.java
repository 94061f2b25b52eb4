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

    private static final ConcurrentLinkedQueue<WeakReference<LocalPauseSink>> SINKS = new ConcurrentLinkedQueue<>();

    private ProcessGcPauses()
    {
    }

    /** Lazy holder: the listeners are installed by the first registration, once (class init is atomic). */
    private static final class Monitor
    {
        static final GcPauseMonitor INSTANCE = GcPauseMonitor.install(ProcessGcPauses::fanOut, MIN_PAUSE_NS);
    }

    /**
     * Deliver the process's GC pauses to {@code sink} from now on, for as long as it is reachable.
     *
     * @param sink thread-safe; called on the JVM's notification thread.
     */
    public static void register(final LocalPauseSink sink)
    {
        SINKS.add(new WeakReference<>(sink));
        if (Monitor.INSTANCE.isClosed())
        {
            throw new IllegalStateException("the process GC pause monitor was closed");
        }
    }

    /**
     * @return sinks registered and not yet found collected.
     */
    public static int registeredCount()
    {
        return SINKS.size();
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
