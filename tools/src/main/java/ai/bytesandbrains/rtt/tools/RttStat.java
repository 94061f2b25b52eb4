package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.file.SiteRow;
import ai.bytesandbrains.rtt.file.TrackerFile;
import ai.bytesandbrains.rtt.file.TrackerFileException;
import ai.bytesandbrains.rtt.file.TrackerFileReader;
import ai.bytesandbrains.rtt.file.TrackerFileSample;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

/**
 * Live inspection of a tracker file from another process, like Aeron's {@code AeronStat}: maps the file
 * read-only through {@link TrackerFileReader} and never writes to it, so it can watch a running writer
 * at any refresh rate without disturbing it. Also exports the whole state as a JSON snapshot and imports
 * one into a new file. See {@link StatOptions#USAGE}. Exit status: 0 done, 1 the file or snapshot is
 * unusable (message on stderr), 2 bad arguments.
 */
public final class RttStat
{
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    private RttStat()
    {
    }

    /**
     * @param args see {@link StatOptions#USAGE}.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args command line.
     * @param out  where readings go.
     * @param err  where errors go.
     * @return the exit status.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        try
        {
            if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h"))
            {
                (args.length == 0 ? err : out).println(StatOptions.USAGE);
                return args.length == 0 ? 2 : 0;
            }
            switch (args[0])
            {
                case "export" -> export(Arrays.copyOfRange(args, 1, args.length), out);
                case "import" -> importSnapshot(Arrays.copyOfRange(args, 1, args.length), out);
                default -> stat(StatOptions.parse(args), out);
            }
            return 0;
        }
        catch (final TrackerFileException ex)
        {
            err.println("rtt-stat: " + ex.getMessage());
            return 1;
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("rtt-stat: " + ex.getMessage());
            err.println(StatOptions.USAGE);
            return 2;
        }
        catch (final IOException ex)
        {
            err.println("rtt-stat: " + ex);
            return 1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void stat(final StatOptions options, final PrintStream out) throws InterruptedException
    {
        final boolean clear = options.format() == StatFormat.TABLE && options.iterations() != 1 && System.console() != null;
        try (TrackerFileReader reader = TrackerFileReader.open(options.file()))
        {
            for (long i = 0; options.iterations() == 0 || i < options.iterations(); i++)
            {
                if (i > 0)
                {
                    Thread.sleep(options.intervalMs());
                }
                final TrackerFileSample sample = reader.read();
                List<SiteRow> sites = sample.sites().stream()
                    .sorted(options.order().comparator(options.descending())).toList();
                if (options.top() > 0 && sites.size() > options.top())
                {
                    sites = sites.subList(0, options.top());
                }
                out.print((clear ? CLEAR_SCREEN : "") +
                    options.format().render(options.file(), reader.config(), sample, sites));
                out.flush();
            }
        }
    }

    private static void export(final String[] args, final PrintStream out) throws IOException
    {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].startsWith("--out=")))
        {
            throw new IllegalArgumentException("export needs FILE [--out=SNAPSHOT.json]");
        }
        final String json;
        try (TrackerFileReader reader = TrackerFileReader.open(Paths.get(args[0])))
        {
            json = SnapshotJson.write(SnapshotJson.Document.of(reader.config(), reader.snapshot()));
        }
        if (args.length == 2)
        {
            Files.writeString(Paths.get(args[1].substring("--out=".length())), json, StandardCharsets.UTF_8);
        }
        else
        {
            out.println(json);
        }
    }

    private static void importSnapshot(final String[] args, final PrintStream out) throws IOException
    {
        if (args.length != 2)
        {
            throw new IllegalArgumentException("import needs SNAPSHOT.json FILE");
        }
        final SnapshotJson.Document document = SnapshotJson.read(Files.readString(Paths.get(args[0]), StandardCharsets.UTF_8));
        final Path file = Paths.get(args[1]);
        try (TrackerFile trackerFile = SnapshotJson.toFile(document, file))
        {
            out.println("imported " + trackerFile.tracker().trackedSiteCount() + " sites into " + file);
        }
    }
}
