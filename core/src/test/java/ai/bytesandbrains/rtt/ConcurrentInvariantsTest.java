package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.internal.TrackerLayout;

import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hammers one tracker from several threads, then checks the invariants of docs/concurrency.md on the
 * quiescent state. Correctness only: nothing here is timed.
 */
class ConcurrentInvariantsTest
{
    private static final int THREADS = 4;
    private static final int SITES = 6;
    private static final long[] CHAINS = {ChainIds.fromTargets("a,b"), ChainIds.fromTargets("c")};

    interface Body
    {
        void run(int thread) throws Exception;
    }

    private static void runThreads(final Body body) throws InterruptedException
    {
        final CyclicBarrier start = new CyclicBarrier(THREADS);
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++)
        {
            final int id = t;
            threads[t] = new Thread(() ->
            {
                try
                {
                    start.await();
                    body.run(id);
                }
                catch (final Throwable ex)
                {
                    failures.add(ex);
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }

    @RepeatedTest(5)
    void shouldKeepExactCountsConsistentHistoriesAndOneRecordPerKey() throws Exception
    {
        final RttTracker tracker = RttTracker.builder()
            .siteCapacity(16).edgeCapacity(64).chainCapacity(4).historyCapacity(7).build();
        final int iterations = 50_000;
        final AtomicLongArray siteCounts = new AtomicLongArray(SITES);
        final AtomicLongArray chainCounts = new AtomicLongArray(CHAINS.length);
        final AtomicLong edgeTotal = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong phiReads = new AtomicLong();

        runThreads(thread ->
        {
            final SplittableRandom random = new SplittableRandom(thread);
            long now = 1_000;
            for (int i = 0; i < iterations; i++)
            {
                now += random.nextInt(2_000) - 200; // sometimes late, as clock reads on many threads are
                final int site = random.nextInt(SITES);
                final long elapsed = random.nextInt(50) == 0 ? -1 : random.nextLong(1L << 30);
                final int chain = random.nextInt(CHAINS.length + 1);
                final boolean accepted = chain == CHAINS.length ?
                    tracker.observeRoundTrip(site, elapsed, Math.max(now, 0)) :
                    tracker.observeRoundTrip(site, CHAINS[chain], site % 3, elapsed, Math.max(now, 0));
                if (!accepted)
                {
                    rejected.incrementAndGet();
                    continue;
                }
                siteCounts.incrementAndGet(site);
                if (chain < CHAINS.length)
                {
                    chainCounts.incrementAndGet(chain);
                    edgeTotal.incrementAndGet();
                }
                final double phi = tracker.phi(random.nextInt(SITES), Math.max(now, 0) + random.nextInt(100_000));
                assertThat(phi).isFinite().isGreaterThanOrEqualTo(0.0);
                tracker.estimateBudgetNs(site, CHAINS[0], site % 3, 1);
                phiReads.incrementAndGet();
            }
        });

        final RttTrackerSnapshot snapshot = tracker.snapshot();
        assertThat(snapshot.sites()).hasSize(SITES);
        assertThat(snapshot.sites().stream().map(RttTrackerSnapshot.Site::site).distinct()).hasSize(SITES);
        long total = 0;
        for (final RttTrackerSnapshot.Site site : snapshot.sites())
        {
            assertThat(site.ema().sampleCount()).isEqualTo(siteCounts.get((int)site.site()));
            total += site.ema().sampleCount();
        }
        assertThat(snapshot.globalPrior().sampleCount()).isEqualTo(total);
        assertThat(snapshot.counters().rejectedSamples()).isEqualTo(rejected.get());
        for (int c = 0; c < CHAINS.length; c++)
        {
            final EmaView view = new EmaView();
            assertThat(tracker.readChainPrior(CHAINS[c], view)).isTrue();
            assertThat(view.sampleCount()).isEqualTo(chainCounts.get(c));
        }
        assertThat(snapshot.edges().stream().mapToLong(e -> e.ema().sampleCount()).sum()).isEqualTo(edgeTotal.get());
        assertThat(snapshot.edges()).hasSize(SITES * CHAINS.length);
        assertThat(snapshot.edges().stream().map(e -> List.of(e.site(), e.chainId(), (long)e.hopIndex())).distinct())
            .hasSize(snapshot.edges().size());
        assertHistoriesConsistent(tracker, siteCounts);
        assertThat(phiReads.get()).isPositive();
        tracker.close();
    }

    private static void assertHistoriesConsistent(final RttTracker tracker, final AtomicLongArray siteCounts)
    {
        final AtomicBuffer buffer = tracker.buffer();
        final TrackerLayout layout = tracker.layout();
        final int capacity = tracker.config().historyCapacity();
        final RecordTable sites = tracker.tables().sites();
        final long[] ring = new long[capacity];
        for (int record = 0; record < sites.highWaterMark(); record++)
        {
            final int control = SiteRecord.historyOffset(sites.recordOffset(record));
            final long claimed = buffer.getLongVolatile(control + HeartbeatHistory.CLAIMED_OFFSET);
            final long completed = HeartbeatHistory.completedVolatile(buffer, control);
            assertThat(claimed).isEqualTo(completed);
            if (sites.isLive(record))
            {
                // At most one gap per accepted observe after the site's first (a late one records none).
                assertThat(completed).isLessThan(siteCounts.get((int)sites.key0(record)));
            }
            final int ringOffset = layout.ringOffset(record);
            final long runningSum = HeartbeatHistory.sumVolatile(buffer, control);
            // The raw ring, whose unwritten slots are still 0, read without copyOldestFirst.
            long rawSum = 0;
            for (int i = 0; i < capacity; i++)
            {
                rawSum += buffer.getLongVolatile(ringOffset + i * Long.BYTES);
            }
            assertThat(runningSum).isEqualTo(rawSum);
            final int length = HeartbeatHistory.copyOldestFirst(buffer, control, ringOffset, capacity, ring);
            long sum = 0;
            for (int i = 0; i < length; i++)
            {
                assertThat(ring[i]).isNotNegative();
                sum += ring[i];
            }
            assertThat(sum).isEqualTo(runningSum);
        }
    }

    @RepeatedTest(20)
    void shouldEndWithOneRecordPerKeyWhenThreadsInsertTheSameNewKeys() throws Exception
    {
        final int capacity = 64;
        final AtomicBuffer buffer = new UnsafeBuffer(
            ByteBuffer.allocateDirect((int)RecordTable.regionLength(capacity, 64)));
        final RecordTable table = new RecordTable(buffer, 0, capacity, 64);
        final long[][] seen = new long[THREADS][capacity];
        runThreads(thread ->
        {
            for (int key = 0; key < capacity; key++)
            {
                seen[thread][key] = table.findOrInsert(key, key * 31L, -key);
            }
        });
        // A refusal is allowed only as documented: an inserter met the last free records reserved by
        // racers that stayed descheduled past MAX_RESERVE_ATTEMPTS (likely with 4 threads on 2 cores).
        // Each refusal is counted, and every thread that got a handle for a key got the same one.
        long refusals = 0;
        final long[] handles = new long[capacity];
        Arrays.fill(handles, RecordTable.NOT_FOUND);
        for (int key = 0; key < capacity; key++)
        {
            for (int thread = 0; thread < THREADS; thread++)
            {
                final long handle = seen[thread][key];
                if (handle == RecordTable.NOT_FOUND)
                {
                    refusals++;
                }
                else if (handles[key] == RecordTable.NOT_FOUND)
                {
                    handles[key] = handle;
                }
                else
                {
                    assertThat(handle).as("key %d, thread %d", key, thread).isEqualTo(handles[key]);
                }
            }
        }
        assertThat(table.overflowCount()).as("refusals are counted, and only they").isEqualTo(refusals);
        // Once the racers are done, records lost to same-key races are back on the free list: every key
        // fits, and a key some thread already holds keeps its record.
        final Set<Integer> records = new HashSet<>();
        for (int key = 0; key < capacity; key++)
        {
            final long handle = table.findOrInsert(key, key * 31L, -key);
            assertThat(handle).as("key %d after the race", key).isNotNegative();
            if (handles[key] != RecordTable.NOT_FOUND)
            {
                assertThat(handle).isEqualTo(handles[key]);
            }
            records.add(RecordTable.record(handle));
        }
        assertThat(records).hasSize(capacity);
        assertThat(table.size()).isEqualTo(capacity);
        assertThat(table.overflowCount()).isEqualTo(refusals);
    }

    @RepeatedTest(20)
    void shouldRefuseExactlyTheInsertsBeyondCapacityUnderContention() throws Exception
    {
        final int capacity = 50;
        final int keysPerThread = 20;
        final AtomicBuffer buffer = new UnsafeBuffer(
            ByteBuffer.allocateDirect((int)RecordTable.regionLength(capacity, 64)));
        final RecordTable table = new RecordTable(buffer, 0, capacity, 64);
        final AtomicLong refused = new AtomicLong();
        runThreads(thread ->
        {
            for (int i = 0; i < keysPerThread; i++)
            {
                if (table.findOrInsert(thread * 1000L + i, 0, 0) == RecordTable.NOT_FOUND)
                {
                    refused.incrementAndGet();
                }
            }
        });
        assertThat(table.size()).isEqualTo(capacity);
        assertThat(table.overflowCount()).isEqualTo(refused.get()).isEqualTo(THREADS * keysPerThread - capacity);
        int live = 0;
        for (int record = 0; record < table.highWaterMark(); record++)
        {
            if (table.isLive(record))
            {
                live++;
                final long key = table.key0(record);
                assertThat(RecordTable.record(table.find(key, 0, 0))).isEqualTo(record);
            }
        }
        assertThat(live).isEqualTo(capacity);
    }

    @RepeatedTest(10)
    void shouldReportEachTransitionExactlyOnceAcrossConcurrentScans() throws Exception
    {
        final int sites = 200;
        final RttTracker tracker = RttTracker.builder().siteCapacity(sites).historyCapacity(4).build();
        for (int site = 0; site < sites; site++)
        {
            for (int beat = 0; beat < 3; beat++)
            {
                tracker.observeRoundTrip(site, 10, beat * 1000L);
            }
        }
        final long suspectAt = 2000 + 10 * 2303;
        final long downAt = 2000 + 20 * 2303;
        final AtomicLong[] reports = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
        final AtomicLong returned = new AtomicLong();
        final CyclicBarrier phase = new CyclicBarrier(THREADS);
        runThreads(thread ->
        {
            // All threads scan at the same instant, phase by phase: each change must be reported once.
            for (final long now : new long[]{suspectAt, suspectAt + 1, downAt, downAt + 5})
            {
                returned.addAndGet(tracker.scanPhi(now, (site, state, phi) -> reports[state.ordinal()].incrementAndGet()));
                phase.await(30, TimeUnit.SECONDS); // a failed thread times the others out instead of hanging them
            }
        });
        assertThat(reports[PhiState.LIVE.ordinal()].get()).isZero();
        assertThat(reports[PhiState.SUSPECT.ordinal()].get()).isEqualTo(sites);
        assertThat(reports[PhiState.DOWN.ordinal()].get()).isEqualTo(sites);
        assertThat(returned.get()).isEqualTo(2L * sites);
        final SiteView view = new SiteView();
        for (int site = 0; site < sites; site++)
        {
            assertThat(tracker.readSite(site, view)).isTrue();
            assertThat(view.lastPhiState()).isEqualTo(PhiState.DOWN);
        }
        tracker.close();
    }

    @Test
    void shouldNeverCrashWhenClosedWhileOtherThreadsObserve() throws Exception
    {
        final RttTracker tracker = RttTracker.builder().siteCapacity(8).historyCapacity(8).build();
        final AtomicLong afterClose = new AtomicLong();
        runThreads(thread ->
        {
            if (thread == 0)
            {
                Thread.sleep(5);
                tracker.close();
                return;
            }
            for (int i = 0; ; i++)
            {
                try
                {
                    tracker.observeRoundTrip(i % 8, 100, i);
                    tracker.phi(i % 8, i);
                }
                catch (final IllegalStateException closed)
                {
                    afterClose.incrementAndGet();
                    return;
                }
            }
        });
        assertThat(afterClose.get()).isEqualTo(THREADS - 1);
    }
}
