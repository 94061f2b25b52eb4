package ai.bytesandbrains.rtt.pause;

import ai.bytesandbrains.rtt.internal.LocalPauseLog;

/**
 * Receives local pause intervals: spans of the caller's monotonic nanosecond clock during which this
 * process could not run (a stop-the-world GC, VM steal), from {@link GcPauseMonitor} or
 * {@link ScanGapDetector}.
 *
 * <p>Implementations must be thread-safe: sources call from their own threads (a JMX notification thread,
 * any scanning thread) and may report the same pause twice, so implementations should measure a union
 * rather than a sum, as {@link LocalPauseLog} does.
 */
@FunctionalInterface
public interface LocalPauseSink
{
    /**
     * Record that this process was paused over {@code [startNs, endNs)}.
     *
     * <p>Any thread may call this at any time; it must not throw on bad input.
     *
     * @param startNs start of the pause on the monotonic clock, inclusive.
     * @param endNs   end of the pause on the monotonic clock, exclusive.
     * @return true when the pause was stored, false when it was rejected or dropped.
     */
    boolean recordLocalPause(long startNs, long endNs);
}
