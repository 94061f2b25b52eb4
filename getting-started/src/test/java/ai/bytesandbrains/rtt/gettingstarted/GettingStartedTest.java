package ai.bytesandbrains.rtt.gettingstarted;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the README's example and checks what it prints: its claims, and the output the README shows. */
class GettingStartedTest
{
    private static List<String> runExample()
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8))
        {
            System.setOut(capture);
            GettingStarted.main(new String[0]);
        }
        finally
        {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void silentPeerIsSuspectedThenDownAndOnlyIt()
    {
        final List<String> out = runExample();
        // Gaps of 10 ms: phi = silence / (10 ms * ln 10) passes 8 after 184 ms and 16 after 368 ms of
        // silence; peer 3 fell silent at 2000 ms and the scans run every 100 ms.
        assertThat(out).filteredOn(line -> line.startsWith("at ")).containsExactly(
            "at 2200 ms: peer 3 is SUSPECT (phi 8.7)",
            "at 2400 ms: peer 3 is DOWN (phi 17.4)");
    }

    @Test
    void budgetsMoveFromStaticDefaultToLearnedTiers()
    {
        final List<String> out = runExample();
        assertThat(out.get(0)).isEqualTo("peer 1, first send: budget 25.000 ms (nothing learned: static default)");
        // Samples p ms + {0.1, 0.2, 0.3, 0} ms: srtt settles near p + 0.15 ms, well below the default.
        assertThat(out).contains(
            "peer 1: srtt 1.146 ms, rttvar 0.122 ms, budget 1.634 ms, 300 samples",
            "peer 2: srtt 2.146 ms, rttvar 0.122 ms, budget 2.634 ms, 300 samples",
            "peer 3: srtt 3.146 ms, rttvar 0.122 ms, budget 3.634 ms, 200 samples",
            "peer 4, new in the chain, as hop 0: budget 3.795 ms (the chain's prior)");
    }

    @Test
    void readmeShowsTheOutputTheExamplePrints() throws Exception
    {
        assertThat(ReadmeBlocks.block(ReadmeBlocks.readme(), "example-output"))
            .as("README.md block 'example-output' must be what GettingStarted prints")
            .containsExactlyElementsOf(runExample());
    }
}
