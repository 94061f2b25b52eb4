package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.file.TrackerFileReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

/** {@code rtt-stat export}: the whole state of a tracker file as a JSON snapshot document, read-only. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    description = "Write the whole state of a tracker file, live or not, as a JSON snapshot document, to stdout" +
        " unless --out. The file is only read.")
final class ExportCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The tracker file.")
    private Path file;

    @Option(names = {"-o", "--out"}, paramLabel = "SNAPSHOT.json",
        description = "Write the document there (replaced whole, never left half-written).")
    private Path out;

    @Override
    public Integer call() throws IOException
    {
        final String json;
        try (TrackerFileReader reader = TrackerFileReader.open(file))
        {
            json = SnapshotJson.write(SnapshotJson.Document.of(reader.config(), reader.snapshot()));
        }
        if (out == null)
        {
            spec.commandLine().getOut().println(json);
            spec.commandLine().getOut().flush();
            return 0;
        }
        // Written beside the destination, then renamed over it: a full disk leaves the old document or none.
        final Path directory = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory))
        {
            throw new NoSuchFileException(directory.toString(), null, "no such directory");
        }
        final Path temporary = Files.createTempFile(directory, "." + out.getFileName() + ".", ".tmp");
        try
        {
            Files.writeString(temporary, json + System.lineSeparator(), StandardCharsets.UTF_8);
            Files.move(temporary, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        finally
        {
            Files.deleteIfExists(temporary);
        }
        return 0;
    }
}
