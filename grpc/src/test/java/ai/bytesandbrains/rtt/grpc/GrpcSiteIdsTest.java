package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.ChainIds;
import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.SiteHandle;
import ai.bytesandbrains.rtt.SiteIds;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcSiteIdsTest
{
    @Test
    void shouldHashHostPortWithFnv1a64() throws Exception
    {
        assertThat(GrpcSiteIds.of("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(GrpcSiteIds.of("foobar")).isEqualTo(0x85944171f73967e8L);
        final InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 50051);
        assertThat(GrpcSiteIds.hostPort(address)).isEqualTo("127.0.0.1:50051");
        assertThat(GrpcSiteIds.of(address)).isEqualTo(ChainIds.fromTargets("127.0.0.1:50051"));
    }

    @Test
    void shouldBracketIpv6AndKeepUnresolvedHostNames() throws Exception
    {
        assertThat(GrpcSiteIds.hostPort(new InetSocketAddress(InetAddress.getByName("::1"), 443)))
            .isEqualTo("[0:0:0:0:0:0:0:1]:443");
        assertThat(GrpcSiteIds.hostPort(InetSocketAddress.createUnresolved("backend.invalid", 80)))
            .isEqualTo("backend.invalid:80");
    }

    @Test
    void shouldDistinguishPortsOfOneHost() throws Exception
    {
        final InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(GrpcSiteIds.of(new InetSocketAddress(loopback, 1)))
            .isNotEqualTo(GrpcSiteIds.of(new InetSocketAddress(loopback, 2)));
    }

    @Test
    void shouldCacheTheSameIdsAndRefillWhenFull() throws Exception
    {
        final SiteIdCache cache = new SiteIdCache(2);
        final InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int port = 1; port <= 5; port++)
        {
            final InetSocketAddress address = new InetSocketAddress(loopback, port);
            assertThat(cache.siteOf(address)).isEqualTo(GrpcSiteIds.of(address));
            assertThat(cache.siteOf(address)).isEqualTo(GrpcSiteIds.of(address));
        }
    }

    @Test
    void shouldNameEachSiteInTheTrackerOnAMissAndNeverThrowForANameTooLong() throws Exception
    {
        try (RttTracker tracker = RttTracker.builder().siteCapacity(4).historyCapacity(4).build())
        {
            final SiteIdCache cache = new SiteIdCache(2, tracker);
            final InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("::1"), 50051);
            final InetSocketAddress unresolved = InetSocketAddress.createUnresolved("h".repeat(200), 1);

            final long site = cache.siteOf(address);
            final long longName = cache.siteOf(unresolved);

            assertThat(site).isEqualTo(SiteIds.of("[0:0:0:0:0:0:0:1]:50051"));
            assertThat(tracker.siteName(site)).isEqualTo("[0:0:0:0:0:0:0:1]:50051");
            assertThat(tracker.siteName(longName)).isEmpty();
            assertThat(tracker.droppedNameCount()).isEqualTo(1);
            assertThat(tracker.trackedSiteCount()).as("naming tracks nothing").isZero();
        }
    }

    @Test
    void shouldKeepOneTrackerHandlePerBackendAndNoneWithoutATracker() throws Exception
    {
        try (RttTracker tracker = RttTracker.builder().siteCapacity(4).historyCapacity(4).build())
        {
            final SiteIdCache cache = new SiteIdCache(2, tracker);
            final InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 50051);
            final SiteHandle handle = cache.handleOf(address);
            assertThat(handle.site()).isEqualTo(GrpcSiteIds.of(address)).isEqualTo(cache.siteOf(address));
            assertThat(cache.handleOf(address)).isSameAs(handle);
            tracker.observeRoundTrip(handle, 1_000, 1_000L);
            assertThat(tracker.trackedSiteCount()).isEqualTo(1);
            assertThat(tracker.evictSite(handle.site())).isTrue();
            tracker.observeRoundTrip(cache.handleOf(address), 2_000, 2_000L); // stale after the eviction: re-tracked
            assertThat(tracker.trackedSiteCount()).isEqualTo(1);
        }
        assertThatThrownBy(() -> new SiteIdCache(2).handleOf(InetSocketAddress.createUnresolved("h", 1)))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("without a tracker");
    }

    @Test
    void shouldRefuseAnEmptyCache()
    {
        assertThatThrownBy(() -> new SiteIdCache(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("capacity");
    }
}
