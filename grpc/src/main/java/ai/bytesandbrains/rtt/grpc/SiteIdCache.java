package ai.bytesandbrains.rtt.grpc;

import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers {@link GrpcSiteIds#of(SocketAddress)} per address so that the per-attempt path reads a map
 * instead of building and hashing a string. Bounded: when it holds more than {@code capacity} addresses it is
 * cleared and refilled on demand (a backend set that churns costs a few recomputations, never unbounded
 * memory).
 *
 * <p>Thread-safe: {@link #siteOf} may be called by any number of threads. A hit is a lock-free
 * {@link ConcurrentHashMap#get} and allocates nothing; a miss computes the id and inserts it.
 */
public final class SiteIdCache
{
    private final ConcurrentHashMap<SocketAddress, Long> sites = new ConcurrentHashMap<>();
    private final int capacity;

    /**
     * @param capacity addresses kept before the cache is cleared, {@code >= 1}.
     * @throws IllegalArgumentException naming {@code capacity} when it is below 1.
     */
    public SiteIdCache(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Thread-safe; allocation-free on a hit.
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
        final long site = GrpcSiteIds.of(address);
        if (sites.size() >= capacity)
        {
            sites.clear();
        }
        sites.put(address, site);
        return site;
    }
}
