package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.view.SiteView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link SiteHandle}: calls through a handle give the id calls' results (the randomized proof against the
 * reference is {@code ReferenceDifferentialTest.shouldMatchReferenceExactlyThroughSiteHandlesMixedWithIds}),
 * and a handle whose occupant was evicted, its record now another site's, never reads or writes that site.
 */
class SiteHandleTest
{
    private static final long A = 11;
    private static final long B = 22;
    private static final long DEFAULT_NS = 5_000_000;

    private final RttTracker tracker = RttTracker.builder()
        .siteCapacity(2).edgeCapacity(4).chainCapacity(2).reportedCapacity(2).historyCapacity(8)
        .localPauseAwareness(false).build();

    private long recordOf(final RttTracker target, final long site)
    {
        return RecordTable.record(target.tables().sites().find(site, 0, 0));
    }

    private static SiteView view(final RttTracker target, final long site)
    {
        final SiteView view = new SiteView();
        assertThat(target.readSite(site, view)).isTrue();
        return view;
    }

    @Test
    void shouldTrackASiteOnItsFirstObserveThroughAHandleMadeBeforeIt()
    {
        final SiteHandle a = tracker.siteHandle(A);
        assertThat(a.site()).isEqualTo(A);
        assertThat(tracker.trackedSiteCount()).isZero();
        assertThat(tracker.estimateBudgetNs(a, DEFAULT_NS)).isEqualTo(DEFAULT_NS);
        assertThat(tracker.phi(a, 1_000)).isZero();

        for (int i = 1; i <= 3; i++)
        {
            assertThat(tracker.observeRoundTrip(a, 1_000 * i, 1_000_000L * i)).isTrue();
        }
        assertThat(tracker.trackedSiteCount()).isEqualTo(1);
        assertThat(view(tracker, A).sampleCount()).isEqualTo(3);
        assertThat(tracker.estimateBudgetNs(a, DEFAULT_NS)).isEqualTo(tracker.estimateBudgetNs(A, DEFAULT_NS))
            .isNotEqualTo(DEFAULT_NS);
        assertThat(tracker.phi(a, 9_000_000L)).isEqualTo(tracker.phi(A, 9_000_000L)).isPositive();
    }

    @Test
    void shouldNeverWriteOrReadTheNextOccupantOfAnEvictedSitesRecord()
    {
        final SiteHandle a = tracker.siteHandle(A);
        tracker.observeRoundTrip(a, 1_000, 1_000_000L);
        final long recordOfA = recordOf(tracker, A);
        assertThat(tracker.evictSite(A)).isTrue();
        for (int i = 1; i <= 3; i++)
        {
            tracker.observeRoundTrip(B, 7_000, 1_000_000L * i); // B takes A's freed record
        }
        assertThat(recordOf(tracker, B)).isEqualTo(recordOfA);
        final long budgetOfB = tracker.estimateBudgetNs(B, DEFAULT_NS);

        // A's handle still caches A's old occupant: every call must see it gone, not read B.
        // A is gone, so the global prior answers, as for A's id; B's site tier must not.
        assertThat(tracker.estimateBudgetNs(a, DEFAULT_NS)).isEqualTo(tracker.estimateBudgetNs(A, DEFAULT_NS))
            .isNotEqualTo(budgetOfB);
        assertThat(tracker.estimateBudgetNs(a, 1, 0, DEFAULT_NS)).isEqualTo(tracker.estimateBudgetNs(A, 1, 0, DEFAULT_NS))
            .isNotEqualTo(budgetOfB);
        assertThat(tracker.phi(a, 9_000_000L)).isZero();
        tracker.observeRoundTrip(a, 2_000, 4_000_000L);

        assertThat(view(tracker, B).sampleCount()).isEqualTo(3);
        assertThat(tracker.estimateBudgetNs(B, DEFAULT_NS)).isEqualTo(budgetOfB);
        assertThat(view(tracker, A).sampleCount()).isEqualTo(1);
        assertThat(view(tracker, A).srttNs()).isEqualTo(2_000);
        assertThat(recordOf(tracker, A)).isNotEqualTo(recordOfA);
    }

    @Test
    void shouldCountAFullTableAsAnObserveByIdDoes()
    {
        tracker.observeRoundTrip(A, 1_000, 1_000L);
        tracker.observeRoundTrip(B, 1_000, 1_000L);
        final SiteHandle c = tracker.siteHandle(33);
        final long overflow = tracker.siteOverflowCount();
        assertThat(tracker.observeRoundTrip(c, 1_000, 2_000L)).isTrue();
        assertThat(tracker.siteOverflowCount()).isEqualTo(overflow + 1);
        assertThat(tracker.trackedSiteCount()).isEqualTo(2);
        tracker.evictSite(B);
        assertThat(tracker.observeRoundTrip(c, 3_000, 3_000L)).isTrue(); // room again: tracked now
        assertThat(view(tracker, 33).srttNs()).isEqualTo(3_000);
    }

