package ai.bytesandbrains.rtt.grpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeExampleTest
{
    @Test
    void shouldShowTheExampleExactlyInTheReadme() throws Exception
    {
        final String source = Files.readString(
            Path.of("src/test/java/ai/bytesandbrains/rtt/grpc/ReadmeExample.java"), StandardCharsets.UTF_8);
        final String body = source.substring(
            source.indexOf('\n', source.indexOf("// README-BEGIN")) + 1, source.indexOf("        // README-END"));
        final String snippet = Arrays.stream(body.split("\n"))
            .map(line -> line.startsWith("        ") ? line.substring(8) : line)
            .collect(Collectors.joining("\n"));
        final String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains(snippet);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRunTheExampleAgainstALoopbackBackend() throws Exception
    {
        try (LoopbackCluster cluster = new LoopbackCluster(2, 1_000_000L))
        {
            final byte[] reply = ReadmeExample.call(cluster.tracker, cluster.resolver.target("echo"), new byte[]{7, 8});
            assertThat(reply).containsExactly(7, 8);
        }
    }
}
