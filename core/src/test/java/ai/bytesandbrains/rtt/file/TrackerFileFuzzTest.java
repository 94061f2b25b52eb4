package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.ChainIds;
import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.fail;

/**
 * Corrupts a realistic tracker file at random and opens it, with the writer and with the reader. Every
 * case must end in a named {@link TrackerFileException}, or in an open after which a bounded workload
 * (observe, estimate, φ, scan, evictions, snapshot, reader readings) completes in time with every value
 * in range, and new records behave as in a fresh table. The workload runs on a daemon worker thread
 * with a timeout, so a hang fails the test instead of hanging the build.
 *
 * <p>Budget: {@code -Dfuzz.cases=N} (default 1500) and {@code -Dfuzz.seconds=S} (default 15, stops early
 * with the cases run so far); {@code -Dfuzz.seed=S} fixes the seed (default: random, printed). Case
 * {@code i} of seed {@code S} uses seed {@code S + i}: a failure prints
 * {@code -Dfuzz.seed=<S + i> -Dfuzz.cases=1}, which reruns exactly that case.
 */
class TrackerFileFuzzTest
{
    private static final RttTrackerConfig CONFIG = Workload.CONFIG;
    private static final TrackerLayout LAYOUT = new TrackerLayout(CONFIG);
    private static final long STATE = TrackerFileHeader.FILE_HEADER_LENGTH;
    private static final long CHAIN_C = ChainIds.fromTargets("x,y,z");
    private static final long CASE_TIMEOUT_SECONDS = 20;
    private static final long MAX_BUDGET_NS = EmaWord.budgetNs(EmaWord.MAX_VALUE_NS, EmaWord.MAX_VALUE_NS);
    private static final long STATIC_DEFAULT = 777;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseOrServeEveryCorruptedFile() throws Exception
    {
        final long seed = Long.getLong("fuzz.seed", new SplittableRandom().nextLong());
        final int cases = Integer.getInteger("fuzz.cases", 1_500);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("fuzz.seconds", 15));
        final byte[] template = writeTemplate(dir.resolve("template.rtt"));
        final Path file = dir.resolve("case.rtt");
        final Map<String, Integer> outcomes = new TreeMap<>();
        final ExecutorService worker = Executors.newSingleThreadExecutor(r ->
        {
            final Thread thread = new Thread(r, "fuzz-worker");
            thread.setDaemon(true); // a hung case must not keep the test JVM alive
            return thread;
        });
        final long start = System.nanoTime();
        int run = 0;
        try
        {
            for (; run < cases && (run == 0 || System.nanoTime() < deadline); run++)
            {
                final long caseSeed = seed + run;
                final SplittableRandom random = new SplittableRandom(caseSeed);
                final StringBuilder mutation = new StringBuilder();
                final byte[] bytes = mutate(template, random, mutation);
                Files.write(file, bytes);
                final Future<List<String>> result = worker.submit(() -> runCase(file, caseSeed));
                try
                {
                    for (final String outcome : result.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    {
                        outcomes.merge(outcome, 1, Integer::sum);
                    }
                }
                catch (final TimeoutException ex)
                {
                    fail("case hung for " + CASE_TIMEOUT_SECONDS + " s: " + reproduce(caseSeed, mutation) +
                        stackOf(worker, result));
                }
                catch (final ExecutionException ex)
                {
                    throw new AssertionError("case failed: " + reproduce(caseSeed, mutation) + ": " + ex.getCause(),
                        ex.getCause());
                }
            }
        }
        finally
        {
            worker.shutdownNow();
        }
        System.out.printf("file fuzz: seed=%d cases=%d time=%.1fs outcomes=%s%n",
            seed, run, (System.nanoTime() - start) / 1e9, outcomes);
    }

    private static String reproduce(final long caseSeed, final CharSequence mutation)
    {
        return "-Dfuzz.seed=" + caseSeed + " -Dfuzz.cases=1 (mutation: " + mutation + ")";
    }

    private static String stackOf(final ExecutorService worker, final Future<?> result)
    {
        for (final Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet())
        {
            if (entry.getKey().getName().equals("fuzz-worker"))
            {
                final StringBuilder stack = new StringBuilder("\nworker stack:");
                for (final StackTraceElement element : entry.getValue())
                {
                    stack.append("\n  at ").append(element);
                }
                return stack.toString();
            }
        }
        return "";
    }

    // ------------------------------------------------------------------------------------------
    // The realistic file
    // ------------------------------------------------------------------------------------------