    @Test
    void shouldRejectANegativeSampleWithoutTrackingTheSite()
    {
        final SiteHandle a = tracker.siteHandle(A);
        final long rejected = tracker.rejectedSampleCount();
        assertThat(tracker.observeRoundTrip(a, -1, 1_000L)).isFalse();
        assertThat(tracker.observeRoundTrip(a, 7, 0, 1_000, -5L)).isFalse();
        assertThat(tracker.phi(a, -1)).isZero();
        assertThat(tracker.rejectedSampleCount()).isEqualTo(rejected + 3);
        assertThat(tracker.trackedSiteCount()).isZero();
    }

    @Test
    void shouldRefuseAHandleOfAnotherTrackerNamingIt()
    {
        final RttTracker other = RttTracker.builder().siteCapacity(2).edgeCapacity(4).chainCapacity(2)
            .reportedCapacity(2).historyCapacity(8).build();
        other.observeRoundTrip(A, 1_000, 1_000L);
        tracker.observeRoundTrip(A, 9_000, 1_000L);
        final SiteHandle foreign = other.siteHandle(A); // names record 0, generation 0: valid-looking here
        assertThatIllegalArgumentException().isThrownBy(() -> tracker.observeRoundTrip(foreign, 1_000, 2_000L))
            .withMessageContaining("SiteHandle[site=11]").withMessageContaining("another tracker");
        assertThatIllegalArgumentException().isThrownBy(() -> tracker.observeRoundTrip(foreign, 1, 0, 1_000, 2_000L));
        assertThatIllegalArgumentException().isThrownBy(() -> tracker.estimateBudgetNs(foreign, DEFAULT_NS));
        assertThatIllegalArgumentException().isThrownBy(() -> tracker.estimateBudgetNs(foreign, 1, 0, DEFAULT_NS));
        assertThatIllegalArgumentException().isThrownBy(() -> tracker.phi(foreign, 2_000L));
        assertThat(view(tracker, A).sampleCount()).isEqualTo(1);
        assertThatNullPointerException().isThrownBy(() -> tracker.observeRoundTrip((SiteHandle)null, 1_000, 2_000L));
    }

    /**
     * A thread that gets a handle through a data race may read its cache field's default (JLS 17.4): that
     * must mean "resolve", never record 0 of generation 0, which here is B's.
     */
    @Test
    void shouldResolveAgainWhenTheCacheFieldReadsItsDefault() throws Exception
    {
        tracker.observeRoundTrip(B, 7_000, 1_000L);
        assertThat(tracker.tables().sites().find(B, 0, 0)).isZero(); // B's handle: record 0, generation 0
        final SiteHandle a = tracker.siteHandle(A);
        final java.lang.reflect.Field field = SiteHandle.class.getDeclaredField("inverted");
        field.setAccessible(true);
        field.setLong(a, 0L); // what a racy reader may see
        assertThat(tracker.estimateBudgetNs(a, DEFAULT_NS)).isEqualTo(tracker.estimateBudgetNs(A, DEFAULT_NS));
        tracker.observeRoundTrip(a, 1_000, 2_000L);
        assertThat(view(tracker, B).sampleCount()).isEqualTo(1);
        assertThat(view(tracker, A).sampleCount()).isEqualTo(1);
    }

