package ai.bytesandbrains.rtt.agent;

import org.jctools.queues.SpscArrayQueue;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One subscriber's feed of {@link PhiTransition}s from a {@link PhiScanAgent}: a bounded JCTools
 * {@link SpscArrayQueue} with the agent as its only producer and the subscriber as its only consumer.
 * When the queue is full the agent drops the transition for this subscriber, counts it in
 * {@link #droppedCount()} and goes on: a slow subscriber never blocks the scan nor the other subscribers.
 *
 * <h2>Threading contract</h2>
 * {@link #drain} is for one thread at a time, the subscriber's (the queue has a single consumer). Every
 * other method is thread-safe.
 */
public final class PhiTransitionSubscription implements AutoCloseable
{
    private final PhiScanAgent agent;
    private final SpscArrayQueue<PhiTransition> queue;
    private final AtomicLong dropped = new AtomicLong(); // single writer (the agent): lazySet, a release store
    private volatile boolean closed; // volatile: close on any thread, read by the subscriber's

    PhiTransitionSubscription(final PhiScanAgent agent, final int capacity)
    {
        this.agent = agent;
        this.queue = new SpscArrayQueue<>(capacity);
    }

    /** The agent's duty thread only: the queue's single producer. Never blocks; allocation-free. */
    void offer(final PhiTransition transition)
    {
        if (!queue.offer(transition)) // offer stores the element with release: the poller sees the whole record
        {
            dropped.lazySet(dropped.get() + 1); // one writer: no CAS, and a release store is all readers need
        }
    }

    /**
     * Hand up to {@code limit} waiting transitions, oldest first, to {@code consumer} on the calling
     * thread. One thread at a time (the queue's single consumer); allocation-free. A transition is
     * removed from the queue before the consumer sees it: if the consumer throws, that transition is
     * not offered again and the rest stay queued.
     *
     * @param consumer receives each transition.
     * @param limit    most transitions to hand over, {@code >= 1}.
     * @return number handed over; 0 when none was waiting.
     * @throws IllegalArgumentException when {@code consumer} is null or {@code limit < 1}.
     */
    public int drain(final Consumer<? super PhiTransition> consumer, final int limit)
    {
        if (consumer == null)
        {
            throw new IllegalArgumentException("consumer must not be null");
        }
        if (limit < 1)
        {
            throw new IllegalArgumentException("limit must be >= 1 but was " + limit);
        }
        int drained = 0;
        while (drained < limit)
        {
            final PhiTransition transition = queue.poll(); // acquire: sees the record the agent published
            if (transition == null)
            {
                break;
            }
            drained++;
            consumer.accept(transition);
        }
        return drained;
    }

    /**
     * Thread-safe; a moment's value.
     *
     * @return transitions this subscriber missed because its queue was full.
     */
    public long droppedCount()
    {
        return dropped.get();
    }

    /**
     * Thread-safe; a moment's value.
     *
     * @return transitions waiting in the queue.
     */
    public int size()
    {
        return queue.size();
    }

    /**
     * Thread-safe.
     *
     * @return slots in the queue: the requested capacity rounded up to a power of two.
     */
    public int capacity()
    {
        return queue.capacity();
    }

    /**
     * Thread-safe. Once {@code true}, the agent has run {@code onClose} and publishes nothing more: what
     * is still queued is all that will come.
     *
     * @return whether the agent is closed.
     */
    public boolean isPublisherClosed()
    {
        return agent.isClosed();
    }

    /**
     * Thread-safe.
     *
     * @return {@code true} once {@link #close()} was called.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Stop receiving: the agent forgets this subscription. A scan already under way on the agent's thread
     * may still queue its transitions; they stay drainable. Idempotent; any thread.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            agent.unsubscribe(this);
        }
    }
}
