package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.file.ChildJvm;

import ai.bytesandbrains.rtt.file.TrackerFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The tool, in its own process, reading a tracker that a third process keeps writing. */
class RttStatProcessTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static ChildJvm writer;
    private static Path file;

    @BeforeAll
    static void startWriter() throws Exception
    {
        file = dir.resolve("live.rtt");
        writer = ChildJvm.start(LiveWriterChild.class, file.toString());
        writer.awaitLine("READY");
    }

    @AfterAll
    static void stopWriter() throws Exception
    {
        writer.close();
    }

    private static ChildJvm.Result tool(final String... args) throws Exception
    {
        try (ChildJvm tool = ChildJvm.start(RttStat.class, args))
        {
            return tool.finish(60);
        }
    }

    private static JsonNode readJson() throws Exception
    {
        final ChildJvm.Result result = tool(file.toString(), "--once", "--format=json");
        assertThat(result.exitCode()).as(result.output()).isZero();
        return JSON.readTree(result.output());
    }

    private static Map<Long, JsonNode> sitesById(final JsonNode reading)
    {
        final Map<Long, JsonNode> sites = new HashMap<>();
        reading.get("sites").forEach(s -> sites.put(Long.parseLong(s.get("site").textValue()), s)); // ids are strings
        return sites;
    }

    @Test
    void shouldPrintConsistentRowsOfALiveTrackerAsJson() throws Exception
    {
        final JsonNode first = readJson();
        assertThat(first.get("writerPid").asLong()).isEqualTo(writer.pid());
        assertThat(first.get("writerAlive").asBoolean()).isTrue();
        assertThat(first.get("config").get("siteCapacity").asInt()).isEqualTo(LiveWriterChild.CONFIG.siteCapacity());
        final Map<Long, JsonNode> sites = sitesById(first);
        assertThat(sites).containsOnlyKeys(1L, 2L, 3L, 4L, 5L, 6L);
        long siteSamples = 0;
        for (final JsonNode row : sites.values())
        {
            final long low = LiveWriterChild.low(Long.parseLong(row.get("site").textValue()));
            final long srtt = row.get("srttNs").asLong();
            final long rttvar = row.get("rttvarNs").asLong();
            assertThat(srtt).isBetween(low - 8, low + LiveWriterChild.SPREAD_NS);
            assertThat(rttvar).isBetween(0L, low + LiveWriterChild.SPREAD_NS);
            assertThat(row.get("budgetNs").asLong()).isEqualTo(srtt + 4 * rttvar);
            assertThat(row.get("sampleCount").asLong()).isPositive();
            assertThat(row.get("seen").asBoolean()).isTrue();
            assertThat(row.get("phi").asDouble()).isGreaterThanOrEqualTo(0.0).isLessThan(Double.MAX_VALUE);
            assertThat(row.get("historyLength").asInt()).isBetween(0, LiveWriterChild.CONFIG.historyCapacity());
            assertThat(row.get("lastReportedState").asText()).isIn("LIVE", "SUSPECT", "DOWN");
            siteSamples += row.get("sampleCount").asLong();
        }
        // Each observe counts its site before the global prior; the global prior is read last.
        assertThat(first.get("globalPrior").get("sampleCount").asLong() + 1).isGreaterThanOrEqualTo(siteSamples);
        assertThat(first.get("chainPriors")).singleElement()
            .satisfies(c -> assertThat(c.get("chainId").textValue()).isEqualTo(Long.toString(LiveWriterChild.CHAIN)));
        assertThat(first.get("reportCount").asLong()).isEqualTo(1);

        // A later reading: the writer kept going.
        final Map<Long, JsonNode> later = sitesById(readJson());
        for (long site = 1; site <= 5; site++)
        {
            assertThat(later.get(site).get("sampleCount").asLong()).isGreaterThan(sites.get(site).get("sampleCount").asLong());
        }
        assertThat(later.get(LiveWriterChild.SILENT_SITE).get("sampleCount").asLong()).isEqualTo(10);
    }

    @Test
    void shouldShowASilentSiteGoingDownWithItsPhi() throws Exception
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode silent;
        do
        {
            silent = sitesById(readJson()).get(LiveWriterChild.SILENT_SITE);
        }
        while (!silent.get("lastReportedState").asText().equals("DOWN") && System.nanoTime() < deadline);
        assertThat(silent.get("lastReportedState").asText()).isEqualTo("DOWN");
        assertThat(silent.get("verdict").asText()).isEqualTo("DOWN");
        assertThat(silent.get("phi").asDouble()).isGreaterThan(LiveWriterChild.CONFIG.downPhi());
    }

    @Test
    void shouldPrintCsvSortedByTheChosenColumn() throws Exception
    {
        final ChildJvm.Result result = tool(file.toString(), "--once", "--format=csv", "--sort=srtt", "--desc");
        assertThat(result.exitCode()).as(result.output()).isZero();
        final List<String> lines = result.output().lines().toList();
        assertThat(lines.get(0)).isEqualTo("kind,id,srtt_ns,rttvar_ns,budget_ns,samples,warm,seen,phi,state,verdict,history_length,name");
        final List<String[]> siteRows = lines.stream().filter(l -> l.startsWith("site,")).map(l -> l.split(",", -1)).toList();
        assertThat(siteRows).hasSize(6);
        assertThat(siteRows.stream().map(r -> r[1]).toList()).containsExactly("6", "5", "4", "3", "2", "1");
        assertThat(siteRows).allSatisfy(r -> assertThat(r).hasSize(13));
        assertThat(lines).anyMatch(l -> l.startsWith("chain," + LiveWriterChild.CHAIN + ","))
            .anyMatch(l -> l.startsWith("global,0,"))
            .anyMatch(l -> l.startsWith("counter,rejectedSamples,,,,0,"));
    }

    @Test
    void shouldRefreshTheTable() throws Exception
    {
        final ChildJvm.Result result = tool(file.toString(), "--iterations=3", "--interval=20", "--sort=phi", "--desc",
            "--top=2");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().lines().filter(l -> l.trim().startsWith("SITE ")).count()).isEqualTo(3);
        assertThat(result.output().lines().filter(l -> l.trim().startsWith("global ")).count()).isEqualTo(3);
        assertThat(result.output()).contains("writer pid " + writer.pid() + " (alive)");
        // --top=2 sorted by φ: the silent site leads each table, and only two site rows follow the header.
        final List<String> lines = result.output().lines().toList();
        final int header = lines.indexOf(lines.stream().filter(l -> l.trim().startsWith("SITE ")).findFirst().orElseThrow());
        assertThat(lines.get(header + 1).trim()).startsWith(LiveWriterChild.SILENT_SITE + " ");
        assertThat(lines.get(header + 3)).isEmpty();
    }

    @Test
    void shouldShowEachSitesHostPortNameInTheTableCsvAndJson() throws Exception
    {
        final ChildJvm.Result table = tool(file.toString(), "--once", "--sort=name");
        assertThat(table.exitCode()).as(table.output()).isZero();
        final List<String> lines = table.output().lines().toList();
        final int header = lines.indexOf(lines.stream().filter(l -> l.trim().startsWith("SITE ")).findFirst().orElseThrow());
        assertThat(lines.get(header)).endsWith("HISTORY  NAME");
        for (long site = 1; site <= LiveWriterChild.SILENT_SITE; site++)
        {
            assertThat(lines.get(header + (int)site).trim()).startsWith(site + " ").endsWith(" " + LiveWriterChild.name(site));
        }

        final ChildJvm.Result csv = tool(file.toString(), "--once", "--format=csv");
        assertThat(csv.output().lines().filter(l -> l.startsWith("site,6,"))).singleElement()
            .satisfies(l -> assertThat(l).endsWith(",10.0.0.6:50051"));

        assertThat(sitesById(readJson()).get(LiveWriterChild.SILENT_SITE).get("name").asText()).isEqualTo("10.0.0.6:50051");
    }

    @Test
    void shouldExportALiveFileAndImportItIntoANewFile() throws Exception
    {
        final Path json = dir.resolve("export.json");
        final ChildJvm.Result exported = tool("export", file.toString(), "--out", json.toString());
        assertThat(exported.exitCode()).as(exported.output()).isZero();
        final SnapshotJson.Document document = SnapshotJson.read(Files.readString(json));
        assertThat(document.config()).isEqualTo(LiveWriterChild.CONFIG);
        assertThat(document.snapshot().sites()).hasSize(6);

        final Path copy = dir.resolve("imported.rtt");
        final ChildJvm.Result imported = tool("import", json.toString(), copy.toString());
        assertThat(imported.exitCode()).as(imported.output()).isZero();
        assertThat(imported.output()).contains("imported 6 sites into " + copy);
        try (TrackerFile reopened = TrackerFile.open(copy, LiveWriterChild.CONFIG))
        {
            assertThat(reopened.tracker().snapshot()).isEqualTo(SnapshotJsonTest.withoutTimestamps(document.snapshot()));
        }
        // Import never overwrites.
        final ChildJvm.Result again = tool("import", json.toString(), copy.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.output()).contains(copy.toString()).contains("exists");
    }

    @Test
    void shouldRefuseToMigrateAFileWhileItsWriterRuns() throws Exception
    {
        final Path target = dir.resolve("migrated-live.rtt");
        final ChildJvm.Result result = tool("migrate", file.toString(), target.toString(), "--history-capacity", "100");
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("rtt-stat migrate: tracker file " + file + ": locked: a writer has it open");
        assertThat(target).doesNotExist();
    }

    @Test
    void shouldNeverWriteToTheFileItReads() throws Exception
    {
        final Path quiet = dir.resolve("quiet.rtt");
        try (TrackerFile trackerFile = TrackerFile.create(quiet, LiveWriterChild.CONFIG))
        {
            trackerFile.tracker().observeRoundTrip(1, 1_000, 1);
            trackerFile.tracker().observeRoundTrip(1, 2_000, 5);
        }
        Files.setLastModifiedTime(quiet, FileTime.fromMillis(1_000_000_000_000L));
        assertThat(quiet.toFile().setWritable(false, false)).isTrue();
        final byte[] before = Files.readAllBytes(quiet);
        for (final String format : List.of("table", "csv", "json"))
        {
            final ChildJvm.Result result = tool(quiet.toString(), "--iterations=2", "--interval=1", "--format=" + format);
            assertThat(result.exitCode()).as(result.output()).isZero();
        }
        assertThat(tool("export", quiet.toString()).exitCode()).isZero();
        assertThat(Files.readAllBytes(quiet)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(quiet).toMillis()).isEqualTo(1_000_000_000_000L);
    }

    @Test
    void shouldExitWithAClearMessageOnABadFileOrArgument() throws Exception
    {
        final Path missing = dir.resolve("missing.rtt");
        final ChildJvm.Result result = tool(missing.toString(), "--once");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("tracker file " + missing + ": missing");

        final Path foreign = dir.resolve("foreign.rtt");
        Files.write(foreign, new byte[8192]);
        final ChildJvm.Result notTracker = tool(foreign.toString(), "--once");
        assertThat(notTracker.exitCode()).isEqualTo(1);
        assertThat(notTracker.output()).contains("foreign", foreign.toString());

        final ChildJvm.Result usage = tool(file.toString(), "--sort=colour");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.output()).contains("rtt-stat: Invalid value for option '--sort'", "'colour'")
            .doesNotContain("Usage:").doesNotContain("\tat ");
        assertThat(usage.output().strip().lines()).hasSize(1);
    }
}