    /**
     * A record linked but still RESERVED (its inserter descheduled before marking it LIVE) is not cached, so
     * an observe through the handle takes the id path, which marks it LIVE as a lookup by id does.
     */
    @Test
    void shouldPublishAReservedRecordAsAnObserveByIdDoes()
    {
        tracker.observeRoundTrip(A, 1_000, 1_000L);
        final RecordTable sites = tracker.tables().sites();
        final long handle = sites.find(A, 0, 0);
        final org.agrona.concurrent.AtomicBuffer buffer = tracker.tables().buffer();
        buffer.putLongVolatile(sites.recordOffset(RecordTable.record(handle)) + RecordTable.STATE_OFFSET,
            (handle & ~0xFFFF_FFFFL) | RecordTable.PHASE_RESERVED);
        final int controlOffset = sites.recordOffset(0) - RecordTable.slotCount(2) * Long.BYTES - RecordTable.CONTROL_LENGTH;
        buffer.putLongVolatile(controlOffset + RecordTable.SIZE_OFFSET, 0);
        assertThat(tracker.trackedSiteCount()).isZero();

        final SiteHandle a = tracker.siteHandle(A);
        tracker.observeRoundTrip(a, 2_000, 2_000L);
        assertThat(tracker.trackedSiteCount()).isEqualTo(1);
        assertThat(view(tracker, A).sampleCount()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAForeignOrNullHandleEvenWithARejectedValue()
    {
        final RttTracker other = RttTracker.builder().siteCapacity(2).edgeCapacity(4).chainCapacity(2)
            .reportedCapacity(2).historyCapacity(8).build();
        final SiteHandle foreign = other.siteHandle(A);
        final long rejected = tracker.rejectedSampleCount();
        assertThatIllegalArgumentException().isThrownBy(() -> tracker.observeRoundTrip(foreign, -1, 1_000L));
        assertThatIllegalArgumentException().isThrownBy(() -> tracker.observeRoundTrip(foreign, 1, 0, -1, 1_000L));
        assertThatIllegalArgumentException().isThrownBy(() -> tracker.phi(foreign, -1));
        assertThatNullPointerException().isThrownBy(() -> tracker.observeRoundTrip((SiteHandle)null, -1, 1_000L));
        assertThat(tracker.rejectedSampleCount()).isEqualTo(rejected);
    }

    @Test
    void shouldRefuseHandlesOnceClosed()
    {
        final SiteHandle a = tracker.siteHandle(A);
        tracker.close();
        assertThatIllegalStateException().isThrownBy(() -> tracker.siteHandle(A));
        assertThatIllegalStateException().isThrownBy(() -> tracker.observeRoundTrip(a, 1_000, 1_000L));
        assertThatIllegalStateException().isThrownBy(() -> tracker.estimateBudgetNs(a, DEFAULT_NS));
        assertThatIllegalStateException().isThrownBy(() -> tracker.phi(a, 1_000L));
    }

    /**
     * Threads share handles of churning sites while an evictor keeps freeing their records for others; a
     * canary site, observed by id with its own sample only, must end exactly as if alone: a write through a
     * stale handle landing in its record (reused or not) would show in its count or its EMA.
     */
    @Test
    void shouldKeepACanaryExactWhileSharedHandlesGoStaleUnderEviction() throws Exception
    {
        // Capacity for every key, so the canary is never refused; records are reused only through eviction.
        final RttTracker shared = RttTracker.builder().siteCapacity(8).edgeCapacity(16).chainCapacity(2)
            .reportedCapacity(2).historyCapacity(8).localPauseAwareness(false).build();
        final long canary = 999;
        final long canarySample = 4_242;
        final long[] churn = {1, 2, 3, 4, 5, 6};
        final SiteHandle[] handles = new SiteHandle[churn.length];
        for (int i = 0; i < churn.length; i++)
        {
            handles[i] = shared.siteHandle(churn[i]);
        }
        final int writers = 3;
        final int rounds = 20_000;
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++)
        {
            final int seed = w;
            threads.add(new Thread(() ->
            {
                final SplittableRandom random = new SplittableRandom(seed);
                try
                {
                    start.await();
                    for (int r = 0; r < rounds; r++)
                    {
                        final SiteHandle handle = handles[random.nextInt(handles.length)];
                        shared.observeRoundTrip(handle, 100_000 + random.nextInt(1_000), r + 1L);
                        shared.observeRoundTrip(handle, 5, random.nextInt(3), 100_000, r + 1L);
                        shared.estimateBudgetNs(handle, DEFAULT_NS);
                        shared.phi(handle, r + 2L);
                    }
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        final Thread evictor = new Thread(() ->
        {
            final SplittableRandom random = new SplittableRandom(99);
            try
            {
                start.await();
                long canaryObserves = 0;
                while (!done.get())
                {
                    shared.evictSite(churn[random.nextInt(churn.length)]);
                    // by id, from this thread alone: the canary's record is often a reused one
                    if (canaryObserves == 0 || random.nextInt(8) == 0)
                    {
                        shared.evictSite(canary);
                        canaryObserves = 0;
                    }
                    shared.observeRoundTrip(canary, canarySample, ++canaryObserves);
                    final SiteView view = new SiteView();
                    if (shared.readSite(canary, view))
                    {
                        assertThat(view.sampleCount()).isEqualTo(canaryObserves);
                        assertThat(view.srttNs()).isEqualTo(canarySample);
                        assertThat(view.historyLength()).isEqualTo((int)Math.min(canaryObserves - 1, 8));
                    }
                }
            }
            catch (final Throwable t)
            {
                failure.compareAndSet(null, t);
            }
        });
        threads.forEach(Thread::start);
        evictor.start();
        start.countDown();
        for (final Thread thread : threads)
        {
            thread.join();
        }
        done.set(true);
        evictor.join();
        assertThat(failure.get()).isNull();
        assertThat(shared.siteOverflowCount()).isZero();
        final RecordTable sites = shared.tables().sites();
        assertThat(sites.size() + sites.freeCount()).isEqualTo(8); // no record lost or leaked
    }
}
