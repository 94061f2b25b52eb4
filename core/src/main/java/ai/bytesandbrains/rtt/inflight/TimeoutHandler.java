package ai.bytesandbrains.rtt.inflight;

/**
 * Receives the requests whose deadline passed, from {@link InFlightTracker#pollTimeouts(long)}, on the
 * event-loop thread that polls. The request is no longer in flight when this runs: a late answer to it
 * is reported as {@link InFlightTracker#RESPONSE_UNKNOWN}. The handler may call
 * {@link InFlightTracker#onSend} (for example to resend under a new request id); it must not throw.
 */
@FunctionalInterface
public interface TimeoutHandler
{
    /**
     * Called on the event-loop thread that polls, synchronously.
     *
     * @param requestId  the request.
     * @param site       the site it was sent to.
     * @param chainId    its chain, or 0 when sent without a chain context.
     * @param hopIndex   its hop, or {@link InFlightTracker#NO_HOP}.
     * @param sentAtNs   time of its first send.
     * @param deadlineNs the deadline that passed.
     * @param nowNs      the time given to the poll.
     */
    void onTimeout(long requestId, long site, long chainId, int hopIndex, long sentAtNs, long deadlineNs, long nowNs);
}
