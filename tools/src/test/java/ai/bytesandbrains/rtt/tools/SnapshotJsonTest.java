package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SnapshotJsonTest
{
    static RttTrackerSnapshot withoutTimestamps(final RttTrackerSnapshot snapshot)
    {
        return new RttTrackerSnapshot(
            snapshot.sites().stream().map(s -> new RttTrackerSnapshot.Site(
                s.site(), s.ema(), false, 0, PhiState.LIVE, s.historyLength(), s.historyMeanNs(), s.historyNs(), s.name()))
                .toList(),
            snapshot.edges(), snapshot.chainPriors(), snapshot.reported(), snapshot.globalPrior(), snapshot.counters());
    }

    /** What a document written before names (version 3 or older) holds: every site unnamed. */
    static RttTrackerSnapshot withoutNames(final RttTrackerSnapshot snapshot)
    {
        return new RttTrackerSnapshot(
            snapshot.sites().stream().map(s -> new RttTrackerSnapshot.Site(s.site(), s.ema(), s.seen(), s.lastSeenNs(),
                s.lastPhiState(), s.historyLength(), s.historyMeanNs(), s.historyNs())).toList(),
            snapshot.edges(), snapshot.chainPriors(), snapshot.reported(), snapshot.globalPrior(), snapshot.counters());
    }

    /** A document of this version as a version 3 one: no site names. */
    static String asVersion3(final String json)
    {
        return json.replaceAll(",\\s*\"name\" : \"[^\"]*\"", "").replace("\"version\" : 4", "\"version\" : 3");
    }

    private static RttTracker loaded(final long seed)
    {
        final RttTracker tracker = RttTracker.builder().siteCapacity(64).edgeCapacity(128).chainCapacity(8)
            .reportedCapacity(8).historyCapacity(30).suspectPhi(5).downPhi(9).emaShifts(4, 2).build();
        final SplittableRandom random = new SplittableRandom(seed);
        long now = 0;
        for (int i = 0; i < 3_000; i++)
        {
            now += random.nextLong(2_000_000);
            final long site = random.nextLong() >>> random.nextInt(1, 64); // ids across the whole long range
            final long elapsed = random.nextLong(1L << random.nextInt(1, 56));
            if (random.nextBoolean())
            {
                tracker.observeRoundTrip(site % 50, -random.nextLong(), random.nextInt(256), elapsed, now);
            }
            else
            {
                tracker.observeRoundTrip(site % 50 - 25, elapsed, now);
            }
        }
        tracker.forEachTrackedSite(site -> tracker.nameSite(site, "10.0.0." + (site & 0xFF) + ":" + (site >>> 48)));
        tracker.ingestReportedOutgoing(Long.MIN_VALUE, Long.MAX_VALUE, -1, 5_000, 100, 3);
        tracker.observeRoundTrip(1, -1, now);
        tracker.scanPhi(now + 1_000_000_000L, (s, st, p) -> { });
        return tracker;
    }

    @Test
    void shouldRebuildATrackerFromItsExport()
    {
        for (long seed = 0; seed < 5; seed++)
        {
            final RttTracker original = loaded(seed);
            final String json = SnapshotJson.export(original);
            final SnapshotJson.Document document = SnapshotJson.read(json);
            assertThat(document.config()).isEqualTo(original.config());
            assertThat(document.snapshot()).isEqualTo(original.snapshot());

            final RttTracker rebuilt = SnapshotJson.toTracker(document);
            assertThat(rebuilt.snapshot()).isEqualTo(withoutTimestamps(original.snapshot()));
            assertThat(rebuilt.estimateBudgetNs(3, 1)).isEqualTo(original.estimateBudgetNs(3, 1));
            assertThat(SnapshotJson.write(SnapshotJson.Document.of(rebuilt.config(), rebuilt.snapshot())))
                .isEqualTo(SnapshotJson.write(SnapshotJson.Document.of(original.config(), withoutTimestamps(original.snapshot()))));
        }
    }

    @Test
    void shouldWriteTheDocumentedShape()
    {
        final String json = SnapshotJson.export(loaded(9));
        assertThat(json).contains("\"format\" : \"bb-rtt-snapshot\"", "\"version\" : 4", "\"siteCapacity\" : 64",
            "\"alphaShift\" : 4", "\"historyNs\"", "\"globalPrior\"", "\"rejectedSamples\" : 1",
            "\"fromSite\" : \"" + Long.MIN_VALUE + "\"", "\"nextHop\" : \"" + Long.MAX_VALUE + "\"",
            "\"chainId\" : \"-1\"", "\"localPauseAwareness\" : true", "\"evictedSites\" : 0");
    }

    @Test
    void shouldReadAVersion1DocumentWithThePauseDefaultsAndNoEvictions()
    {
        final RttTracker original = loaded(5);
        final String v3 = asVersion3(SnapshotJson.export(original));
        // What the first release wrote: no pause settings, no eviction counters, ids as numbers, version 1.
        final String v1 = SnapshotJsonStrictTest.idsAsNumbers(v3).replace("\"version\" : 3", "\"version\" : 1")
            .replaceAll(",\\s*\"localPauseAwareness\" : true", "")
            .replaceAll(",\\s*\"localPauseMinNs\" : \\d+", "")
            .replaceAll(",\\s*\"evicted(Sites|Edges|Reports)\" : 0", "");
        assertThat(v1).doesNotContain("localPause", "evicted").contains("\"version\" : 1");

        final SnapshotJson.Document document = SnapshotJson.read(v1);

        assertThat(document.version()).isEqualTo(SnapshotJson.VERSION);
        assertThat(document.config()).isEqualTo(original.config());
        assertThat(document.snapshot()).isEqualTo(withoutNames(original.snapshot()));
    }

    @Test
    void shouldReadAVersion3DocumentAsSitesWithoutNames()
    {
        final RttTracker original = loaded(6);
        final String v3 = asVersion3(SnapshotJson.export(original));
        assertThat(v3).doesNotContain("\"name\"").contains("\"version\" : 3");

        final SnapshotJson.Document document = SnapshotJson.read(v3);

        assertThat(document.version()).isEqualTo(SnapshotJson.VERSION);
        assertThat(document.snapshot()).isEqualTo(withoutNames(original.snapshot()));
        assertThat(original.snapshot().sites()).as("the fixture names its sites").allMatch(s -> !s.name().isEmpty());
    }

    @Test
    void shouldCarrySiteNamesThroughExportAndImport()
    {
        final RttTracker original = loaded(7);
        final long site = original.snapshot().sites().get(0).site();
        final String name = original.siteName(site);
        final String json = SnapshotJson.export(original);
        assertThat(name).startsWith("10.0.0.");
        assertThat(json).contains("\"name\" : \"" + name + "\"");

        final RttTracker rebuilt = SnapshotJson.toTracker(SnapshotJson.read(json));

        assertThat(rebuilt.siteName(site)).isEqualTo(name);
    }

    @Test
    void shouldRefuseANameLongerThanATrackerStores()
    {
        final RttTracker original = loaded(8);
        final String name = original.snapshot().sites().get(0).name();
        final String json = SnapshotJson.export(original).replace("\"" + name + "\"", "\"" + "x".repeat(113) + "\"");

        assertThatIllegalArgumentException().isThrownBy(() -> SnapshotJson.read(json))
            .withMessageContaining("name longer than 112 UTF-8 bytes");
    }

    @Test
    void shouldReadAVersion2DocumentWrittenBeforeMaxLocalPauseExisted()
    {
        final RttTracker original = loaded(5);
        final String older = asVersion3(SnapshotJson.export(original)).replaceAll(",\\s*\"maxLocalPauseNs\" : \\d+", "")
            .replace("\"version\" : 3", "\"version\" : 2");
        assertThat(older).doesNotContain("maxLocalPauseNs").contains("\"version\" : 2");

        final SnapshotJson.Document document = SnapshotJson.read(older);

        assertThat(document.config().maxLocalPauseNs()).isEqualTo(RttTrackerConfig.DEFAULT_MAX_LOCAL_PAUSE_NS);
        assertThat(document.config()).isEqualTo(original.config());
    }

    @Test
    void shouldCarryEvictionCountersThroughExportAndImport()
    {
        final RttTracker original = loaded(5);
        original.evictSite(3);
        final SnapshotJson.Document document = SnapshotJson.read(SnapshotJson.export(original));
        assertThat(document.snapshot().counters().evictedSites()).isEqualTo(1);
        assertThat(SnapshotJson.toTracker(document).evictedSiteCount()).isEqualTo(1);
    }

    @Test
    void shouldRefuseMalformedForeignOrInvalidDocuments()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> SnapshotJson.read("{ not json"))
            .withMessageContaining("not a valid snapshot document");
        final String good = SnapshotJson.export(loaded(1));
        assertThatIllegalArgumentException().isThrownBy(() -> SnapshotJson.read(good.replace("bb-rtt-snapshot", "other")))
            .withMessageContaining("format \"other\" version 4");
        assertThatIllegalArgumentException().isThrownBy(() -> SnapshotJson.read(good.replace("\"version\" : 4", "\"version\" : 7")))
            .withMessageContaining("version 7");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SnapshotJson.read(good.replace("\"siteCapacity\" : 64", "\"siteCapacity\" : 0")))
            .withMessageContaining("siteCapacity must be in 1..");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SnapshotJson.read(good.replace("\"siteCapacity\" : 64", "\"siteCapacity\" : 64, \"colour\" : 1")))
            .withMessageContaining("colour");
        // A snapshot larger than its configuration is refused.
        final String tooSmall = good.replace("\"siteCapacity\" : 64", "\"siteCapacity\" : 2");
        assertThatIllegalArgumentException().isThrownBy(() -> SnapshotJson.read(tooSmall))
            .withMessageContaining("siteCapacity 2");
    }
}
