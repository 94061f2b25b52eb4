package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.RecordTable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A site id resolved to its record in one tracker, for a caller that observes, estimates or asks φ of the
 * same peer again and again (a connection, a channel, a subchannel): the calls that take a handle skip the
 * lookup of the site's key, which the calls taking an id make every time. Get one from
 * {@link RttTracker#siteHandle(long)} and keep it beside the connection.
 *
 * <p>A handle caches the site's record and the generation of the occupant it resolved. Eviction does not
 * invalidate it: a call through a handle whose occupant was evicted, and whose record may hold another site
 * by now, sees the generation move on and resolves the id again, exactly as a call by id would. Results are
 * therefore the same as the id calls', bit for bit (tested), whichever API a caller uses and however they
 * interleave.
 *
 * <p>Thread-safe: any number of threads may use one handle, even one published through a data race. The
 * cache is one 64-bit word read and written with opaque accesses (never torn, no fence); a thread that
 * re-resolves writes it, and a racing thread that reads an older value, or the field's default, only
 * re-resolves too. Only a published record is cached, so a call through a handle also helps an insert
 * whose thread was descheduled, as a call by id does. A handle belongs to the tracker that made it; passing it to
 * another is a programming error and throws {@link IllegalArgumentException}. Allocation happens once, when
 * the handle is made; the calls that take it allocate nothing.
 */
public final class SiteHandle
{
    private static final VarHandle CACHED;

    static
    {
        try
        {
            CACHED = MethodHandles.lookup().findVarHandle(SiteHandle.class, "inverted", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final RecordTable sites;
    private final long site;
    // The complement of the cached handle: a thread that sees this object through a data race may read the
    // field's default 0, which must mean "resolve" (~0 is NOT_FOUND), never record 0 of generation 0.
    @SuppressWarnings("unused") // accessed through CACHED
    private long inverted;

    SiteHandle(final RecordTable sites, final long site, final long resolved)
    {
        this.sites = sites;
        this.site = site;
        this.inverted = ~resolved;
    }

    /**
     * Any thread.
     *
     * @return the site id this handle resolves.
     */
    public long site()
    {
        return site;
    }

    /** The cached record handle, or {@link RecordTable#NOT_FOUND}; opaque: whole, and validated before use. */
    long cached()
    {
        return ~(long)CACHED.getOpaque(this);
    }

    /** Cache a fresh resolution; opaque: racing threads each store a whole handle, and any of them is valid. */
    void cache(final long handle)
    {
        CACHED.setOpaque(this, ~handle);
    }

    @Override
    public String toString()
    {
        return "SiteHandle[site=" + site + "]";
    }
}
