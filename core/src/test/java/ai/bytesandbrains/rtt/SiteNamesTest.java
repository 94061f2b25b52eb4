package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.NameTable;
import ai.bytesandbrains.rtt.internal.Utf8;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.BufferUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Named peers: {@link RttTracker#site}, {@link RttTracker#nameSite} and what the readers show. */
class SiteNamesTest
{
    private final RttTracker tracker = RttTracker.builder().siteCapacity(4).historyCapacity(8).build();

    @AfterEach
    void close()
    {
        tracker.close();
    }

    @Test
    void shouldReturnTheSiteIdOfTheNameAndShowTheNameInTheView()
    {
        final long site = tracker.site("127.0.0.1:50051");
        tracker.observeRoundTrip(site, 1_000, 10);

        final SiteView view = new SiteView();
        assertThat(site).isEqualTo(SiteIds.of("127.0.0.1:50051"));
        assertThat(tracker.readSite(site, view)).isTrue();
        assertThat(view.hasName()).isTrue();
        assertThat(view.name()).isEqualTo("127.0.0.1:50051");
        assertThat(tracker.siteName(site)).isEqualTo("127.0.0.1:50051");
        assertThat(tracker.snapshot().site(site)).hasValueSatisfying(s -> assertThat(s.name()).isEqualTo("127.0.0.1:50051"));
    }

    @Test
    void shouldShowNoNameForASiteNeverNamed()
    {
        tracker.observeRoundTrip(7, 1_000, 10);

        final SiteView view = new SiteView();
        tracker.site("10.0.0.1:1"); // another site's name must not leak into this view
        tracker.readSite(7, view);
        assertThat(view.hasName()).isFalse();
        assertThat(view.name()).isEmpty();
        assertThat(tracker.siteName(7)).isEmpty();
        assertThat(tracker.snapshot().site(7)).hasValueSatisfying(s -> assertThat(s.name()).isEmpty());
    }

    @Test
    void shouldWriteANameOnceSoTheFirstNameWins()
    {
        assertThat(tracker.nameSite(5, "first:1")).isTrue();
        assertThat(tracker.nameSite(5, "second:2")).as("the site has a name").isTrue();

        assertThat(tracker.siteName(5)).isEqualTo("first:1");
        assertThat(tracker.droppedNameCount()).isZero();
    }

    @Test
    void shouldFindANamedSiteWhateverNameALaterCallGivesEvenOneTooLong()
    {
        tracker.nameSite(5, "first:1");

        assertThat(tracker.nameSite(5, "x".repeat(NameTable.MAX_NAME_BYTES + 1))).isTrue();
        assertThat(tracker.droppedNameCount()).as("nothing dropped: the site has its name").isZero();
    }

    @Test
    void shouldNotTrackASiteByNamingIt()
    {
        tracker.site("10.1.1.1:80");

        assertThat(tracker.trackedSiteCount()).isZero();
    }

    @Test
    void shouldKeepTheNameWhenTheSiteIsEvictedAndShowItWhenTrackedAgain()
    {
        final long site = tracker.site("10.1.1.1:80");
        tracker.observeRoundTrip(site, 1_000, 10);
        assertThat(tracker.evictSite(site)).isTrue();

        tracker.observeRoundTrip(site, 2_000, 20);
        final SiteView view = new SiteView();
        tracker.readSite(site, view);
        assertThat(view.name()).isEqualTo("10.1.1.1:80");
    }

    @Test
    void shouldCountAndDropANameTooLongWithoutThrowing()
    {
        final String longest = "h".repeat(NameTable.MAX_NAME_BYTES - 3) + ":80";
        final String tooLong = "h".repeat(NameTable.MAX_NAME_BYTES - 2) + ":80";

        assertThat(tracker.nameSite(1, longest)).isTrue();
        assertThat(tracker.nameSite(2, tooLong)).isFalse();
        assertThat(tracker.nameSite(3, "é".repeat(NameTable.MAX_NAME_BYTES / 2 + 1))).as("bytes, not chars").isFalse();

        assertThat(tracker.siteName(1)).isEqualTo(longest);
        assertThat(tracker.siteName(2)).isEmpty();
        assertThat(tracker.droppedNameCount()).isEqualTo(2);
    }

    @Test
    void shouldCountAndDropNamesWhenTheTableIsFull()
    {
        final int slots = NameTable.slotCount(tracker.config().siteCapacity());
        for (int site = 0; site < slots; site++)
        {
            assertThat(tracker.nameSite(site, "s" + site)).isTrue();
        }

        assertThat(tracker.nameSite(slots, "one:too:many")).isFalse();
        assertThat(tracker.nameSite(0, "again")).as("a named site is still found").isTrue();
        assertThat(tracker.droppedNameCount()).isEqualTo(1);
        for (int site = 0; site < slots; site++)
        {
            assertThat(tracker.siteName(site)).isEqualTo("s" + site);
        }
    }

    @Test
    void shouldNameSmallRawIdsButDropTheOneIdThatCannotBeNamed()
    {
        assertThat(tracker.nameSite(0, "zero")).isTrue();
        assertThat(tracker.nameSite(-1, "minus one")).isTrue();
        assertThat(tracker.nameSite(NameTable.KEY_MASK, "unnamable")).isFalse();

        assertThat(tracker.siteName(0)).isEqualTo("zero");
        assertThat(tracker.siteName(-1)).isEqualTo("minus one");
        assertThat(tracker.siteName(NameTable.KEY_MASK)).isEmpty();
        assertThat(tracker.droppedNameCount()).isEqualTo(1);
    }

    @Test
    void shouldStoreTheUtf8ThatStringGetBytesEncodes()
    {
        final String name = "häst-服务器-\uD83D\uDE80-lone\uD800:8080";
        final long site = tracker.site(name);

        assertThat(tracker.siteName(site)).isEqualTo(new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        final UnsafeBuffer encoded = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 8));
        final int length = Utf8.encode(name, encoded, 0);
        assertThat(length).isEqualTo(Utf8.encodedLength(name)).isEqualTo(name.getBytes(StandardCharsets.UTF_8).length);
        assertThat(ChainIds.fromBytes(encoded, 0, length)).as("stored bytes hash to the id").isEqualTo(site);
    }

    @Test
    void shouldRefuseNullAndEmptyNamesAsProgrammingErrors()
    {
        assertThatThrownBy(() -> tracker.nameSite(1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tracker.nameSite(1, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tracker.site(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseNamingAfterClose()
    {
        tracker.close();

        assertThatThrownBy(() -> tracker.site("a:1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldCarryNamesThroughSnapshotImport()
    {
        final long site = tracker.site("10.2.2.2:443");
        tracker.observeRoundTrip(site, 1_000, 10);
        final RttTrackerSnapshot snapshot = tracker.snapshot();

        try (RttTracker copy = RttTracker.builder().siteCapacity(4).historyCapacity(8).build())
        {
            copy.importSnapshot(snapshot);
            assertThat(copy.siteName(site)).isEqualTo("10.2.2.2:443");
        }
    }

    @Test
    void shouldRefuseToImportANameTooLong()
    {
        tracker.observeRoundTrip(1, 1_000, 10);
        final RttTrackerSnapshot.Site site = tracker.snapshot().sites().get(0);
        final RttTrackerSnapshot.Site named = new RttTrackerSnapshot.Site(site.site(), site.ema(), site.seen(),
            site.lastSeenNs(), site.lastPhiState(), site.historyLength(), site.historyMeanNs(), site.historyNs(),
            "x".repeat(NameTable.MAX_NAME_BYTES + 1));
        final RttTrackerSnapshot snapshot = tracker.snapshot();

        try (RttTracker copy = RttTracker.builder().siteCapacity(4).historyCapacity(8).build())
        {
            assertThatThrownBy(() -> copy.importSnapshot(new RttTrackerSnapshot(java.util.List.of(named), snapshot.edges(),
                snapshot.chainPriors(), snapshot.reported(), snapshot.globalPrior(), snapshot.counters())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name of site 1");
        }
    }

    @Test
    void shouldNotAllocateWhenNamingAndFindingAnAsciiName()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final StringBuilder name = new StringBuilder("10.3.3.3:9000");
        long sum = 0;
        for (int i = 0; i < 20_000; i++) // warm up: compiled code, escape analysis
        {
            sum += tracker.site(name);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++)
        {
            name.setCharAt(name.length() - 1, (char)('0' + (i & 1)));
            sum += tracker.site(name);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sum).isNotZero();
        assertThat(allocated).as("bytes allocated by 20,000 calls").isLessThan(1_000);
    }
}
