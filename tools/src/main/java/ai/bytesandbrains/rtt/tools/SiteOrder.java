package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.file.SiteRow;

import java.util.Comparator;

/** The columns RttStat can sort sites by; ties broken by site id. */
public enum SiteOrder
{
    /** Site id. */
    SITE(Comparator.comparingLong(SiteRow::site)),
    /** Smoothed RTT. */
    SRTT(Comparator.comparingLong(SiteRow::srttNs)),
    /** RTT variation. */
    RTTVAR(Comparator.comparingLong(SiteRow::rttvarNs)),
    /** Deadline budget. */
    BUDGET(Comparator.comparingLong(SiteRow::budgetNs)),
    /** Sample count. */
    SAMPLES(Comparator.comparingLong(SiteRow::sampleCount)),
    /** φ now. */
    PHI(Comparator.comparingDouble(SiteRow::phi)),
    /** Last reported state (LIVE, SUSPECT, DOWN). */
    STATE(Comparator.comparing(SiteRow::lastReportedState)),
    /** History length. */
    HISTORY(Comparator.comparingInt(SiteRow::historyLength)),
    /** Name ({@code host:port}); unnamed sites (an empty name) first. */
    NAME(Comparator.comparing(SiteRow::name));

    private final Comparator<SiteRow> comparator;

    SiteOrder(final Comparator<SiteRow> comparator)
    {
        this.comparator = comparator.thenComparingLong(SiteRow::site);
    }

    /**
     * @param descending largest first.
     * @return the comparator.
     */
    public Comparator<SiteRow> comparator(final boolean descending)
    {
        return descending ? comparator.reversed() : comparator;
    }
}
