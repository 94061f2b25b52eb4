package ai.bytesandbrains.rtt.micrometer;

import ai.bytesandbrains.rtt.readme.ReadmeExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeExampleTest
{
    @Test
    void shouldCompileAndRunTheReadmeExample(@TempDir final Path workDir) throws Exception
    {
        final String printed = ReadmeExamples.compileAndRun(Path.of("README.md"), workDir);

        assertThat(printed.trim()).as("srtt of peer 10.0.0.1:50051 in seconds").isEqualTo("0.002");
    }
}
