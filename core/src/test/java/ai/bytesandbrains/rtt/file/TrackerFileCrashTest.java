package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 a process while {@link CrashPlan#THREADS} threads observe into a mapped tracker, reopen the
 * file and check it: restore succeeds, keys are unique, every EMA word decodes to a valid state within
 * the samples' range, and every sample count lies between what had returned and what was sent.
 */
class TrackerFileCrashTest
{
    private static final int ROUNDS = Integer.getInteger("bb.rtt.crashRounds", 20);

    @TempDir
    Path dir;

    /** Lower (returned) and upper (sent) bounds of one count. */
    private static final class Bounds
    {
        long returned;
        long sent;
    }

    @Test
    void shouldReopenAConsistentTrackerAfterKillMinus9() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(2024);
        long totalObserves = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            totalObserves += killAndCheck(dir.resolve("crash-" + round + ".rtt"), dir.resolve("side-" + round),
                random.nextInt(5, 60));
        }
        assertThat(totalObserves).as("observes completed across rounds").isGreaterThan(ROUNDS * 1_000L);
        System.out.printf("crash test: %d rounds, %d observes returned before the kills%n", ROUNDS, totalObserves);
    }

    private long killAndCheck(final Path file, final Path side, final int runMs) throws Exception
    {
        final long[] returned = new long[CrashPlan.THREADS];
        try (ChildJvm child = ChildJvm.start(TrackerFileChild.class, "hammer", file.toString(), side.toString()))
        {
            child.awaitLine("RUNNING");
            final MappedByteBuffer mapping = IoUtil.mapExistingFile(side.toFile(), "side");
            final UnsafeBuffer sideBuffer = new UnsafeBuffer(mapping);
            // Let every thread get going, then kill at a random instant.
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (minReturned(sideBuffer) < 200 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            Thread.sleep(runMs);
            child.kill();
            for (int t = 0; t < returned.length; t++)
            {
                returned[t] = sideBuffer.getLongVolatile(t * CrashPlan.SIDE_SLOT_LENGTH);
            }
        }
        assertThat(java.util.Arrays.stream(returned).min().orElseThrow()).isGreaterThanOrEqualTo(200);

        try (TrackerFile reopened = TrackerFile.open(file, CrashPlan.CONFIG)) // restoreOver must succeed
        {
            check(reopened.tracker(), returned);
            // And it keeps working.
            CrashPlan.apply(reopened.tracker(), CrashPlan.call(0, 0), 1);
        }
        long total = 0;
        for (final long r : returned)
        {
            total += r;
        }
        return total;
    }

    private static long minReturned(final UnsafeBuffer side)
    {
        long min = Long.MAX_VALUE;
        for (int t = 0; t < CrashPlan.THREADS; t++)
        {
            min = Math.min(min, side.getLongVolatile(t * CrashPlan.SIDE_SLOT_LENGTH));
        }
        return min;
    }

    private static void check(final RttTracker tracker, final long[] returned)
    {
        final Map<Long, Bounds> sites = new HashMap<>();
        final Map<List<Long>, Bounds> edges = new HashMap<>();
        final Map<Long, Bounds> chains = new HashMap<>();
        final Bounds global = new Bounds();
        for (int t = 0; t < returned.length; t++)
        {
            // Calls below returned[t] completed; call returned[t] may have been in flight.
            for (long i = 0; i <= returned[t]; i++)
            {
                final boolean done = i < returned[t];
                final CrashPlan.Call call = CrashPlan.call(t, i);
                count(sites.computeIfAbsent(call.site(), k -> new Bounds()), done);
                count(global, done);
                if (call.chained())
                {
                    count(edges.computeIfAbsent(List.of(call.site(), call.chainId(), (long)call.hop()), k -> new Bounds()), done);
                    count(chains.computeIfAbsent(call.chainId(), k -> new Bounds()), done);
                }
            }
        }
        final RttTrackerSnapshot snapshot = tracker.snapshot();
        assertThat(snapshot.counters().siteOverflows()).isZero();
        assertThat(snapshot.counters().edgeOverflows()).isZero();

        // Tables: keys unique, nothing tracked that was never sent, everything that returned tracked.
        assertThat(new HashSet<>(snapshot.sites().stream().map(RttTrackerSnapshot.Site::site).toList()))
            .hasSize(snapshot.sites().size());
        assertThat(new HashSet<>(snapshot.edges().stream().map(e -> List.of(e.site(), e.chainId(), (long)e.hopIndex())).toList()))
            .hasSize(snapshot.edges().size());
        assertThat(new HashSet<>(snapshot.chainPriors().stream().map(RttTrackerSnapshot.ChainPrior::chainId).toList()))
            .hasSize(snapshot.chainPriors().size());
        assertThat(snapshot.sites()).allMatch(s -> sites.containsKey(s.site()));
        sites.forEach((site, b) -> assertThat(b.returned == 0 || snapshot.site(site).isPresent())
            .as("site %d with %d returned observes is tracked", site, b.returned).isTrue());

        final SiteView siteView = new SiteView();
        for (final Map.Entry<Long, Bounds> e : sites.entrySet())
        {
            if (tracker.readSite(e.getKey(), siteView))
            {
                checkCell("site " + e.getKey(), siteView.word(), siteView.sampleCount(), e.getValue(), 8);
                assertThat(siteView.hasBeenSeen()).isFalse();
                assertThat(siteView.historyLength()).isBetween(0, CrashPlan.CONFIG.historyCapacity());
            }
        }
        final EmaView view = new EmaView();
        for (final Map.Entry<List<Long>, Bounds> e : edges.entrySet())
        {
            final List<Long> key = e.getKey();
            if (tracker.readEdge(key.get(0), key.get(1), key.get(2).intValue(), view))
            {
                checkCell("edge " + key, view.word(), view.sampleCount(), e.getValue(), 8);
            }
            else
            {
                assertThat(e.getValue().returned).as("untracked edge %s", key).isZero();
            }
        }
        for (final Map.Entry<Long, Bounds> e : chains.entrySet())
        {
            assertThat(tracker.readChainPrior(e.getKey(), view)).isTrue();
            checkCell("chain " + e.getKey(), view.word(), view.sampleCount(), e.getValue(), 8);
        }
        tracker.readGlobalPrior(view);
        checkCell("global prior", view.word(), view.sampleCount(), global, 64);
    }

    private static void count(final Bounds bounds, final boolean done)
    {
        bounds.sent++;
        if (done)
        {
            bounds.returned++;
        }
    }

    /**
     * One EMA cell: count within bounds; the word's warm-up state that of the count, or of up to the
     * observes in flight more (the word is CASed before the count is incremented); srtt and rttvar within what the samples
     * allow (truncating shifts can take srtt a few ns, at most 2^alphaShift, below the smallest sample).
     */
    private static void checkCell(final String what, final long word, final long count, final Bounds bounds, final long slack)
    {
        assertThat(count).as("%s: sample count between returned and sent", what).isBetween(bounds.returned, bounds.sent);
        final long state = EmaWord.state(word);
        final long inFlight = bounds.sent - bounds.returned;
        assertThat(state).as("%s: word state of %016x with count %d", what, word, count)
            .isBetween(Math.min(count, EmaWord.WARM_SAMPLES), Math.min(count + inFlight, EmaWord.WARM_SAMPLES));
        if (state == 0)
        {
            assertThat(word).as("%s: empty word", what).isZero();
            return;
        }
        assertThat(EmaWord.srttNs(word)).as("%s: srtt", what)
            .isBetween(CrashPlan.MIN_ELAPSED_NS - slack, CrashPlan.MAX_ELAPSED_NS);
        assertThat(EmaWord.rttvarNs(word)).as("%s: rttvar", what).isBetween(0L, CrashPlan.MAX_ELAPSED_NS);
        assertThat(word >>> 62).as("%s: state bits", what).isLessThanOrEqualTo(3);
    }
}
