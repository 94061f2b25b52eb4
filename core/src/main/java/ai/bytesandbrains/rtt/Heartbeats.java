package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.state.SiteRecord;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A site's φ heartbeat on the observe path: advance last-seen with a CAS, then record the gap it closed.
 *
 * <p>The CAS orders heartbeats: each recorded gap is the distance from the value it replaced, so the gaps
 * of racing heartbeats add up to the span they cover. A late {@code nowNs} changes nothing (D3). Racing
 * heartbeats claim ring positions after their CAS, so the ring may hold their gaps in the other order;
 * that changes only which is evicted first, never the sum, length or mean.
 */
final class Heartbeats
{
    private Heartbeats()
    {
    }

    /**
     * @param claimed whether the caller holds the site's claim ({@code RecordClaims}), which makes it the
     *                only writer of the history's claimant words.
     * @return {@code true} when this was the site's first heartbeat since a restart (nothing recorded), for
     * the caller's restart clock.
     */
    static boolean beat(
        final AtomicBuffer buffer,
        final Object base,
        final long recordAddress,
        final int ringOffset,
        final int historyCapacity,
        final long historyMaxValueNs,
        final long nowNs,
        final boolean claimed)
    {
        final long encodedNow = SiteRecord.encodeLastSeen(nowNs);
        long lastSeen = SiteRecord.lastSeenVolatile(base, recordAddress); // expected by the CAS, which re-checks it
        while (!SiteRecord.isSeen(lastSeen) || encodedNow >= lastSeen)
        {
            // CAS: racing heartbeats each own the gap from the value they replaced; full fence before the record
            final long witness = SiteRecord.compareAndExchangeLastSeen(base, recordAddress, lastSeen, encodedNow);
            if (witness == lastSeen)
            {
                if (!SiteRecord.isSeen(lastSeen))
                {
                    return true;
                }
                final long controlAddress = recordAddress + SiteRecord.HISTORY_OFFSET;
                if (claimed)
                {
                    HeartbeatHistory.recordClaimedAt(
                        buffer, base, controlAddress, ringOffset, historyCapacity, historyMaxValueNs, encodedNow - lastSeen);
                }
                else
                {
                    HeartbeatHistory.recordAt(
                        buffer, base, controlAddress, ringOffset, historyCapacity, historyMaxValueNs, encodedNow - lastSeen);
                }
                return false;
            }
            lastSeen = witness;
        }
        return false;
    }
}
