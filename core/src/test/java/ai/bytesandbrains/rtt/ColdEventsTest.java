package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.file.TrackerFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/** Each cold event is logged once, however often its cause recurs. */
class ColdEventsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWarnOnceForEachTableOfATrackerThatRefusesKeys()
    {
        final RttTracker tracker = RttTracker.builder().siteCapacity(2).edgeCapacity(3).chainCapacity(1)
            .reportedCapacity(1).historyCapacity(8).build();
        try (LogCapture log = new LogCapture())
        {
            for (long key = 1; key <= 6; key++)
            {
                tracker.observeRoundTrip(key, key, 0, 1_000, key);
                tracker.ingestReportedOutgoing(1, key, 1, 1_000, 100, 8);
            }

            assertThat(tracker.siteOverflowCount()).isGreaterThan(1);
            assertThat(tracker.edgeOverflowCount()).isGreaterThan(1);
            assertThat(tracker.chainOverflowCount()).isGreaterThan(1);
            assertThat(tracker.reportedOverflowCount()).isGreaterThan(1);
            final List<String> warnings = log.messages(Level.WARNING);
            assertThat(warnings).hasSize(4);
            assertThat(warnings).filteredOn(m -> m.contains("the site table is full (siteCapacity = 2)")).hasSize(1);
            assertThat(warnings).filteredOn(m -> m.contains("the edge table is full (edgeCapacity = 3)")).hasSize(1);
            assertThat(warnings).filteredOn(m -> m.contains("the chain table is full (chainCapacity = 1)")).hasSize(1);
            assertThat(warnings).filteredOn(m -> m.contains("the report table is full (reportedCapacity = 1)"))
                .hasSize(1);
            assertThat(warnings).allMatch(m -> m.contains("OverflowCount()"));
        }
    }

    @Test
    void shouldWarnAgainForAnotherTrackerButNotForTheSameOne()
    {
        try (LogCapture log = new LogCapture())
        {
            for (int tracker = 0; tracker < 2; tracker++)
            {
                final RttTracker small = RttTracker.builder().siteCapacity(1).historyCapacity(8).build();
                for (long site = 1; site <= 10; site++)
                {
                    small.observeRoundTrip(site, 7, 0, 1_000, site);
                }
                assertThat(small.siteOverflowCount()).isEqualTo(9);
            }
            assertThat(log.messages(Level.WARNING)).filteredOn(m -> m.contains("the site table is full")).hasSize(2);
        }
    }

    @Test
    void shouldLogOneRepairForEachReopenOfATrackerFile()
    {
        final Path file = dir.resolve("restart.rtt");
        final RttTrackerConfig config = RttTracker.builder().siteCapacity(8).historyCapacity(8).toConfig();
        try (LogCapture log = new LogCapture())
        {
            try (TrackerFile created = TrackerFile.create(file, config))
            {
                created.tracker().observeRoundTrip(1, 2, 0, 1_000, 10);
                created.tracker().observeRoundTrip(3, 2, 0, 1_000, 10);
            }
            assertThat(log.messages(Level.INFO)).isEmpty();

            TrackerFile.open(file).close();
            assertThat(log.messages(Level.INFO)).singleElement().asString()
                .contains("reopened tracker file " + file, "2 sites kept", "timestamps forgotten");

            TrackerFile.open(file, config).close();
            assertThat(log.messages(Level.INFO)).hasSize(2);
        }
    }

    @Test
    void shouldWarnOnceWhenTheRuntimeHasNoGcPauseFeed() throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            // A trimmed runtime, as a jlink image without java.management would be.
            "--limit-modules", "java.base,java.logging,jdk.unsupported",
            "-Xmx64m", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), ColdEventsChild.class.getName())
            .redirectErrorStream(true);
        builder.environment().remove("JDK_JAVA_OPTIONS");
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        assertThat(output).contains("GC-FEED false");
        assertThat(output.lines().filter(line -> line.startsWith("WARNING "))).singleElement().asString()
            .contains("no GC pause feed in this runtime", "java.management", "localPauseAwareness(false)");
    }
}
