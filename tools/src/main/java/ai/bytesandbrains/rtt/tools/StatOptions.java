package ai.bytesandbrains.rtt.tools;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Options of RttStat's inspection command.
 *
 * @param file       the tracker file.
 * @param intervalMs refresh interval.
 * @param iterations readings to print, 0 for until interrupted.
 * @param order      sort column.
 * @param descending largest first.
 * @param top        sites printed at most, 0 for all.
 * @param format     output format.
 */
public record StatOptions(
    Path file, long intervalMs, long iterations, SiteOrder order, boolean descending, int top, StatFormat format)
{
    /** Usage text. */
    public static final String USAGE = String.join(System.lineSeparator(),
        "usage: rtt-stat FILE [--interval=MS] [--sort=COLUMN] [--desc] [--top=N] [--iterations=N]",
        "                     [--once] [--format=table|csv|json]",
        "       rtt-stat export FILE [--out=SNAPSHOT.json]",
        "       rtt-stat import SNAPSHOT.json FILE",
        "",
        "Reads a live tracker file read-only (never writes to it) and prints its sites, priors and counters.",
        "  --interval=MS    refresh every MS milliseconds (default 1000)",
        "  --sort=COLUMN    site, srtt, rttvar, budget, samples, phi, state or history (default site)",
        "  --desc           largest first",
        "  --top=N          print at most N sites",
        "  --iterations=N   stop after N readings (default: until interrupted)",
        "  --once           one reading, then exit: same as --iterations=1",
        "  --format=F       table (default), csv or json; csv and json are for scripts",
        "export: the whole state as a JSON snapshot document (stdout unless --out).",
        "import: create a new tracker FILE from a snapshot document (refuses an existing file).");

    /**
     * @param args command-line arguments of the inspection command.
     * @return the options.
     * @throws IllegalArgumentException on a bad or missing argument.
     */
    public static StatOptions parse(final String[] args)
    {
        Path file = null;
        long intervalMs = 1_000;
        long iterations = 0;
        SiteOrder order = SiteOrder.SITE;
        boolean descending = false;
        int top = 0;
        StatFormat format = StatFormat.TABLE;
        for (final String arg : args)
        {
            if (arg.startsWith("--interval="))
            {
                intervalMs = positive("--interval", value(arg));
            }
            else if (arg.startsWith("--iterations="))
            {
                iterations = positive("--iterations", value(arg));
            }
            else if (arg.equals("--once"))
            {
                iterations = 1;
            }
            else if (arg.startsWith("--sort="))
            {
                order = SiteOrder.parse(value(arg));
            }
            else if (arg.equals("--desc"))
            {
                descending = true;
            }
            else if (arg.startsWith("--top="))
            {
                top = (int)Math.min(Integer.MAX_VALUE, positive("--top", value(arg)));
            }
            else if (arg.startsWith("--format="))
            {
                format = StatFormat.parse(value(arg));
            }
            else if (arg.startsWith("--"))
            {
                throw new IllegalArgumentException("unknown option " + arg);
            }
            else if (file == null)
            {
                file = Paths.get(arg);
            }
            else
            {
                throw new IllegalArgumentException("one file only, got " + file + " and " + arg);
            }
        }
        if (file == null)
        {
            throw new IllegalArgumentException("no tracker file given");
        }
        return new StatOptions(file, intervalMs, iterations, order, descending, top, format);
    }

    private static String value(final String arg)
    {
        return arg.substring(arg.indexOf('=') + 1);
    }

    private static long positive(final String name, final String value)
    {
        try
        {
            final long parsed = Long.parseLong(value);
            if (parsed < 1)
            {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return parsed;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be a number, was '" + value + "'", ex);
        }
    }
}
