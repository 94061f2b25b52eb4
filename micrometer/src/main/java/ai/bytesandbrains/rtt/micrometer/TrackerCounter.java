package ai.bytesandbrains.rtt.micrometer;

import ai.bytesandbrains.rtt.RttTracker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The object behind one {@code FunctionCounter}: reads a monotonic counter of the tracker and remembers
 * the largest value it returned, so that the counter neither goes backwards when two scrapes race nor
 * drops to NaN once the tracker is closed (a closed tracker throws on every read; the counter then
 * stays at its last value).
 *
 * <p>Thread-safe, lock-free: any number of scraping threads may call {@link #count()} at once.
 */
final class TrackerCounter
{
    private final RttTracker tracker;
    private final ToLongFunction<RttTracker> reader;
    private final AtomicLong largest = new AtomicLong(); // CAS max: racing scrapes never move it backwards

    TrackerCounter(final RttTracker tracker, final ToLongFunction<RttTracker> reader)
    {
        this.tracker = tracker;
        this.reader = reader;
    }

    /**
     * Any thread; allocation-free.
     *
     * @return the tracker's count now, or the largest count returned before once the tracker is closed.
     */
    double count()
    {
        if (!tracker.isClosed())
        {
            try
            {
                return largest.accumulateAndGet(reader.applyAsLong(tracker), Math::max);
            }
            catch (final IllegalStateException closedMeanwhile)
            {
                // closed between the check and the read: fall through to the last value
            }
        }
        return largest.get();
    }
}
