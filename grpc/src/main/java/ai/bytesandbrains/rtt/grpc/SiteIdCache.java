package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.SiteHandle;

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
 * <p>Built with a tracker, it also keeps the backend's {@link SiteHandle} there ({@link #handleOf}), so the
 * per-attempt path makes one lookup (this map's) instead of two (this map's, then the tracker's).
 *
 * <p>Thread-safe: {@link #siteOf} and {@link #handleOf} may be called by any number of threads. A hit is a
 * lock-free {@link ConcurrentHashMap#get} and allocates nothing; a miss computes the id and inserts it.
 */
public final class SiteIdCache
{
    private final ConcurrentHashMap<SocketAddress, Entry> sites = new ConcurrentHashMap<>();
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
        return entryOf(address).site;
    }

    /**
     * The tracker's {@link SiteHandle} for the backend, so that an observe or estimate for it skips the
     * tracker's own lookup too. Thread-safe; allocation-free on a hit.
     *
     * @param address a backend's address.
     * @return a handle of {@link GrpcSiteIds#of(SocketAddress)} in the tracker this cache was built with.
     * @throws IllegalStateException when the cache was built without a tracker.
     */
    public SiteHandle handleOf(final SocketAddress address)
    {
        final SiteHandle handle = entryOf(address).handle;
        if (handle == null)
        {
            throw new IllegalStateException("SiteIdCache built without a tracker has no handles");
        }
        return handle;
    }

    private Entry entryOf(final SocketAddress address)
    {
        final Entry cached = sites.get(address);
        if (cached != null)
        {
            return cached;
        }
        final String hostPort = GrpcSiteIds.hostPort(address);
        final long site = GrpcSiteIds.of(hostPort);
        SiteHandle handle = null;
        if (namer != null)
        {
            namer.nameSite(site, hostPort); // a full name table or a long name is counted there, never thrown
            handle = namer.siteHandle(site);
        }
        if (sites.size() >= capacity)
        {
            sites.clear();
        }
        final Entry entry = new Entry(site, handle);
        sites.put(address, entry);
        return entry;
    }

    /** A backend's id and, with a tracker, its handle there: made together once per miss. */
    private record Entry(long site, SiteHandle handle)
    {
    }
}
