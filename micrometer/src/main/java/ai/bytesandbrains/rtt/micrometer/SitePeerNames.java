package ai.bytesandbrains.rtt.micrometer;

import ai.bytesandbrains.rtt.RttTracker;

/**
 * Maps a site id to the value of the {@code peer} tag of its meters. The default,
 * {@link #trackerNames(RttTracker)}, is the name the site was given in the tracker ({@code host:port}, by
 * {@code RttTracker.site(name)} or {@code nameSite}); an application that knows its peers otherwise (a venue
 * code) supplies its own mapping.
 *
 * <p>Called only by {@link RttTrackerMetrics#refresh()}, one call at a time, once per site when its meters
 * are registered (never per scrape), so it may allocate. It must return the same name for the same site
 * for as long as the site is tracked; two sites mapped to one name are told apart by the binder (see
 * {@link RttTrackerMetrics}).
 */
@FunctionalInterface
public interface SitePeerNames
{
    /** The site id as an unsigned decimal number, the default: ids are 64-bit hashes or counters. */
    SitePeerNames UNSIGNED_DECIMAL = Long::toUnsignedString;

    /** The site id as {@code 0x} and 16 lower-case hex digits. */
    SitePeerNames HEX = site -> String.format("0x%016x", site);

    /**
     * The names kept in the tracker's name table; a site never named falls back to
     * {@link #UNSIGNED_DECIMAL}, and is tagged again by its name once it has one (see
     * {@link RttTrackerMetrics#refresh()}).
     *
     * @param tracker the tracker the binder publishes.
     * @return {@code site -> tracker.siteName(site)}.
     */
    static SitePeerNames trackerNames(final RttTracker tracker)
    {
        return tracker::siteName;
    }

    /**
     * Called by {@link RttTrackerMetrics#refresh()}, never concurrently with itself for one binder.
     *
     * @param site the tracked site.
     * @return the tag value; {@code null} or empty falls back to {@link #UNSIGNED_DECIMAL}.
     */
    String peerName(long site);
}
