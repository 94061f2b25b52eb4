package ai.bytesandbrains.rtt.pause;

import ai.bytesandbrains.rtt.internal.LocalPauseLog;

import com.sun.management.GarbageCollectionNotificationInfo;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Feeds stop-the-world GC pauses, as reported by the JVM's GC notifications, into a {@link LocalPauseSink}.
 *
 * <p>A pause of {@code d} ms delivered when {@link System#nanoTime()} reads {@code now} is recorded as
 * {@code [now - d, now)}. Notifications arrive on the JVM's notification thread shortly after the pause;
 * the recorded interval has the right length but is placed later by that delivery delay. {@code GcInfo}
 * measures in whole milliseconds, so sub-millisecond pauses read as 0 and are not recorded (they are too
 * short to matter for failure detection, and {@link ScanGapDetector} sees longer stalls anyway).
 *
 * <p>Only stop-the-world pauses count. Every notification is one except those with the action
 * {@value #CONCURRENT_CYCLE_ACTION}, sent by the "Cycles" beans of ZGC ("ZGC Cycles", "ZGC Minor/Major
 * Cycles") and Shenandoah ("Shenandoah Cycles"), whose duration is a mostly concurrent cycle; the matching
 * "Pauses" beans report its pauses. Counted: "end of minor GC" and "end of major GC" (G1 Young and Old
 * Generation, Parallel, Serial), "end of GC pause" (ZGC and Shenandoah Pauses) and, on JDK 20 and later,
 * "end of concurrent GC pause" from the "G1 Concurrent GC" bean, which despite its name reports G1's
 * Remark and Cleanup pauses, both stop-the-world (JDK-8297247).
 *
 * <p>This is off the hot path: JMX allocates for every notification, and so does the listener (decoding
 * the notification); nothing here runs on the caller's threads after {@link #install}.
 */
public final class GcPauseMonitor implements AutoCloseable
{
    /** GC action of notifications that report a concurrent cycle rather than a pause; not counted. */
    public static final String CONCURRENT_CYCLE_ACTION = "end of GC cycle";

    private static final long NANOS_PER_MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final LocalPauseSink sink;
    private final long minPauseNs;
    // Filled by install before the monitor is published, read-only afterwards.
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;
    // Atomic: incremented on the notification thread, read by monitoring threads.
    private final AtomicLong pausesRecorded = new AtomicLong();
    // Set once by close(); the listener reads it (acquire) to stop recording as soon as close began.
    private final AtomicBoolean closed = new AtomicBoolean();

    private GcPauseMonitor(final LocalPauseSink sink, final long minPauseNs)
    {
        this.sink = sink;
        this.minPauseNs = minPauseNs;
    }

    /**
     * Subscribe to the GC notifications of every garbage collector bean of this JVM that emits them.
     * Any thread; hand the monitor to other threads through a safe publication (its bean list is plain).
     *
     * @param sink       receiving the pauses, called on the JVM's notification thread; must be thread-safe.
     * @param minPauseNs shortest pause recorded, {@code >= 0}; pauses of 0 ms are never recorded.
     * @return the monitor, listening until {@link #close()}.
     * @throws IllegalArgumentException when {@code minPauseNs < 0}.
     * @throws NullPointerException     when {@code sink} is null.
     */
    public static GcPauseMonitor install(final LocalPauseSink sink, final long minPauseNs)
    {
        if (minPauseNs < 0)
        {
            throw new IllegalArgumentException("minPauseNs must be >= 0: " + minPauseNs);
        }
        if (sink == null)
        {
            throw new NullPointerException("sink");
        }

        final GcPauseMonitor monitor = new GcPauseMonitor(sink, minPauseNs);
        try
        {
            for (final GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans())
            {
                if (bean instanceof NotificationEmitter)
                {
                    final NotificationEmitter emitter = (NotificationEmitter)bean;
                    emitter.addNotificationListener(monitor.listener, null, null);
                    monitor.emitters.add(emitter);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            monitor.close(); // no listener left behind by a failed install
            throw ex;
        }
        return monitor;
    }

    /**
     * Subscribe a {@link LocalPauseLog} directly, as {@link #install(LocalPauseSink, long)} does. Any
     * thread, as that method.
     *
     * @param log        receiving the pauses.
     * @param minPauseNs shortest pause recorded, {@code >= 0}.
     * @return the monitor, listening until {@link #close()}.
     */
    public static GcPauseMonitor install(final LocalPauseLog log, final long minPauseNs)
    {
        return install((LocalPauseSink)log, minPauseNs);
    }

    /**
     * Whether a GC notification reports a stop-the-world pause (see the class Javadoc). Pure; any thread.
     *
     * @param gcName   name of the collector bean.
     * @param gcAction action of the notification.
     * @return true for a pause, false for a concurrent cycle.
     */
    public static boolean isStopTheWorld(final String gcName, final String gcAction)
    {
        return !CONCURRENT_CYCLE_ACTION.equals(gcAction) && (gcName == null || !gcName.endsWith(" Cycles"));
    }

    /**
     * Stop listening: removes the listeners from every bean; idempotent, any thread. A notification whose
     * handling had already started when this was called may still reach the sink; no later one does.
     */
    public void close()
    {
        if (!closed.compareAndSet(false, true)) // CAS: exactly one close removes the listeners
        {
            return; // idempotent: the first close removes the listeners
        }
        for (final NotificationEmitter emitter : emitters)
        {
            try
            {
                emitter.removeNotificationListener(listener);
            }
            catch (final ListenerNotFoundException ignore)
            {
                // Not registered any more: nothing to remove.
            }
        }
    }

    /**
     * Any thread: a volatile read.
     *
     * @return true once {@link #close()} was called.
     */
    public boolean isClosed()
    {
        return closed.get(); // volatile: a close on any thread is seen
    }

    /**
     * Number of collector beans listened to; 0 after {@link #close()}, or on a JVM whose beans emit no
     * notifications. Any thread.
     *
     * @return beans listened to.
     */
    public int collectorCount()
    {
        return closed.get() ? 0 : emitters.size(); // volatile flag; the list is fixed since install
    }

    /**
     * Pauses the sink accepted; any thread, volatile read.
     *
     * @return recorded pauses.
     */
    public long pausesRecorded()
    {
        return pausesRecorded.get();
    }

    /**
     * Shortest pause recorded. Immutable; any thread.
     *
     * @return nanoseconds.
     */
    public long minPauseNs()
    {
        return minPauseNs;
    }

    /**
     * Handle one GC pause report; the listener's decoded form, exposed to tests. Thread-safe if the sink is.
     *
     * @param gcName     name of the collector bean.
     * @param gcAction   action of the notification.
     * @param durationMs duration from {@code GcInfo}.
     * @param nowNs      {@link System#nanoTime()} at delivery.
     * @return true when the sink stored a pause.
     */
    boolean onGc(final String gcName, final String gcAction, final long durationMs, final long nowNs)
    {
        // volatile: stop recording as soon as a close began on another thread
        if (closed.get() || durationMs <= 0 || !isStopTheWorld(gcName, gcAction))
        {
            return false;
        }
        final long durationNs = durationMs >= Long.MAX_VALUE / NANOS_PER_MILLI ?
            Long.MAX_VALUE : durationMs * NANOS_PER_MILLI;
        if (durationNs < minPauseNs || nowNs - durationNs > nowNs)
        {
            return false;
        }
        if (sink.recordLocalPause(nowNs - durationNs, nowNs))
        {
            pausesRecorded.getAndIncrement(); // atomic: the count never loses a pause
            return true;
        }
        return false;
    }

    private void onNotification(final Notification notification, final Object handback)
    {
        // volatile: skip decoding once close began
        if (closed.get() ||
            !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType()))
        {
            return;
        }
        final long nowNs = System.nanoTime();
        final GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData)notification.getUserData());
        onGc(info.getGcName(), info.getGcAction(), info.getGcInfo().getDuration(), nowNs);
    }
}
