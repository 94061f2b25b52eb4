package ai.bytesandbrains.rtt.agent;

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

        assertThat(printed).contains("site 7: LIVE -> SUSPECT").contains("site 7: SUSPECT -> DOWN");
    }
}
