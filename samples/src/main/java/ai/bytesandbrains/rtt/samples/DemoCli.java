package ai.bytesandbrains.rtt.samples;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * How the demo reports failure: a bad command line is one line on stderr and exit status 2; a failure
 * of the demo (a socket, the chart) is one line and exit status 1. No stack trace.
 */
final class DemoCli
{
    private DemoCli()
    {
    }

    static CommandLine configure(final CommandLine commandLine)
    {
        return commandLine
            .setParameterExceptionHandler((ex, args) ->
            {
                ex.getCommandLine().getErr().println("demo: " + oneLine(ex.getMessage()) + " (see --help)");
                return ex.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
            })
            .setExecutionExceptionHandler((ex, cl, parsed) ->
            {
                cl.getErr().println("demo: " + oneLine(ex.toString()));
                return 1;
            });
    }

    private static String oneLine(final String message)
    {
        return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** {@code --version}: the project version, written into {@code version.properties} by the build. */
    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion() throws IOException
        {
            final Properties properties = new Properties();
            try (InputStream in = Version.class.getResourceAsStream("version.properties"))
            {
                if (in != null)
                {
                    properties.load(in);
                }
            }
            return new String[]{"bb-rtt loopback demo " + properties.getProperty("version", "unknown version")};
        }
    }
}
