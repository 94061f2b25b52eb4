package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.state.OutstandingRequests;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A send has no pin: one that read its site's marker before the site was evicted makes its add (and takes
 * it back) on the record's next occupant. Replayed here step by step, in the order such a race runs.
 */
class EvictedMarkerTest
{
    static final long S = 7;
    static final long T = 8;
    static final long MS = 1_000_000L;
    static final long START = 5_000_000_000L; // far from System.nanoTime(): no GC feed

    @Test
    void shouldNotLetANewOccupantJoinAPeriodOnlyAStaleSendSawOpen()
    {
        final RttTracker tracker = RttTracker.builder().siteCapacity(1).historyCapacity(1000)
            .localPauseAwareness(false).idleAwarePhi(true).build();
        final AtomicBuffer buffer = tracker.buffer();
        tracker.observeRoundTrip(S, 800_000, START);
        tracker.requestStarted(S, START + MS); // S has a period open
        // A second send to S at START + 2 ms reads S's count (1) and period start: it will store no start.
        // It stalls there; meanwhile S is evicted and T takes its record, answering every millisecond.
        final long staleNow = START + 2 * MS;
        assertThat(tracker.evictSite(S)).isTrue();
        long lastAnswer = START + 1_000 * MS;
        for (int i = 0; i < 200; i++)
        {
            lastAnswer += MS;
            tracker.observeRoundTrip(T, 800_000, lastAnswer);
        }
        final int recordOffset = tracker.tables().sites().recordOffset(
            RecordTable.record(tracker.tables().sites().find(T, 0, 0)));

        // The stalled send's add lands on T's record,
        buffer.getAndAddLong(recordOffset + OutstandingRequests.COUNT_OFFSET, 1);
        // T's first send, 50 ms after its last answer, finds a count above 0,
        final long sendAt = lastAnswer + 50 * MS;
        final long ticket = tracker.requestStarted(T, sendAt);
        assertThat(ticket).isNotEqualTo(RttTracker.NO_TICKET);
        // and the stalled send, finding S gone, takes its add back (as requestStarted does).
        OutstandingRequests.end(buffer, recordOffset, staleNow);

        // T's silence is its one request's 1 ms, not the 51 ms since its last answer, most of it idle.
        assertThat(OutstandingRequests.countVolatile(buffer, recordOffset)).isEqualTo(1);
        assertThat(OutstandingRequests.silenceStartNs(buffer, recordOffset, lastAnswer, sendAt + MS)).isEqualTo(sendAt);
        assertThat(tracker.isSuspect(T, sendAt + MS)).isFalse();
    }
}
