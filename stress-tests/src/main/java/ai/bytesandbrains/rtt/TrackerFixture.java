package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.state.EmaRecord;

import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.state.TrackerTables;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.internal.StripedPrior;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A real {@link RttTracker} with small tables, plus read-only access to its buffer so arbiters can
 * capture whole records: EMA cells, last-seen words, history rings and the running sum.
 *
 * <p>Every tracker test keeps a canary site {@link #CANARY_SITE} observed once at construction; its
 * record is a neighbour of the records under test and must come out of every race untouched.
 */
final class TrackerFixture
{
    static final long CANARY_SITE = 0xCA11_AB1EL;
    static final long CANARY_ELAPSED = 4_242;
    static final long CANARY_NOW = 77;
    static final int CAPACITY = 4;
    static final int HISTORY = 4;

    final RttTracker tracker;
    final AtomicBuffer buffer;
    final RecordTable sites;
    final RecordTable edges;
    final RecordTable chains;
    final RecordTable reported;
    private final int ringLength;
    private final long canaryWordBefore;

    TrackerFixture()
    {
        this(CAPACITY);
    }

    TrackerFixture(final int siteCapacity)
    {
        tracker = RttTracker.builder()
            .siteCapacity(siteCapacity)
            .edgeCapacity(CAPACITY)
            .chainCapacity(CAPACITY)
            .reportedCapacity(CAPACITY)
            .historyCapacity(HISTORY)
            .build();
        buffer = tracker.buffer();
        final TrackerTables tables = tracker.tables();
        sites = tables.sites();
        edges = tables.edges();
        chains = tables.chains();
        reported = tables.reported();
        ringLength = (int)HeartbeatHistory.ringLength(HISTORY);
        tracker.observeRoundTrip(CANARY_SITE, CANARY_ELAPSED, CANARY_NOW);
        canaryWordBefore = siteWord(CANARY_SITE);
    }

    /** @return "ok" when the canary site's record is exactly as constructed, else "HIT". */
    String canary()
    {
        final int record = RecordTable.record(sites.find(CANARY_SITE, 0, 0));
        if (record == RecordTable.NOT_FOUND)
        {
            return "HIT";
        }
        final int offset = sites.recordOffset(record);
        final int control = SiteRecord.historyOffset(offset);
        // One heartbeat (its first) records no gap: the history's control words and its whole ring stay 0.
        boolean intact = sites.key0(record) == CANARY_SITE && sites.key1(record) == 0 &&
            sites.key2(record) == 0 && sites.isLive(record) &&
            canaryWordBefore == EmaWord.update(EmaWord.EMPTY, CANARY_ELAPSED) &&
            siteWord(CANARY_SITE) == canaryWordBefore &&
            SiteRecord.sampleCountVolatile(buffer, offset) == 1 &&
            SiteRecord.lastSeenVolatile(buffer, offset) == SiteRecord.encodeLastSeen(CANARY_NOW) &&
            SiteRecord.phiStateVolatile(buffer, offset) == PhiState.LIVE.ordinal() &&
            buffer.getLongVolatile(control + HeartbeatHistory.CLAIMED_OFFSET) == 0 &&
            HeartbeatHistory.totalRecorded(buffer, control) == 0 &&
            HeartbeatHistory.sumVolatile(buffer, control) == 0;
        final int ring = ringOffset(record);
        for (int i = 0; i < HISTORY && intact; i++)
        {
            intact = buffer.getLongVolatile(ring + i * Long.BYTES) == 0;
        }
        return intact ? "ok" : "HIT";
    }

    /** @return offset of a site record's history ring. */
    int ringOffset(final int record)
    {
        return (int)tracker.layout().ringsOffset() + record * ringLength;
    }

    /** @return the site's EMA word, or -1 when the site is not tracked. */
    long siteWord(final long site)
    {
        final int record = RecordTable.record(sites.find(site, 0, 0));
        return record == RecordTable.NOT_FOUND ? -1 :
            AtomicEma.word(buffer, SiteRecord.emaOffset(sites.recordOffset(record)));
    }

    /** @return the site's exact sample count, or -1 when the site is not tracked. */
    long siteCount(final long site)
    {
        final int record = RecordTable.record(sites.find(site, 0, 0));
        return record == RecordTable.NOT_FOUND ? -1 :
            SiteRecord.sampleCountVolatile(buffer, sites.recordOffset(record));
    }

    /** @return the EMA word of a record of an edge, chain or reported table: a chain prior's published word. */
    long emaWord(final RecordTable table, final int record)
    {
        return AtomicEma.word(buffer, EmaRecord.emaOffset(table.recordOffset(record)));
    }

    /** @return the count of a record of an edge, chain or reported table: a chain prior's stripes' sum. */
    long emaCount(final RecordTable table, final int record)
    {
        // An edge counts on two words (its claimants' in the cell, the others' beside it), a chain prior on
        // its stripes.
        return table == edges ? EmaRecord.edgeSampleCountVolatile(buffer, table.recordOffset(record)) :
            table == chains ? StripedPrior.chainSampleCount(buffer, tracker.layout(), table.recordOffset(record)) :
            AtomicEma.sampleCount(buffer, EmaRecord.emaOffset(table.recordOffset(record)));
    }

    /** @return the global prior's published word, the one estimates read. */
    long globalWord()
    {
        return tracker.reader().globalWord();
    }

    /** @return the global prior's exact count: its stripes' and shared cell's counts, read before the word. */
    long globalCount()
    {
        return StripedPrior.globalSampleCount(buffer, tracker.layout());
    }

    /** @return live records of a table whose key is exactly the given one. */
    static int recordsWithKey(final RecordTable table, final long key0, final long key1, final long key2)
    {
        int found = 0;
        for (int record = 0; record < table.highWaterMark(); record++)
        {
            if (table.isLive(record) && table.key0(record) == key0 && table.key1(record) == key1 &&
                table.key2(record) == key2)
            {
                found++;
            }
        }
        return found;
    }

    /**
     * The site's history, oldest first, then {@code sum=ring} when the running sum equals the sum of the
     * ring and {@code claimed == completed}, and last-seen.
     */
    String history(final long site)
    {
        final int record = RecordTable.record(sites.find(site, 0, 0));
        if (record == RecordTable.NOT_FOUND)
        {
            return "history=untracked";
        }
        final int recordOffset = sites.recordOffset(record);
        final int control = SiteRecord.historyOffset(recordOffset);
        final int ring = ringOffset(record);
        final long[] values = new long[HISTORY];
        final int length = HeartbeatHistory.copyOldestFirst(buffer, control, ring, HISTORY, values);
        final StringBuilder text = new StringBuilder("history=[");
        for (int i = 0; i < length; i++)
        {
            text.append(i == 0 ? "" : ",").append(values[i]);
        }
        long ringSum = 0;
        for (int i = 0; i < HISTORY; i++)
        {
            ringSum += buffer.getLongVolatile(ring + i * Long.BYTES);
        }
        final long sum = HeartbeatHistory.sumVolatile(buffer, control);
        final long claimed = buffer.getLongVolatile(control + HeartbeatHistory.CLAIMED_OFFSET);
        final long completed = HeartbeatHistory.completedVolatile(buffer, control);
        final long lastSeen = SiteRecord.lastSeenVolatile(buffer, recordOffset);
        return text.append("] sum=").append(sum == ringSum && claimed == completed ? "ring" : "BAD:" + sum)
            .append(" lastSeen=").append(lastSeen == SiteRecord.NEVER_SEEN ? "never" : SiteRecord.lastSeenNs(lastSeen))
            .toString();
    }

    /**
     * Describe a site that must hold exactly one observe of a fresh record: {@code gone} when it is not
     * tracked, {@code one@<record>g<generation>} when its EMA word is {@code oneWord} with count 1, its
     * last-seen is {@code nowNs}, its history is empty (running sum equal to the ring's, claimed equal to
     * completed), its remembered φ state is LIVE and its record is LIVE; else every field as seen, so
     * that a record mixing an evicted occupant's state with its own prints as such.
     */
    String oneSampleSite(final long site, final long oneWord, final long nowNs)
    {
        final long handle = sites.find(site, 0, 0);
        if (handle == RecordTable.NOT_FOUND)
        {
            return "gone";
        }
        final int record = RecordTable.record(handle);
        final int offset = sites.recordOffset(record);
        final long phiState = SiteRecord.phiStateVolatile(buffer, offset);
        final String where = "@" + record + "g" + RecordTable.generation(handle);
        final String history = history(site);
        if (siteWord(site) == oneWord && siteCount(site) == 1 && sites.isLive(record) &&
            phiState == PhiState.LIVE.ordinal() && history.equals("history=[] sum=ring lastSeen=" + nowNs))
        {
            return "one" + where;
        }
        return "mixed" + where + ":word=0x" + Long.toHexString(siteWord(site)) + ",count=" + siteCount(site) +
            ",phiState=" + phiState + "," + history;
    }

    /**
     * @return the site table's bookkeeping, {@code sites=<size> free=<free records> removed=<evicted>}: on a
     * quiescent table size plus free is the capacity unless a record leaked.
     */
    String siteTable()
    {
        return "sites=" + tracker.trackedSiteCount() + " free=" + sites.freeCount() +
            " removed=" + tracker.evictedSiteCount();
    }

    /** @return the four overflow counters and the rejected counter, as {@code overflow=s,e,c,r,x}. */
    String counters()
    {
        return "overflow=" + tracker.siteOverflowCount() + "," + tracker.edgeOverflowCount() + "," +
            tracker.chainOverflowCount() + "," + tracker.reportedOverflowCount() + "," + tracker.rejectedSampleCount();
    }
}
