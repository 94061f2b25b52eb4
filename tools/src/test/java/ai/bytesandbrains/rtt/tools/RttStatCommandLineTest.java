package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.file.TrackerFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: both option forms, help, version, and one-line errors with exit status 2. */
class RttStatCommandLineTest
{
    @TempDir
    static Path dir;

    private static Path file;

    @BeforeAll
    static void createFile()
    {
        file = dir.resolve("quiet.rtt");
        try (TrackerFile trackerFile = TrackerFile.create(file, LiveWriterChild.CONFIG))
        {
            trackerFile.tracker().observeRoundTrip(SnapshotJsonStrictTest.BIG_ID, 77, 0, 1_000, 1);
            trackerFile.tracker().observeRoundTrip(5, 2_000, 5);
        }
    }

    private static void assertUsageError(final CommandRun run, final String reason)
    {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(reason);
        assertThat(run.oneLineError()).as(run.err()).isTrue();
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldTakeAnOptionValueAsTheNextArgumentOrAfterAnEqualsSign() throws Exception
    {
        final CommandRun spaced = CommandRun.of(file.toString(), "--iterations", "2", "--interval", "1", "--format", "csv",
            "--sort", "srtt", "--desc", "--top", "1");
        final CommandRun joined = CommandRun.of(file.toString(), "--iterations=2", "--interval=1", "--format=csv",
            "--sort=srtt", "--desc", "--top=1");
        assertThat(spaced.exitCode()).as(spaced.err()).isZero();
        assertThat(joined.exitCode()).as(joined.err()).isZero();
        assertThat(spaced.out()).isEqualTo(joined.out());
        assertThat(spaced.out().lines().filter(l -> l.startsWith("site,"))).containsExactly(
            "site,5,2000,1000,6000,1,false,true,0.0,LIVE,LIVE,0,", "site,5,2000,1000,6000,1,false,true,0.0,LIVE,LIVE,0,");
    }

    @Test
    void shouldAcceptOptionValuesInAnyCase()
    {
        final CommandRun run = CommandRun.of(file.toString(), "--once", "--format", "JSON", "--sort", "Phi");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("{");
    }

    @Test
    void shouldWriteIdsAsStringsInTheJsonReading() throws Exception
    {
        final CommandRun run = CommandRun.of(file.toString(), "--once", "--format=json");
        final JsonNode reading = new ObjectMapper().readTree(run.out());
        assertThat(reading.get("sites").get(0).get("site").textValue())
            .isEqualTo(Long.toString(SnapshotJsonStrictTest.BIG_ID));
        assertThat(reading.get("chainPriors").get(0).get("chainId").textValue()).isEqualTo("77");
    }

    @Test
    void shouldPrintHelpAndVersionAndExit0()
    {
        final CommandRun help = CommandRun.of("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: rtt-stat", "--interval=MS", "export", "import", "migrate", "Exit status:");
        final CommandRun migrateHelp = CommandRun.of("migrate", "--help");
        assertThat(migrateHelp.exitCode()).isZero();
        assertThat(migrateHelp.out()).contains("Usage: rtt-stat migrate", "--history-capacity=N");
        final CommandRun version = CommandRun.of("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("rtt-stat (bb-rtt) 0.");
    }

    @Test
    void shouldRefuseABadValueInOneLineWithStatus2()
    {
        assertUsageError(CommandRun.of(file.toString(), "--interval", "abc"), "'abc' is not a long");
        assertUsageError(CommandRun.of(file.toString(), "--interval=0"), "--interval must be at least 1, was 0");
        assertUsageError(CommandRun.of(file.toString(), "--top", "-3"), "--top must be at least 1");
        assertUsageError(CommandRun.of(file.toString(), "--format", "xml"), "Invalid value for option '--format'");
    }

    @Test
    void shouldRefuseUnknownMissingOrUnpairedArgumentsWithStatus2()
    {
        assertUsageError(CommandRun.of(file.toString(), "--colour"), "Unknown option: '--colour'");
        assertUsageError(CommandRun.of(file.toString(), "other.rtt"), "Unmatched argument");
        assertUsageError(CommandRun.of(file.toString(), "--interval"), "Missing required parameter for option '--interval'");
        assertUsageError(CommandRun.of(), "no tracker file given");
        assertUsageError(CommandRun.of("import", "only-one.json"), "Missing required parameter: 'FILE'");
        assertUsageError(CommandRun.of("export", file.toString(), "--out"), "Missing required parameter for option '--out'");
    }

    @Test
    void shouldReportAMissingFileInOneLineWithStatus1()
    {
        final Path missing = dir.resolve("missing.rtt");
        final CommandRun run = CommandRun.of(missing.toString(), "--once");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("rtt-stat: tracker file " + missing + ": missing: no such file" + System.lineSeparator());
    }
}
