package ai.bytesandbrains.rtt.tools;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code --version}: the project version, written into {@code version.properties} by the build. */
final class ToolVersion implements CommandLine.IVersionProvider
{
    @Override
    public String[] getVersion() throws IOException
    {
        final Properties properties = new Properties();
        try (InputStream in = ToolVersion.class.getResourceAsStream("version.properties"))
        {
            if (in != null)
            {
                properties.load(in);
            }
        }
        return new String[]{"rtt-stat (bb-rtt) " + properties.getProperty("version", "unknown version"),
            "JVM: ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})"};
    }
}
