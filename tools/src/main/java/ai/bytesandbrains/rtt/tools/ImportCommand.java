package ai.bytesandbrains.rtt.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code rtt-stat import}: a new tracker file from a JSON snapshot document, all or nothing. */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    description = "Create a new tracker file from a snapshot document. The document is checked strictly first;" +
        " the file is built under a temporary name and appears only when complete. Never overwrites a file.")
final class ImportCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT.json", description = "A document written by rtt-stat export.")
    private Path snapshot;

    @Parameters(index = "1", paramLabel = "FILE", description = "The tracker file to create; must not exist.")
    private Path file;

    @Override
    public Integer call() throws IOException
    {
        final long sites;
        try
        {
            sites = SnapshotJson.toFile(SnapshotJson.read(Files.readString(snapshot, StandardCharsets.UTF_8)), file);
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalArgumentException(snapshot + ": not a snapshot document: not UTF-8 text", ex);
        }
        catch (final IllegalArgumentException ex) // refused by the checks or by the import itself
        {
            throw new IllegalArgumentException(snapshot + ": " + ex.getMessage(), ex);
        }
        spec.commandLine().getOut().println("imported " + sites + " sites into " + file);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
