package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.file.SiteRow;
import ai.bytesandbrains.rtt.file.TrackerFileReader;
import ai.bytesandbrains.rtt.file.TrackerFileSample;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code rtt-stat}: live inspection of a tracker file from another process, like Aeron's
 * {@code AeronStat}. It maps the file read-only through {@link TrackerFileReader} and never writes to it,
 * so it can watch a running writer at any refresh rate without disturbing it. Subcommands export the
 * whole state as a JSON snapshot, import one into a new file and migrate a file to a new configuration.
 * Exit status: see {@link Cli}.
 *
 * <p>{@link #main} is the only place that exits the JVM; tests run {@link #commandLine()} in-process.
 */
@Command(name = "rtt-stat", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    subcommands = {ExportCommand.class, ImportCommand.class, MigrateCommand.class},
    synopsisSubcommandLabel = "[export | import | migrate]",
    description = {"Print the sites, priors and counters of a tracker file, live or not. The file is only read, never written.",
        "The commands export a JSON snapshot, import one into a new file, or migrate a file to a new configuration;" +
            " 'rtt-stat COMMAND --help' describes each."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:done", "1:the file or snapshot is unusable, or the command could not be done (reason on stderr)",
        "2:bad command line"})
public final class RttStat implements Callable<Integer>
{
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The tracker file.")
    private Path file;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "1000",
        description = "Refresh every MS milliseconds (default ${DEFAULT-VALUE}).")
    private long intervalMs;

    @Option(names = "--iterations", paramLabel = "N", description = "Stop after N readings (default: until interrupted).")
    private long iterations;

    @Option(names = "--once", description = "One reading, then exit: --iterations 1.")
    private boolean once;

    @Option(names = "--sort", paramLabel = "COLUMN", defaultValue = "site",
        description = "Sort sites by site, srtt, rttvar, budget, samples, phi, state, history or name (default ${DEFAULT-VALUE}).")
    private SiteOrder order;

    @Option(names = "--desc", description = "Largest first.")
    private boolean descending;

    @Option(names = "--top", paramLabel = "N", description = "Print at most N sites.")
    private int top;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "table, csv or json (default ${DEFAULT-VALUE}); csv and json are for scripts.")
    private StatFormat format;

    /**
     * @param args see {@code rtt-stat --help}.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /**
     * @return the command line, to {@link CommandLine#execute} in-process; its exit status is returned,
     * never passed to {@link System#exit}.
     */
    public static CommandLine commandLine()
    {
        return Cli.configure(new CommandLine(new RttStat()));
    }

    @Override
    public Integer call()
    {
        if (file == null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "no tracker file given");
        }
        requireAtLeast1("--interval", intervalMs);
        if (spec.commandLine().getParseResult().hasMatchedOption("--iterations"))
        {
            requireAtLeast1("--iterations", iterations);
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--top"))
        {
            requireAtLeast1("--top", top);
        }
        final long readings = once ? 1 : iterations;
        final PrintWriter out = spec.commandLine().getOut();
        final boolean clear = format == StatFormat.TABLE && readings != 1 && System.console() != null;
        try (TrackerFileReader reader = TrackerFileReader.open(file))
        {
            print(reader, readings, clear, out);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt(); // asked to stop between readings: a normal end
        }
        return 0;
    }

    private void print(final TrackerFileReader reader, final long readings, final boolean clear, final PrintWriter out)
        throws InterruptedException
    {
        for (long i = 0; readings == 0 || i < readings; i++)
        {
            if (i > 0)
            {
                Thread.sleep(intervalMs);
            }
            final TrackerFileSample sample = reader.read();
            List<SiteRow> sites = sample.sites().stream().sorted(order.comparator(descending)).toList();
            if (top > 0 && sites.size() > top)
            {
                sites = sites.subList(0, top);
            }
            out.print((clear ? CLEAR_SCREEN : "") + format.render(file, reader.config(), sample, sites));
            out.flush();
        }
    }

    private void requireAtLeast1(final String option, final long value)
    {
        if (value < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be at least 1, was " + value);
        }
    }
}
