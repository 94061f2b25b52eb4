package ai.bytesandbrains.rtt.baseline;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the equivalence test cannot see, because it is single-threaded: threads that insert the same new
 * site, edge map, edge, chain prior or report at once must end with one of each, so no sample is lost in
 * a cell that the map or the list no longer reaches.
 */
class JcToolsRttTrackerTest
{
    private static final int THREADS = 2;
    private static final int ROUNDS = 3_000;
    private static final int HOPS = 4;
    private static final long[] CHAINS = {11, 22, 33};

    @Test
    void shouldKeepOneCellPerKeyWhenThreadsInsertItAtOnce() throws Exception
    {
        final JcToolsRttTracker tracker = new JcToolsRttTracker(16, 8.0, 16.0);
        final AtomicInteger arrivals = new AtomicInteger();
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try
        {
            final Future<?>[] workers = new Future<?>[THREADS];
            for (int t = 0; t < THREADS; t++)
            {
                workers[t] = pool.submit(() ->
                {
                    for (int round = 0; round < ROUNDS; round++)
                    {
                        // Spin, not park: threads leave within nanoseconds of each other, so they race on the same
                        // new keys inside the few-instruction windows of get-then-putIfAbsent and the link CAS.
                        arrivals.incrementAndGet();
                        while (arrivals.get() < THREADS * (round + 1))
                        {
                            if (Thread.interrupted())
                            {
                                throw new InterruptedException("partner thread gone"); // let shutdownNow end us
                            }
                            Thread.onSpinWait();
                        }
                        final long chain = CHAINS[round % CHAINS.length];
                        for (int hop = 0; hop < HOPS; hop++)
                        {
                            tracker.observeRoundTrip(round, chain, hop, 1_000 + hop, round * 10L + hop);
                            tracker.ingestReportedOutgoing(round, hop, chain, 500, 250, 3);
                        }
                    }
                    return null;
                });
            }
            for (final Future<?> worker : workers)
            {
                worker.get(60, TimeUnit.SECONDS);
            }
        }
        finally
        {
            pool.shutdownNow();
        }

        assertThat(tracker.trackedSiteCount()).isEqualTo(ROUNDS);
        for (int round = 0; round < ROUNDS; round++)
        {
            final long chain = CHAINS[round % CHAINS.length];
            assertThat(tracker.siteEma(round).sampleCount()).as("site %d", round).isEqualTo(THREADS * HOPS);
            for (int hop = 0; hop < HOPS; hop++)
            {
                assertThat(tracker.edgeEma(round, chain, hop).sampleCount())
                    .as("edge (%d, %d, %d)", round, chain, hop).isEqualTo(THREADS);
                assertThat(tracker.reported(round, hop, chain))
                    .as("report (%d, %d, %d)", round, hop, chain).isNotNull();
            }
        }
        long chainSamples = 0;
        for (final long chain : CHAINS)
        {
            chainSamples += tracker.chainPrior(chain).sampleCount();
        }
        assertThat(chainSamples).isEqualTo((long)THREADS * ROUNDS * HOPS);
        assertThat(tracker.globalPrior().sampleCount()).isEqualTo((long)THREADS * ROUNDS * HOPS);
    }
}
