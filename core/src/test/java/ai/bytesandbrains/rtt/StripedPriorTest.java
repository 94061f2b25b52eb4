package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.file.TrackerFile;
import ai.bytesandbrains.rtt.file.TrackerFileException;
import ai.bytesandbrains.rtt.file.TrackerFileReader;
import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.internal.StripedPrior;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The thread-owned stripes of the global and chain priors (see {@code StripedPrior}): one writing thread
 * reproduces the reference exactly, also across a restart and an import; counts are exact with several
 * threads, on owned stripes and on the shared cell; a thread whose stripe is owned falls back to the
 * shared cell; the stripe count is validated and stored in the file.
 */
class StripedPriorTest
{
    private static final long[] CHAINS = {ChainIds.fromTargets("a,b"), ChainIds.fromTargets("c"), 0};
    private static final long SMALL = 1L << 24; // below 2^24 ns the library is bit-identical to the reference

    @TempDir
    Path dir;

    private static RttTrackerConfig config(final int stripes)
    {
        return RttTrackerConfig.builder().siteCapacity(64).edgeCapacity(256).chainCapacity(8).reportedCapacity(8)
            .historyCapacity(8).priorStripes(stripes).toConfig();
    }

    /** Random observes, with and without a chain, fed to both; returns the next {@code now}. */
    private static long feed(final RttTracker tracker, final ReferenceRttTracker reference, final SplittableRandom random,
        final int count, final long now)
    {
        long t = now;
        for (int i = 0; i < count; i++)
        {
            final long site = random.nextInt(16);
            final long elapsed = random.nextLong(SMALL);
            t += 1 + random.nextInt(1_000);
            if (random.nextBoolean())
            {
                final long chain = CHAINS[random.nextInt(CHAINS.length)];
                final int hop = random.nextInt(3);
                assertThat(tracker.observeRoundTrip(site, chain, hop, elapsed, t)).isTrue();
                reference.observe(site, true, chain, hop, elapsed, t);
            }
            else
            {
                assertThat(tracker.observeRoundTrip(site, elapsed, t)).isTrue();
                reference.observe(site, false, 0, 0, elapsed, t);
            }
        }
        return t;
    }

    private static void assertPriorsMatch(final RttTracker tracker, final ReferenceRttTracker reference)
    {
        final EmaView view = new EmaView();
        tracker.readGlobalPrior(view);
        assertMatches("global prior", view, reference.globalPrior);
        for (final long chain : CHAINS)
        {
            final ReferenceRttTracker.Ema expected = reference.chainPriors.get(chain);
            if (expected != null)
            {
                assertThat(tracker.readChainPrior(chain, view)).isTrue();
                assertMatches("chain " + chain, view, expected);
            }
        }
    }

    private static void assertMatches(final String what, final EmaView view, final ReferenceRttTracker.Ema expected)
    {
        assertThat(view.sampleCount()).as("%s count", what).isEqualTo(expected.count);
        assertThat(EmaWord.srttNs(view.word())).as("%s srtt", what).isEqualTo(expected.srtt);
        assertThat(EmaWord.rttvarNs(view.word())).as("%s rttvar", what).isEqualTo(expected.rttvar);
        assertThat(EmaWord.state(view.word())).as("%s warm-up state", what).isEqualTo((int)Math.min(expected.count, 3));
    }

