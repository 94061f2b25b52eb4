package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.NameTable;
import ai.bytesandbrains.rtt.internal.Utf8;

/**
 * Names sites in the tracker's name table, for {@link RttTracker#site} and {@link RttTracker#nameSite}.
 *
 * <p>A name is written once, when the site is first named; later calls (with any name) find it and write
 * nothing. Naming does not track the site; the name table is separate from the site table and keeps names
 * when their sites are evicted (an id is derived from its name, so the mapping stays true), so a site
 * tracked again shows its name without being named again. A name longer than
 * {@link NameTable#MAX_NAME_BYTES} UTF-8 bytes, a full name table ({@code 2 * siteCapacity} names, rounded
 * up to a power of two) and the one id {@code 0x9E3779B97F4A7C15}, which cannot be named, are counted and
 * dropped: nothing is thrown.
 *
 * <p>The first namer of a site claims a slot with one CAS (a racer naming the same site finds the claim
 * and stops), writes the name's bytes, then publishes its length with a release store; a reader sees
 * either no name or the whole name ({@link NameTable}). Lock-free, allocation-free: the name is encoded to
 * UTF-8 on the fly.
 */
final class SiteNaming
{
    private final NameTable names;

    SiteNaming(final NameTable names)
    {
        this.names = names;
    }

    long site(final CharSequence name)
    {
        final int length = checkedLength(name);
        final long site = SiteIds.of(name);
        names.name(site, name, length);
        return site;
    }

    boolean nameSite(final long site, final CharSequence name)
    {
        return names.name(site, name, checkedLength(name));
    }

    private static int checkedLength(final CharSequence name)
    {
        if (name == null || name.length() == 0)
        {
            throw new IllegalArgumentException("name must not be null or empty");
        }
        return Utf8.encodedLength(name);
    }
}
