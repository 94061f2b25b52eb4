package ai.bytesandbrains.rtt.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded jar as a user runs it: {@code java -jar rtt-stat.jar ...} with no JVM flag, from another
 * directory, with nothing but the jar. Import and inspection load Agrona, which fails without
 * {@code Add-Exports: java.base/jdk.internal.misc} in the manifest. Runs after {@code package}
 * (failsafe).
 */
class RttStatJarIT
{
    @TempDir
    Path dir;

    private record Result(int exitCode, String output)
    {
    }

    private Result javaJar(final String... args) throws Exception
    {
        final Path jar = Path.of(System.getProperty("rtt.stat.jar"));
        assertThat(jar).isRegularFile();
        final List<String> command = new ArrayList<>(List.of(
            ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS"); // nothing may pass the flag behind the jar's back
        builder.environment().remove("JDK_JAVA_OPTIONS");
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void shouldImportAndInspectWithJavaJarAndNoFlag() throws Exception
    {
        Files.writeString(dir.resolve("snapshot.json"), SnapshotJsonStrictTest.good());

        final Result imported = javaJar("import", "snapshot.json", "replay.rtt");
        assertThat(imported.exitCode()).as(imported.output()).isZero();
        assertThat(imported.output()).isEqualTo("imported 4 sites into replay.rtt" + System.lineSeparator());

        final Result reading = javaJar("replay.rtt", "--once", "--format", "json");
        assertThat(reading.exitCode()).as(reading.output()).isZero();
        assertThat(reading.output()).contains("\"site\" : \"" + SnapshotJsonStrictTest.BIG_ID + "\"");
    }

    @Test
    void shouldPrintHelpAndVersion() throws Exception
    {
        final Result help = javaJar("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).startsWith("Usage: rtt-stat");
        final Result version = javaJar("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.output()).startsWith("rtt-stat (bb-rtt) 0.");
    }
}
