package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.file.TrackerFile;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** A JVM where Agrona cannot work is refused at construction with one clear exception, every time. */
class AgronaCheckTest
{
    private static final String REFUSED = AgronaSetupException.class.getName();

    @TempDir
    Path dir;

    @Test
    void shouldAcceptThisJvmWhichHasTheFlagAndAgrona2()
    {
        assertThatCode(AgronaCheck::requireUsable).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseEveryConstructionWithOneMessageWhenTheFlagIsMissing() throws Exception
    {
        final String output = runChild(List.of(), System.getProperty("java.class.path"), existingFile());

        assertThat(steps(output)).containsExactly(
            "build: " + REFUSED, "build-again: " + REFUSED, "file-open: " + REFUSED, "file-create: " + REFUSED,
            "reader-open: " + REFUSED);
        assertThat(message(output))
            .contains("does not export java.base/jdk.internal.misc to the class path")
            .contains(AgronaCheck.REQUIRED_FLAG)
            .contains("JDK_JAVA_OPTIONS", "MAVEN_OPTS", ".mvn/jvm.config", "<argLine>", "jvmArgs",
                "applicationDefaultJvmArgs", "Add-Exports: java.base/jdk.internal.misc")
            .contains("Supported Agrona: 2.1.0 or later 2.x");
    }

    @Test
    void shouldRefuseEveryConstructionWithOneMessageWhenAgronaIs1x() throws Exception
    {
        final String oldAgrona = System.getProperty("bbrtt.test.oldAgronaJar");
        assertThat(oldAgrona).as("core/pom.xml copies Agrona 1.x for this test; run it through Maven").isNotNull();
        assertThat(Path.of(oldAgrona)).exists();
        final String agrona2 = Paths.get(AtomicBuffer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
        final List<String> classPath = new ArrayList<>(
            Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
        assertThat(classPath.removeIf(entry -> Paths.get(entry).toAbsolutePath().toString().equals(agrona2))).isTrue();
        classPath.add(oldAgrona);

        final String output = runChild(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"),
            String.join(File.pathSeparator, classPath), existingFile(), "with-buffer");

        assertThat(steps(output)).containsExactly(
            "build: " + REFUSED, "build-again: " + REFUSED, "file-open: " + REFUSED, "file-create: " + REFUSED,
            "reader-open: " + REFUSED, "build-over: " + REFUSED);
        assertThat(message(output))
            .contains("bb-rtt needs Agrona 2.1.0 or later 2.x", "version 1.21.2", "has no AtomicBuffer.putLongRelease")
            .contains(AgronaCheck.REQUIRED_FLAG, "JDK_JAVA_OPTIONS", "Add-Exports");
    }

    /** A valid tracker file written by this JVM, for the child to open. */
    private Path existingFile()
    {
        final Path file = dir.resolve("existing.rtt");
        TrackerFile.create(file, RttTracker.builder().siteCapacity(16).edgeCapacity(16).chainCapacity(4)
            .reportedCapacity(16).historyCapacity(8).toConfig()).close();
        return file;
    }

    private static String runChild(final List<String> jvmArgs, final String classPath, final Path file,
        final String... extra) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", classPath,
            AgronaCheckChild.class.getName(), file.toString()));
        command.addAll(List.of(extra));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JDK_JAVA_OPTIONS"); // the child must see only the flags given here
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static List<String> steps(final String output)
    {
        return output.lines().filter(line -> line.startsWith("STEP ")).map(line -> line.substring(5))
            .collect(Collectors.toList());
    }

    private static String message(final String output)
    {
        return output.substring(output.indexOf("MESSAGE-BEGIN"), output.indexOf("MESSAGE-END"));
    }
}
