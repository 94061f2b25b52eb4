package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.file.TrackerFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code rtt-stat import}: all or nothing, a reason on one line, exit status 1 for a bad document. */
class ImportCommandTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String edited(final Consumer<ObjectNode> edit)
    {
        try
        {
            final ObjectNode document = (ObjectNode)JSON.readTree(SnapshotJsonStrictTest.good());
            edit.accept(document);
            return JSON.writeValueAsString(document);
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static ObjectNode node(final ObjectNode document, final String path)
    {
        return (ObjectNode)document.at(path);
    }

    /** Each document is refused by the import (some only after the tracker file was created). */
    static Stream<Arguments> refusedDocuments()
    {
        return Stream.of(
            Arguments.of("more sites than siteCapacity", edited(d -> node(d, "/config").put("siteCapacity", 2)),
                "4 sites, more than siteCapacity 2"),
            Arguments.of("a history longer than historyCapacity", edited(d -> node(d, "/config").put("historyCapacity", 3)),
                "more than historyCapacity 3"),
            Arguments.of("a negative history value", edited(d ->
            {
                ((ArrayNode)d.at("/snapshot/sites/0/historyNs")).set(0, -1);
                node(d, "/snapshot/sites/0").put("historyMeanNs", 0.0);
            }), "history value -1"),
            Arguments.of("a negative counter", edited(d -> node(d, "/snapshot/counters").put("rejectedSamples", -1)),
                "negative counter"),
            Arguments.of("a negative EMA value", edited(d -> node(d, "/snapshot/chainPriors/0/ema").put("srttNs", -5)),
                "srttNs -5"),
            Arguments.of("a hop index out of range", edited(d -> node(d, "/snapshot/edges/0").put("hopIndex", 300)),
                "hopIndex must be in 0..255"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedDocuments")
    void shouldLeaveNoFileBehindWhenTheImportFailsSoThatARetryWorks(
        final String fault, final String document, final String reason) throws Exception
    {
        final Path json = dir.resolve("bad.json");
        Files.writeString(json, document);
        final Path target = dir.resolve("imported.rtt");

        final CommandRun failed = CommandRun.of("import", json.toString(), target.toString());

        assertThat(failed.exitCode()).as(failed.err()).isEqualTo(1);
        assertThat(failed.err()).startsWith("rtt-stat import: " + json + ": ").contains(reason);
        assertThat(failed.oneLineError()).as(failed.err()).isTrue();
        assertThat(target).doesNotExist();
        try (Stream<Path> files = Files.list(dir))
        {
            assertThat(files).containsExactly(json); // no temporary file either
        }

        Files.writeString(json, SnapshotJsonStrictTest.good());
        final CommandRun retried = CommandRun.of("import", json.toString(), target.toString());
        assertThat(retried.exitCode()).as(retried.err()).isZero();
        assertThat(retried.out()).isEqualTo("imported 4 sites into " + target + System.lineSeparator());
        try (TrackerFile file = TrackerFile.open(target))
        {
            assertThat(file.tracker().trackedSiteCount()).isEqualTo(4);
        }
    }

    @Test
    void shouldExplainAnInvalidDocumentWithStatus1AndNoUsageText() throws Exception
    {
        final Path json = dir.resolve("fraction.json");
        Files.writeString(json, edited(d -> node(d, "/config").put("siteCapacity", 8.9)));
        final CommandRun run = CommandRun.of("import", json.toString(), dir.resolve("x.rtt").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("at config.siteCapacity", "8.9").doesNotContain("Usage");
        assertThat(run.oneLineError()).as(run.err()).isTrue();
    }

    @Test
    void shouldExplainAnEmptyOrNullDocumentWithoutANullPointerException() throws Exception
    {
        for (final String content : new String[]{"", "null"})
        {
            final Path json = dir.resolve("empty.json");
            Files.writeString(json, content);
            final CommandRun run = CommandRun.of("import", json.toString(), dir.resolve("x.rtt").toString());
            assertThat(run.exitCode()).as(content).isEqualTo(1);
            assertThat(run.err()).contains("not a snapshot document: expected a JSON object").doesNotContain("NullPointer");
            assertThat(run.oneLineError()).as(run.err()).isTrue();
            assertThat(dir.resolve("x.rtt")).doesNotExist();
        }
    }

    @Test
    void shouldNeverOverwriteAFile() throws Exception
    {
        final Path json = dir.resolve("good.json");
        Files.writeString(json, SnapshotJsonStrictTest.good());
        final Path target = dir.resolve("precious.rtt");
        Files.writeString(target, "not mine to replace");

        final CommandRun run = CommandRun.of("import", json.toString(), target.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("tracker file " + target + ": exists: refusing to overwrite it");
        assertThat(Files.readString(target)).isEqualTo("not mine to replace");
    }

    @Test
    void shouldReportAMissingOrUnreadableSnapshotWithStatus1() throws Exception
    {
        final Path missing = dir.resolve("missing.json");
        final CommandRun run = CommandRun.of("import", missing.toString(), dir.resolve("x.rtt").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("rtt-stat import: " + missing + ": no such file" + System.lineSeparator());

        final Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, new byte[]{'{', (byte)0xE9, '}'});
        final CommandRun notUtf8 = CommandRun.of("import", latin1.toString(), dir.resolve("x.rtt").toString());
        assertThat(notUtf8.exitCode()).isEqualTo(1);
        assertThat(notUtf8.err()).contains("not UTF-8 text");
    }

    @Test
    void shouldNameAMissingDirectory() throws Exception
    {
        final Path json = dir.resolve("good.json");
        Files.writeString(json, SnapshotJsonStrictTest.good());
        final Path target = dir.resolve("no-such-dir").resolve("x.rtt");
        final CommandRun run = CommandRun.of("import", json.toString(), target.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("tracker file " + target + ": missing: directory " + target.getParent() +
            " does not exist");

        final CommandRun export = CommandRun.of("export", dir.resolve("none.rtt").toString());
        assertThat(export.exitCode()).isEqualTo(1);
        assertThat(export.err()).contains("none.rtt: missing");
    }

    @Test
    void shouldImportExactlyWhatWasExported() throws Exception
    {
        final Path source = dir.resolve("source.rtt");
        try (TrackerFile file = TrackerFile.create(source, SnapshotJsonStrictTest.small().config()))
        {
            file.tracker().importSnapshot(SnapshotJsonStrictTest.small().snapshot());
        }
        final Path json = dir.resolve("export.json");
        assertThat(CommandRun.of("export", source.toString(), "-o", json.toString()).exitCode()).isZero();
        final Path copy = dir.resolve("copy.rtt");
        assertThat(CommandRun.of("import", json.toString(), copy.toString()).exitCode()).isZero();
        try (TrackerFile original = TrackerFile.open(source); TrackerFile imported = TrackerFile.open(copy))
        {
            assertThat(imported.tracker().snapshot()).isEqualTo(original.tracker().snapshot());
            assertThat(imported.config()).isEqualTo(original.config());
        }
    }
}