    private static void onNewThread(final Runnable body) throws InterruptedException
    {
        final Throwable[] failure = new Throwable[1];
        final Thread thread = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final Throwable t)
            {
                failure[0] = t;
            }
        });
        thread.start();
        thread.join();
        if (failure[0] != null)
        {
            throw new AssertionError("worker failed", failure[0]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 64})
    void shouldMatchTheReferenceBitForBitWithOneWritingThread(final int stripes)
    {
        final RttTrackerConfig config = config(stripes);
        try (RttTracker tracker = config.toBuilder().build())
        {
            final ReferenceRttTracker reference = new ReferenceRttTracker(config);
            final SplittableRandom random = new SplittableRandom(stripes);
            long now = 0;
            for (int round = 0; round < 20; round++)
            {
                now = feed(tracker, reference, random, 1 + random.nextInt(50), now);
                assertPriorsMatch(tracker, reference);
                // The estimate's global tier reads the published word: the reference's global budget.
                if (reference.globalPrior.warm())
                {
                    assertThat(tracker.reader().globalWord()).isEqualTo(tracker.readGlobalPrior(new EmaView()).word());
                }
            }
        }
    }

    @Test
    void shouldContinueThePriorWhenAnotherThreadTakesOver() throws InterruptedException
    {
        final RttTrackerConfig config = config(8);
        try (RttTracker tracker = config.toBuilder().build())
        {
            final ReferenceRttTracker reference = new ReferenceRttTracker(config);
            final SplittableRandom random = new SplittableRandom(7);
            final long[] now = {0};
            // One writer at a time: a thread's first write joins from the published word, on a fresh stripe
            // or on the shared cell when its stripe is the earlier thread's.
            onNewThread(() -> now[0] = feed(tracker, reference, random, 200, now[0]));
            onNewThread(() -> now[0] = feed(tracker, reference, random, 200, now[0]));
            assertPriorsMatch(tracker, reference);
        }
    }

    @Test
    void shouldContinueExactlyAfterReopeningTheFile() throws InterruptedException
    {
        final RttTrackerConfig config = config(8);
        final Path file = dir.resolve("priors.rtt");
        final ReferenceRttTracker reference = new ReferenceRttTracker(config);
        final SplittableRandom random = new SplittableRandom(11);
        final long[] now = {0};
        try (TrackerFile trackerFile = TrackerFile.create(file, config))
        {
            // Several threads before the restart: the published word is one stripe's, the count their sum.
            onNewThread(() -> now[0] = feed(trackerFile.tracker(), reference, random, 300, now[0]));
            now[0] = feed(trackerFile.tracker(), reference, random, 300, now[0]);
        }
        final EmaView before = new EmaView();
        try (TrackerFileReader reader = TrackerFileReader.open(file))
        {
            assertThat(reader.config().priorStripes()).isEqualTo(8);
            assertThat(reader.snapshot().globalPrior().sampleCount()).isEqualTo(600);
        }
        try (TrackerFile trackerFile = TrackerFile.open(file, config))
        {
            final RttTracker tracker = trackerFile.tracker();
            final AtomicBuffer buffer = tracker.tables().buffer();
            final TrackerLayout layout = tracker.tables().layout();
            tracker.readGlobalPrior(before);
            for (int stripe = 0; stripe < 8; stripe++)
            {
                assertThat(StripedPrior.owner(buffer, stripe)).as("owner of stripe %d after reopening", stripe).isZero();
                final int stripeOffset = layout.globalStripesOffset() + stripe * TrackerLayout.STRIPE_LENGTH;
                assertThat(buffer.getLong(stripeOffset + StripedPrior.WORD_OFFSET)).isEqualTo(before.word());
                assertThat(buffer.getLong(stripeOffset + StripedPrior.COUNT_OFFSET)).isZero();
            }
            assertThat(AtomicEma.word(buffer, TrackerLayout.GLOBAL_SHARED_OFFSET)).isEqualTo(before.word());
            assertThat(AtomicEma.sampleCount(buffer, TrackerLayout.GLOBAL_SHARED_OFFSET)).isEqualTo(600);

            // From here on one writing thread, which continues from the restored prior: the reference's
            // global prior is then the published word of the last writer before the restart continued.
            final ReferenceRttTracker continued = new ReferenceRttTracker(config);
            seed(continued.globalPrior, before);
            final EmaView chainView = new EmaView();
            for (final long chain : CHAINS)
            {
                if (tracker.readChainPrior(chain, chainView))
                {
                    final ReferenceRttTracker.Ema ema = new ReferenceRttTracker.Ema();
                    seed(ema, chainView);
                    continued.chainPriors.put(chain, ema);
                }
            }
            feed(tracker, continued, random, 300, now[0]);
            assertPriorsMatch(tracker, continued);
        }
    }

    @Test
    void shouldContinueExactlyAfterRestartOnOneThreadAsAnUninterruptedReference()
    {
        final RttTrackerConfig config = config(4);
        final Path file = dir.resolve("one-thread.rtt");
        final ReferenceRttTracker reference = new ReferenceRttTracker(config);
        final SplittableRandom random = new SplittableRandom(5);
        final long now;
        try (TrackerFile trackerFile = TrackerFile.create(file, config))
        {
            now = feed(trackerFile.tracker(), reference, random, 400, 0);
        }
        try (TrackerFile trackerFile = TrackerFile.open(file, config))
        {
            feed(trackerFile.tracker(), reference, random, 400, now);
            assertPriorsMatch(trackerFile.tracker(), reference);
        }
    }

    @Test
    void shouldContinueExactlyAfterASnapshotImport()
    {
        final RttTrackerConfig config = config(8);
        final ReferenceRttTracker reference = new ReferenceRttTracker(config);
        final SplittableRandom random = new SplittableRandom(3);
        final RttTrackerSnapshot snapshot;
        final long now;
        try (RttTracker tracker = config.toBuilder().build())
        {
            now = feed(tracker, reference, random, 400, 0);
            snapshot = tracker.snapshot();
        }
        try (RttTracker imported = config.toBuilder().build())
        {
            imported.importSnapshot(snapshot);
            assertPriorsMatch(imported, reference);
            feed(imported, reference, random, 400, now);
            assertPriorsMatch(imported, reference);
        }
    }

    private static void seed(final ReferenceRttTracker.Ema ema, final EmaView view)
    {
        ema.srtt = EmaWord.srttNs(view.word());
        ema.rttvar = EmaWord.rttvarNs(view.word());
        ema.count = view.sampleCount();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8})
    void shouldCountEverySampleOfTwoThreadsExactly(final int stripes) throws InterruptedException
    {
        final int perThread = 100_000;
        try (RttTracker tracker = config(stripes).toBuilder().build())
        {
            final CountDownLatch start = new CountDownLatch(1);
            final Thread[] threads = new Thread[2];
            for (int t = 0; t < threads.length; t++)
            {
                final long site = t;
                threads[t] = new Thread(() ->
                {
                    awaitQuietly(start);
                    for (int i = 0; i < perThread; i++)
                    {
                        tracker.observeRoundTrip(site, CHAINS[0], 0, 1_000 + (i & 1023), i + 1);
                        tracker.observeRoundTrip(site, 2_000 + (i & 511), i + 1);
                    }
                });
                threads[t].start();
            }
            start.countDown();
            for (final Thread thread : threads)
            {
                thread.join();
            }
            final EmaView view = new EmaView();
            assertThat(tracker.readGlobalPrior(view).sampleCount()).isEqualTo(4L * perThread);
            assertThat(EmaWord.isWarm(view.word())).isTrue();
            assertThat(EmaWord.srttNs(view.word())).isBetween(900L, 2_600L);
            assertThat(tracker.readChainPrior(CHAINS[0], view)).isTrue();
            assertThat(view.sampleCount()).isEqualTo(2L * perThread);
            assertThat(EmaWord.srttNs(view.word())).isBetween(900L, 2_100L);
            assertThat(tracker.snapshot().globalPrior().sampleCount()).isEqualTo(4L * perThread);
            if (stripes == 1)
            {
                // One stripe, two threads: one owned it, the other wrote through the shared cell.
                final AtomicBuffer buffer = tracker.tables().buffer();
                assertThat(StripedPrior.owner(buffer, 0)).isIn(threads[0].getId(), threads[1].getId());
                assertThat(AtomicEma.sampleCount(buffer, TrackerLayout.GLOBAL_SHARED_OFFSET)).isEqualTo(2L * perThread);
            }
        }
    }

    @Test
    void shouldFallBackToTheSharedCellWhenEveryStripeIsOwned() throws InterruptedException
    {
        final int stripes = 2;
        final int threads = 12;
        try (RttTracker tracker = config(stripes).toBuilder().build())
        {
            final AtomicBuffer buffer = tracker.tables().buffer();
            final TrackerLayout layout = tracker.tables().layout();
            final Set<Integer> stripesSeen = new HashSet<>();
            final long[] ids = new long[threads];
            for (int t = 0; t < threads; t++)
            {
                final int index = t;
                onNewThread(() ->
                {
                    ids[index] = Thread.currentThread().getId();
                    stripesSeen.add(StripedPrior.stripeOf(ids[index], stripes));
                    for (int i = 0; i < 10; i++)
                    {
                        tracker.observeRoundTrip(index, CHAINS[1], 0, 500, i + 1);
                    }
                });
            }
            // Every stripe some thread mapped to is owned by the first of them; all others used the shared cell.
            long owned = 0;
            for (int stripe = 0; stripe < stripes; stripe++)
            {
                final long owner = StripedPrior.owner(buffer, stripe);
                if (stripesSeen.contains(stripe))
                {
                    assertThat(owner).isIn(ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8], ids[9],
                        ids[10], ids[11]);
                    assertThat(StripedPrior.stripeOf(owner, stripes)).isEqualTo(stripe);
                    owned += tracker.tables().buffer().getLong(
                        layout.globalStripesOffset() + stripe * TrackerLayout.STRIPE_LENGTH + StripedPrior.COUNT_OFFSET);
                }
                else
                {
                    assertThat(owner).isZero();
                }
            }
            assertThat(owned).isEqualTo(10L * stripesSeen.size());
            final long shared = AtomicEma.sampleCount(buffer, TrackerLayout.GLOBAL_SHARED_OFFSET);
            assertThat(shared).isEqualTo(10L * (threads - stripesSeen.size()));
            final EmaView view = new EmaView();
            assertThat(tracker.readGlobalPrior(view).sampleCount()).isEqualTo(10L * threads);
            assertThat(EmaWord.srttNs(view.word())).isEqualTo(500);
            assertThat(tracker.readChainPrior(CHAINS[1], view)).isTrue();
            assertThat(view.sampleCount()).isEqualTo(10L * threads);
            assertThat(EmaWord.srttNs(view.word())).isEqualTo(500);
        }
    }

    @Test
    void shouldRefuseAStripeCountThatIsNotAPowerOfTwoIn1To64()
    {
        for (final int bad : new int[] {0, -1, 3, 6, 65, 128, Integer.MIN_VALUE})
        {
            assertThatIllegalArgumentException().isThrownBy(() -> config(bad))
                .withMessageContaining("priorStripes").withMessageContaining(Integer.toString(bad));
        }
        for (final int good : new int[] {1, 2, 4, 8, 16, 32, 64})
        {
            assertThat(config(good).priorStripes()).isEqualTo(good);
            assertThat(new TrackerLayout(config(good)).chainRecordLength()).isEqualTo(128 + 64 * good);
        }
        assertThat(RttTrackerConfig.builder().toConfig().priorStripes()).isEqualTo(RttTrackerConfig.DEFAULT_PRIOR_STRIPES);
        assertThat(config(4).sameLayoutAs(config(8))).isFalse();
    }

    @Test
    void shouldStoreTheStripeCountInTheFileAndRefuseAnotherOne()
    {
        final Path file = dir.resolve("stripes.rtt");
        try (TrackerFile trackerFile = TrackerFile.create(file, config(16)))
        {
            trackerFile.tracker().observeRoundTrip(1, 1_000, 1);
        }
        try (TrackerFileReader reader = TrackerFileReader.open(file))
        {
            assertThat(reader.config().priorStripes()).isEqualTo(16);
        }
        assertThatThrownBy(() -> TrackerFile.open(file, config(8)))
            .isInstanceOf(TrackerFileException.class)
            .hasMessageContaining("priorStripes=16 in file, 8 asked for");
        try (TrackerFile trackerFile = TrackerFile.open(file))
        {
            assertThat(trackerFile.tracker().readGlobalPrior(new EmaView()).sampleCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldMapConsecutiveThreadIdsAcrossTheStripes()
    {
        final Consumer<Integer> spreads = stripes ->
        {
            final Set<Integer> seen = new HashSet<>();
            for (long id = 1; id <= 4L * stripes; id++)
            {
                seen.add(StripedPrior.stripeOf(id, stripes));
            }
            assertThat(seen).as("stripes hit by %d consecutive ids", 4 * stripes).hasSizeGreaterThan(stripes / 2);
        };
        for (int stripes = 1; stripes <= 64; stripes <<= 1)
        {
            spreads.accept(stripes);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