    /** Sites, edges on three chains, reports, evictions that leave free records, a scan, crash residue. */
    private static byte[] writeTemplate(final Path path) throws IOException
    {
        try (TrackerFile trackerFile = TrackerFile.create(path, CONFIG))
        {
            final RttTracker tracker = trackerFile.tracker();
            final SplittableRandom random = new SplittableRandom(42);
            final long[] chains = {Workload.CHAIN, Workload.OTHER_CHAIN, CHAIN_C};
            long now = 1_000;
            for (int i = 0; i < 1_500; i++)
            {
                now += random.nextLong(2_000_000);
                final long site = random.nextInt(26);
                final long elapsed = random.nextLong(1L << random.nextInt(8, 36));
                if (random.nextInt(3) == 0)
                {
                    tracker.observeRoundTrip(site, elapsed, now);
                }
                else
                {
                    tracker.observeRoundTrip(site, chains[(int)(site % 3)], (int)(site % 2), elapsed, now);
                }
                if (i == 700)
                {
                    tracker.evictSite(3);
                    tracker.evictSite(11);
                    tracker.evictIdle(now, 40_000_000); // sites silent for 40 ms
                }
            }
            for (int i = 0; i < 8; i++)
            {
                tracker.ingestReportedOutgoing(i, i + 1, chains[i % 3], 1_000_000L * (i + 1), 50_000, i);
            }
            tracker.ingestReportedOutgoing(40, 41, CHAIN_C, 5, 5, 5); // a site known only from a report
            tracker.evictSite(5);
            tracker.observeRoundTrip(1, -1, now); // rejected, counted
            tracker.scanPhi(now + 5_000_000_000L, (s, st, p) -> { });
            // What a writer killed mid-call leaves: a pin never released and a heartbeat claimed, not completed.
            final RecordTable sites = tracker.tables().sites();
            final long handle = sites.find(1, 0, 0);
            sites.pin(handle);
            tracker.buffer().getAndAddLong(sites.recordOffset(RecordTable.record(handle)) +
                TrackerLayout.SITE_HISTORY_OFFSET + HeartbeatHistory.CLAIMED_OFFSET, 1);
        }
        final byte[] bytes = Files.readAllBytes(path); // before the check below repairs the residue
        try (TrackerFile reopened = TrackerFile.open(path))
        {
            if (reopened.tracker().trackedSiteCount() < 10)
            {
                throw new AssertionError("template too small");
            }
        }
        return bytes;
    }

    // ------------------------------------------------------------------------------------------
    // Mutations
    // ------------------------------------------------------------------------------------------

    private static byte[] mutate(final byte[] template, final SplittableRandom random, final StringBuilder log)
    {
        final byte[] bytes = template.clone();
        final int kind = random.nextInt(20);
        if (kind == 0)
        {
            final int length = random.nextInt(bytes.length);
            log.append("truncate to ").append(length);
            return java.util.Arrays.copyOf(bytes, length);
        }
        final ByteBuffer words = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        if (kind < 10)
        {
            final int count = random.nextInt(1, 7);
            for (int i = 0; i < count; i++)
            {
                final int offset = offset(bytes.length, random);
                final byte value = (byte)random.nextInt(256);
                log.append(String.format("byte[%d]=%d ", offset, value));
                bytes[offset] = value;
            }
            return bytes;
        }
        final int count = kind < 17 ? 1 : random.nextInt(2, 5);
        for (int i = 0; i < count; i++)
        {
            final int offset = offset(bytes.length, random) & ~7;
            final long old = words.getLong(offset);
            final long value = switch (random.nextInt(9))
            {
                case 0 -> random.nextLong();
                case 1 -> old ^ Long.MIN_VALUE;
                case 2 -> Long.MAX_VALUE;
                case 3 -> Long.MIN_VALUE;
                case 4 -> -1L;
                case 5 -> 0L;
                case 6 -> old + (random.nextBoolean() ? 1 : -1);
                case 7 -> old ^ (1L << random.nextInt(64));
                default -> random.nextLong(-1_000, 1_000);
            };
            log.append(String.format("long[%d]=0x%x ", offset, value));
            words.putLong(offset, value);
        }
        return bytes;
    }

