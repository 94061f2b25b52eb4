package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.state.OutstandingRequests;
import org.agrona.concurrent.AtomicBuffer;

import static ai.bytesandbrains.rtt.internal.TrackerLayout.REJECTED_COUNTER_OFFSET;

/**
 * Marks outstanding requests in site records for idle-aware φ, for {@link RttTracker#requestStarted} and
 * {@link RttTracker#requestEnded}; {@link OutstandingRequests} holds the words, the silence rule and the
 * races.
 *
 * <p>A start costs one lookup, a few volatile reads, an ordered store when no request is outstanding, and
 * one atomic add; with plain φ nothing at all. A site not tracked yet is not marked: its φ is 0 in every
 * mode. Sends take no pin (two more atomics): a start racing the site's eviction re-checks the site's
 * generation after its add and takes the add back (a second atomic, on that race only) when the site was
 * evicted meanwhile, so a new occupant never inherits it; taken back after the reset, it leaves that
 * occupant's count one low, which reads as one request fewer until the next send that finds the count below
 * 0 sets it right (one CAS, on that path only). An end checks the generation first: a ticket of an evicted
 * site does nothing, since its marker was reset with the record.
 */
final class RequestMarker
{
    private final AtomicBuffer buffer;
    private final RecordTable sites;
    private final boolean idleAwarePhi;

    RequestMarker(final AtomicBuffer buffer, final RecordTable sites, final boolean idleAwarePhi)
    {
        this.buffer = buffer;
        this.sites = sites;
        this.idleAwarePhi = idleAwarePhi;
    }

    long started(final long site, final long nowNs)
    {
        if (!idleAwarePhi)
        {
            return RttTracker.NO_TICKET;
        }
        if (nowNs < 0)
        {
            reject();
            return RttTracker.NO_TICKET;
        }
        final long handle = sites.find(site, 0, 0);
        if (handle == RecordTable.NOT_FOUND)
        {
            return RttTracker.NO_TICKET;
        }
        final int recordOffset = sites.recordOffset(RecordTable.record(handle));
        OutstandingRequests.start(buffer, recordOffset, nowNs);
        // As RecordTable.pin: the add, then the state. Still current: the add preceded any removal's CAS, so
        // the reset that follows a removal wipes it with the record. Not current: take it back.
        if (!sites.isCurrent(handle))
        {
            OutstandingRequests.end(buffer, recordOffset, nowNs);
            return RttTracker.NO_TICKET;
        }
        return handle;
    }

    void ended(final long ticket, final long nowNs)
    {
        if (ticket == RttTracker.NO_TICKET)
        {
            return;
        }
        final int record = RecordTable.record(ticket);
        if (record < 0 || record >= sites.capacity())
        {
            reject(); // a caller's bug: no site record has this index
            return;
        }
        if (nowNs < 0)
        {
            reject(); // the request still ends, carrying no silence
        }
        if (sites.isCurrent(ticket))
        {
            OutstandingRequests.end(buffer, sites.recordOffset(record), Math.max(0, nowNs));
        }
    }

    private void reject()
    {
        buffer.getAndAddLong(REJECTED_COUNTER_OFFSET, 1); // atomic: rejections race on any thread
    }
}
