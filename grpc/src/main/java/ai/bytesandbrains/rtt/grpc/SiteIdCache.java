package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.RttTracker;

import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers {@link GrpcSiteIds#of(SocketAddress)} per address so that the per-attempt path reads a map
 * instead of building and hashing a string. Bounded: when it holds more than {@code capacity} addresses it is
 * cleared and refilled on demand (a backend set that churns costs a few recomputations, never unbounded
 * memory). Built with a tracker, a miss also names the site in it ({@link RttTracker#nameSite}) with its
 * {@code host:port}, so the tracker's file, {@code rtt-stat} and metrics show the backend's address: once per
 * miss, off the steady path, and a name already there is found and not written again.
 *
 * <p>Thread-safe: {@link #siteOf} may be called by any number of threads. A hit is a lock-free
 * {@link ConcurrentHashMap#get} and allocates nothing; a miss computes the id and inserts it.
 */
public final class SiteIdCache
{
    private final ConcurrentHashMap<SocketAddress, Long> sites = new ConcurrentHashMap<>();
    private final int capacity;
    private final RttTracker namer;

    /**
     * A cache that names nothing.
     *
     * @param capacity addresses kept before the cache is cleared, {@code >= 1}.
     * @throws IllegalArgumentException naming {@code capacity} when it is below 1.
     */
    public SiteIdCache(final int capacity)
    {
        this(capacity, null);
    }

    /**
     * @param capacity addresses kept before the cache is cleared, {@code >= 1}.
     * @param namer    the tracker in which a miss names the site, or {@code null} to name nothing.
     * @throws IllegalArgumentException naming {@code capacity} when it is below 1.
     */
    public SiteIdCache(final int capacity, final RttTracker namer)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        this.namer = namer;
    }

    /**
     * Thread-safe; allocation-free on a hit; a miss names the site in the tracker, if given one.
     *
     * @param address a backend's address.
     * @return {@link GrpcSiteIds#of(SocketAddress)} of it.
     */
    public long siteOf(final SocketAddress address)
    {
        final Long cached = sites.get(address);
        if (cached != null)
        {
            return cached;
        }
        final String hostPort = GrpcSiteIds.hostPort(address);
        final long site = GrpcSiteIds.of(hostPort);
        if (namer != null)
        {
            namer.nameSite(site, hostPort); // a full name table or a long name is counted there, never thrown
        }
        if (sites.size() >= capacity)
        {
            sites.clear();
        }
        sites.put(address, site);
        return site;
    }
}
