package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.internal.RecordClaims;
import ai.bytesandbrains.rtt.internal.RecordMemory;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.state.TrackerReader;

/**
 * Turns a {@link SiteHandle} into a held or current record of the site table, resolving the id again only
 * when the cached occupant is gone. Lock-free, allocation-free; thread-safe as {@link SiteHandle} says.
 *
 * <p>A cached handle names one occupant for the table's life ({@link RecordTable}: a record's generation
 * moves on once per removal), so validating the generation is all a stale handle needs: a writer claims or
 * pins it ({@link RecordClaims#claimOrPin}, which fails on a removed occupant, as for a handle a lookup
 * returned a moment earlier), a reader checks it before and after its reads. Neither ever writes into, or
 * reads from, a later occupant of the record.
 */
final class SiteHandleResolver
{
    private final RecordTable sites;
    private final TrackerReader reader;

    SiteHandleResolver(final RecordTable sites, final TrackerReader reader)
    {
        this.sites = sites;
        this.reader = reader;
    }

    /** Make a handle for {@code site}, resolved now if it is tracked; cold (one allocation). */
    SiteHandle handle(final long site)
    {
        return new SiteHandle(sites, site, liveOrNotFound(sites.find(site, 0, 0)));
    }

    /** Cache a lookup's result if it is LIVE (else NOT_FOUND), writing only when that changes the cache. */
    private void refresh(final SiteHandle handle, final long cached, final long found)
    {
        final long live = liveOrNotFound(found);
        if (live != cached)
        {
            handle.cache(live);
        }
    }

    /**
     * Only a LIVE occupant is cached: a RESERVED one (linked, its inserter not yet done) is left to the id
     * path, whose insert marks it LIVE for a descheduled inserter; LIVE lasts until the removal.
     */
    private long liveOrNotFound(final long handle)
    {
        return handle != RecordTable.NOT_FOUND && sites.liveHandle(RecordTable.record(handle)) == handle ?
            handle : RecordTable.NOT_FOUND;
    }

    /**
     * Claim or pin the site's record for an observe, inserting the site when it is not tracked, as
     * {@link RecordClaims#claimOrInsert} does for an id.
     *
     * @return as {@link RecordClaims#claimOrInsert}: held ({@link RecordClaims#release} it), or
     * {@link RecordTable#NOT_FOUND} when the table is full.
     */
    long hold(final SiteHandle handle)
    {
        final long cached = checkOwned(handle).cached();
        if (cached != RecordTable.NOT_FOUND)
        {
            final long held = RecordClaims.claimOrPin(sites, cached);
            if (held != RecordTable.NOT_FOUND)
            {
                return held;
            }
        }
        final long held = RecordClaims.claimOrInsert(sites, handle.site(), 0, 0);
        if (held != RecordTable.NOT_FOUND)
        {
            handle.cache(RecordClaims.handleOf(held));
        }
        return held;
    }

    /**
     * The site's current occupant for a read, which the reader validates again after reading.
     *
     * @return a handle of the site table, or {@link RecordTable#NOT_FOUND} when the site is not tracked.
     */
    long current(final SiteHandle handle)
    {
        final long cached = checkOwned(handle).cached();
        if (cached != RecordTable.NOT_FOUND && sites.isCurrent(cached))
        {
            return cached;
        }
        final long found = sites.find(handle.site(), 0, 0);
        refresh(handle, cached, found);
        return found; // a RESERVED occupant is read, not cached
    }

    /**
     * The site tier's word through the handle: read through the cached occupant with one state check after
     * the read, else through a fresh resolution, as {@code TrackerReader.siteWordAt} reads it.
     *
     * @return the site's EMA word, or {@code EmaWord.EMPTY} when the site is not tracked.
     */
    long siteWord(final SiteHandle handle)
    {
        final long cached = checkOwned(handle).cached();
        if (cached != RecordTable.NOT_FOUND)
        {
            final Object base = sites.base();
            final long address = sites.recordAddress(RecordTable.record(cached));
            // volatile, as AtomicEma.word; isCurrent's fence keeps the state read after it
            final long word = RecordMemory.getLongVolatile(base, address + SiteRecord.EMA_OFFSET + AtomicEma.WORD_OFFSET);
            if (RecordTable.isCurrent(base, address, cached))
            {
                return word;
            }
        }
        final long found = sites.find(handle.site(), 0, 0);
        refresh(handle, cached, found);
        return reader.siteWordAt(found);
    }

    /** The handle's site id, once the handle is checked to be this tracker's (and not null). */
    long siteOf(final SiteHandle handle)
    {
        return checkOwned(handle).site();
    }

    private SiteHandle checkOwned(final SiteHandle handle)
    {
        if (handle.sites != sites)
        {
            throw new IllegalArgumentException(handle + " was made by another tracker");
        }
        return handle;
    }
}