    /** Header 10%, tables (control, buckets, records) 70%, history rings 20%. */
    private static int offset(final int length, final SplittableRandom random)
    {
        final int tablesEnd = (int)(STATE + LAYOUT.ringsOffset());
        final int pick = random.nextInt(10);
        if (pick == 0)
        {
            return random.nextInt(TrackerFileHeader.HEADER_USED_LENGTH);
        }
        if (pick < 8)
        {
            return random.nextInt((int)STATE, tablesEnd);
        }
        return random.nextInt(tablesEnd, length);
    }

    // ------------------------------------------------------------------------------------------
    // One case
    // ------------------------------------------------------------------------------------------

    /** @return the outcomes, e.g. "reader:ok" and "writer:CORRUPT". */
    private static List<String> runCase(final Path file, final long caseSeed)
    {
        final List<String> outcomes = new ArrayList<>();
        try (TrackerFileReader reader = TrackerFileReader.open(file))
        {
            checkReader(reader, 1_000_000);
            outcomes.add("reader:ok");
        }
        catch (final TrackerFileException ex)
        {
            outcomes.add("reader:" + ex.reason());
        }
        try (TrackerFile trackerFile = TrackerFile.open(file, CONFIG))
        {
            outcomes.add("writer:opened");
            workload(trackerFile, new SplittableRandom(caseSeed));
        }
        catch (final TrackerFileException ex)
        {
            if (!ex.getMessage().contains(file.toString()))
            {
                throw new AssertionError("refusal does not name the file: " + ex.getMessage(), ex);
            }
            outcomes.add("writer:" + ex.reason());
        }
        return outcomes;
    }

    private static void workload(final TrackerFile trackerFile, final SplittableRandom random)
    {
        final RttTracker tracker = trackerFile.tracker();
        final long now = 10_000_000_000L;
        checkSnapshot(tracker.snapshot());
        final List<Long> tracked = new ArrayList<>();
        tracker.forEachTrackedSite(tracked::add);
        for (final long site : tracked)
        {
            check(tracker.phi(site, now));
            checkBudget(tracker.estimateBudgetNs(site, STATIC_DEFAULT));
            checkBudget(tracker.estimateBudgetNs(site, Workload.CHAIN, 1, STATIC_DEFAULT));
        }
        for (int i = 0; i < 200; i++)
        {
            final long site = random.nextInt(30);
            tracker.observeRoundTrip(site, Workload.CHAIN, random.nextInt(3), random.nextLong(1L << 30), now + i * 1_000L);
            check(tracker.phi(site, now + i * 1_000L + 500));
            checkBudget(tracker.estimateBudgetNs(site, Workload.CHAIN, random.nextInt(3), STATIC_DEFAULT));
        }
        tracker.ingestReportedOutgoing(2, 3, CHAIN_C, 10, 10, 10);
        // A site, edge and chain new to the file start from their first sample, as in a fresh table.
        requireFresh(tracker, 1_000_001, ChainIds.fromTargets("new"), now + 1_000_000);
        tracker.scanPhi(now + 60_000_000_000L, (s, st, p) -> check(p));
        try (TrackerFileReader reader = TrackerFileReader.open(trackerFile.file()))
        {
            checkReader(reader, now + 60_000_000_000L); // a live file, read through the writer's mapping
        }
        tracker.evictIdle(now + 30_000_000_000L, 20_000_000_000L);
        final List<Long> remaining = new ArrayList<>();
        tracker.forEachTrackedSite(remaining::add);
        for (final long site : remaining)
        {
            tracker.evictSite(site);
        }
        if (tracker.trackedSiteCount() != 0)
        {
            throw new AssertionError("sites left after evicting all: " + tracker.trackedSiteCount());
        }
        // The emptied table takes its whole capacity again, every record fresh.
        final long overflows = tracker.siteOverflowCount();
        for (int i = 0; i < CONFIG.siteCapacity(); i++)
        {
            requireFresh(tracker, 2_000_000 + i, Workload.OTHER_CHAIN, now + 100_000_000_000L + i);
        }
        if (tracker.siteOverflowCount() != overflows || tracker.trackedSiteCount() != CONFIG.siteCapacity())
        {
            throw new AssertionError("an emptied table refused sites: tracked " + tracker.trackedSiteCount());
        }
        checkSnapshot(tracker.snapshot());
    }

