package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.ColdEvents;
import ai.bytesandbrains.rtt.internal.RecordTable;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Logs the first refusal of each of a tracker's tables, once per table. Called only where an insert
 * has already been refused (the table-full slow path): there it costs a volatile read once warned, and
 * allocates nothing.
 */
final class FullTableWarnings
{
    /** A table, what it holds, and the parameter and counter the warning names. */
    private record Kind(RecordTable table, String holds, String parameter, String counter)
    {
    }

    private final Kind[] kinds;
    private final AtomicInteger warned = new AtomicInteger(); // bit i: kinds[i] warned; set once, by CAS

    FullTableWarnings(final RecordTable sites, final RecordTable edges, final RecordTable chains, final RecordTable reported)
    {
        kinds = new Kind[] {
            new Kind(sites, "site", "siteCapacity", "siteOverflowCount"),
            new Kind(edges, "edge", "edgeCapacity", "edgeOverflowCount"),
            new Kind(chains, "chain", "chainCapacity", "chainOverflowCount"),
            new Kind(reported, "report", "reportedCapacity", "reportedOverflowCount"),
        };
    }

    /**
     * Note that {@code table} refused a new key; the first time for that table, log it. Thread-safe:
     * racing refusals log once.
     *
     * @param table one of the tables given at construction.
     * @return {@link RecordTable#NOT_FOUND}, for the caller to return.
     */
    long refused(final RecordTable table)
    {
        for (int i = 0; i < kinds.length; i++)
        {
            final int bit = 1 << i;
            if (kinds[i].table() == table && (warned.get() & bit) == 0 &&
                (warned.getAndAccumulate(bit, (old, add) -> old | add) & bit) == 0)
            {
                ColdEvents.tableFull(kinds[i].holds(), table.capacity(), kinds[i].parameter(), kinds[i].counter());
            }
        }
        return RecordTable.NOT_FOUND;
    }
}
