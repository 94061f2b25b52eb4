package ai.bytesandbrains.rtt.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * The events bb-rtt logs, all cold: each is logged by its caller at most once per table, process or
 * open, never on a hot path. They go to the {@link System.Logger} named {@value #LOGGER_NAME}, which
 * without a custom {@code LoggerFinder} is the {@code java.util.logging} logger of that name; SLF4J and
 * Log4j provide bridges. Not API: called by the library's own packages. Thread-safe, any thread.
 */
public final class ColdEvents
{
    /** The name of the library's logger. */
    public static final String LOGGER_NAME = "ai.bytesandbrains.rtt";

    private static final Logger LOGGER = System.getLogger(LOGGER_NAME);

    private ColdEvents()
    {
    }

    /**
     * A table of one tracker refused its first new key: the table is full. Logged at WARNING. Any thread;
     * the caller logs it once per table.
     *
     * @param table     what the table holds: "site", "edge", "chain" or "report".
     * @param capacity  its capacity.
     * @param parameter the configuration parameter that sets it.
     * @param counter   the tracker's method that counts refusals.
     */
    public static void tableFull(final String table, final int capacity, final String parameter, final String counter)
    {
        if (LOGGER.isLoggable(Level.WARNING))
        {
            LOGGER.log(Level.WARNING, "bb-rtt: the " + table + " table is full (" + parameter + " = " + capacity +
                "): new " + table + "s are not tracked and their estimates fall through to the next tier. Raise " +
                parameter + ", or evict idle sites. RttTracker." + counter + "() counts the refusals; this is " +
                "logged once per tracker.");
        }
    }

    /**
     * The process-wide GC pause feed could not be installed (a runtime without {@code java.management}
     * or {@code jdk.management}, for example a trimmed jlink image). Logged at WARNING. Any thread; the
     * caller logs it once per process.
     *
     * @param cause why.
     */
    public static void gcFeedUnavailable(final Throwable cause)
    {
        LOGGER.log(Level.WARNING, "bb-rtt: no GC pause feed in this runtime (" + cause + "): phi does not " +
            "discount stop-the-world GC pauses, only scan gaps and recorded pauses. Add the java.management and " +
            "jdk.management modules to the runtime, or build trackers with localPauseAwareness(false).", cause);
    }

    /**
     * A tracker file was reopened for writing and its state repaired: work in flight when the last
     * writer stopped was settled, the tables were validated and every timestamp was forgotten. Logged at
     * INFO. Any thread; the caller logs it once per open.
     *
     * @param file  the file.
     * @param sites the sites it holds.
     */
    public static void fileRestored(final Path file, final long sites)
    {
        if (LOGGER.isLoggable(Level.INFO))
        {
            LOGGER.log(Level.INFO, "bb-rtt: reopened tracker file " + file + ": state repaired and validated, " +
                sites + " sites kept with their EMAs and histories, timestamps forgotten (every site is " +
                "\"never seen\" until its next round trip).");
        }
    }
}