    private static void requireFresh(final RttTracker tracker, final long site, final long chainId, final long nowNs)
    {
        tracker.observeRoundTrip(site, chainId, 7, 100, nowNs);
        tracker.observeRoundTrip(site, chainId, 7, 100, nowNs + 40);
        final SiteView view = new SiteView();
        if (tracker.readSite(site, view) &&
            (view.srttNs() != 100 || view.sampleCount() != 2 || view.historyLength() != 1 || view.historyMeanNs() != 40.0))
        {
            throw new AssertionError("new site " + site + " is not fresh: srtt " + view.srttNs() + " count " +
                view.sampleCount() + " history " + view.historyLength() + " mean " + view.historyMeanNs());
        }
        final EmaView edge = new EmaView();
        if (tracker.readEdge(site, chainId, 7, edge) && (edge.srttNs() != 100 || edge.sampleCount() != 2))
        {
            throw new AssertionError("new edge of " + site + " is not fresh: srtt " + edge.srttNs() + " count " +
                edge.sampleCount());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Ranges
    // ------------------------------------------------------------------------------------------

    private static void checkReader(final TrackerFileReader reader, final long nowNs)
    {
        final TrackerFileSample sample = reader.read(nowNs);
        for (final SiteRow row : sample.sites())
        {
            checkEma(row.srttNs(), row.rttvarNs(), row.sampleCount());
            checkBudget(row.budgetNs());
            check(row.phi());
            check(row.historyMeanNs());
            checkRange("history length", row.historyLength(), 0, CONFIG.historyCapacity());
            checkRange("last seen", row.lastSeenNs(), 0, Long.MAX_VALUE);
        }
        sample.chainPriors().forEach(c -> checkEma(c.ema()));
        checkEma(sample.globalPrior());
        checkRange("edge count", sample.edgeCount(), 0, CONFIG.edgeCapacity());
        checkRange("report count", sample.reportCount(), 0, CONFIG.reportedCapacity());
        checkCounters(sample.counters());
        checkSnapshot(reader.snapshot());
    }

    private static void checkSnapshot(final RttTrackerSnapshot snapshot)
    {
        final long maxValue = HeartbeatHistory.maxValueNs(CONFIG.historyCapacity());
        for (final RttTrackerSnapshot.Site site : snapshot.sites())
        {
            checkEma(site.ema());
            checkRange("history length", site.historyLength(), 0, CONFIG.historyCapacity());
            checkRange("history values", site.historyNs().size(), 0, CONFIG.historyCapacity());
            site.historyNs().forEach(v -> checkRange("history value", v, 0, maxValue));
            check(site.historyMeanNs());
        }
        checkRange("sites", snapshot.sites().size(), 0, CONFIG.siteCapacity());
        for (final RttTrackerSnapshot.Edge edge : snapshot.edges())
        {
            checkEma(edge.ema());
            checkRange("hop index", edge.hopIndex(), 0, RttTracker.MAX_HOP_INDEX);
        }
        snapshot.chainPriors().forEach(c -> checkEma(c.ema()));
        snapshot.reported().forEach(r -> checkEma(r.ema()));
        checkEma(snapshot.globalPrior());
        checkCounters(snapshot.counters());
    }

    private static void checkCounters(final RttTrackerSnapshot.Counters c)
    {
        for (final long value : new long[] {c.rejectedSamples(), c.siteOverflows(), c.edgeOverflows(),
            c.chainOverflows(), c.reportedOverflows(), c.nonQuiescentPhiReads(), c.evictedSites(), c.evictedEdges(),
            c.evictedReports()})
        {
            checkRange("counter", value, 0, Long.MAX_VALUE);
        }
    }

    private static void checkEma(final RttTrackerSnapshot.Ema ema)
    {
        checkEma(ema.srttNs(), ema.rttvarNs(), ema.sampleCount());
        checkBudget(ema.budgetNs());
    }

    private static void checkEma(final long srttNs, final long rttvarNs, final long sampleCount)
    {
        checkRange("srtt", srttNs, 0, EmaWord.MAX_VALUE_NS);
        checkRange("rttvar", rttvarNs, 0, EmaWord.MAX_VALUE_NS);
        checkRange("sample count", sampleCount, 0, Long.MAX_VALUE);
    }

    private static void checkBudget(final long budgetNs)
    {
        if (budgetNs != STATIC_DEFAULT)
        {
            checkRange("budget", budgetNs, 0, MAX_BUDGET_NS);
        }
    }

    private static void check(final double phiOrMean)
    {
        if (!Double.isFinite(phiOrMean) || phiOrMean < 0)
        {
            throw new AssertionError("φ or mean " + phiOrMean + " is not finite and >= 0");
        }
    }

    private static void checkRange(final String what, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new AssertionError(what + " " + value + " outside " + min + ".." + max);
        }
    }
}
