package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Reading refuses, with a one-line reason, every document it could only import by changing it. */
class SnapshotJsonStrictTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long BIG_ID = -8685848042844102797L; // jq prints it as -8685848042844103000

    /** A small tracker: three warm sites, one cold, an edge, a chain prior, a report. */
    static RttTracker small()
    {
        final RttTracker tracker = RttTracker.builder().siteCapacity(8).edgeCapacity(8).chainCapacity(4)
            .reportedCapacity(4).historyCapacity(10).build();
        long now = 1_000;
        for (int round = 0; round < 6; round++)
        {
            now += 1_000_000 + round * 1_000;
            tracker.observeRoundTrip(BIG_ID, 42, 1, 300_000 + round, now);
            tracker.observeRoundTrip(2, 200_000 + 7 * round, now);
            tracker.observeRoundTrip(3, 500_000, now);
        }
        tracker.observeRoundTrip(4, 9_000, now);
        tracker.ingestReportedOutgoing(BIG_ID, 2, 42, 150_000, 5_000, 12);
        return tracker;
    }

    static String good()
    {
        return SnapshotJson.export(small());
    }

    /** What versions 1 and 2 wrote: ids as JSON numbers. */
    static String idsAsNumbers(final String json)
    {
        return json.replaceAll("\"(site|chainId|fromSite|nextHop)\" : \"(-?\\d+)\"", "\"$1\" : $2");
    }

    private static String edited(final String json, final Consumer<ObjectNode> edit) throws Exception
    {
        final ObjectNode tree = (ObjectNode)JSON.readTree(json);
        edit.accept(tree);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    }

    private static ObjectNode site(final ObjectNode document, final int index)
    {
        return (ObjectNode)document.get("snapshot").get("sites").get(index);
    }

    private static void refused(final String json, final String... reason)
    {
        assertThatIllegalArgumentException().isThrownBy(() -> SnapshotJson.read(json))
            .withMessageContainingAll(reason)
            .satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldRefuseAnEmptyDocumentOrNullWithAReasonNotANullPointerException()
    {
        refused("", "not a snapshot document", "no content");
        refused("   \n", "not a snapshot document", "no content");
        refused("null", "not a snapshot document", "found null");
        refused("[1, 2]", "not a snapshot document", "found array");
        refused("8", "not a snapshot document", "found number");
    }

    @Test
    void shouldRefuseAFractionalCapacity() throws Exception
    {
        refused(edited(good(), d -> ((ObjectNode)d.get("config")).put("siteCapacity", 8.9)),
            "at config.siteCapacity", "8.9");
    }

    @Test
    void shouldRefuseACapacityGivenAsAString() throws Exception
    {
        refused(edited(good(), d -> ((ObjectNode)d.get("config")).put("siteCapacity", "8")),
            "at config.siteCapacity");
    }

    @Test
    void shouldStillAcceptAnIntegerWhereADoubleBelongs() throws Exception
    {
        // Strict, not pedantic: a hand-written 8 for a threshold is 8.0 exactly.
        final String json = edited(good(), d -> ((ObjectNode)d.get("config")).put("suspectPhi", 8));
        assertThat(json).contains("\"suspectPhi\" : 8,");
        assertThat(SnapshotJson.read(json).config().suspectPhi()).isEqualTo(8.0);
    }

    @Test
    void shouldRefuseAFractionalSrtt() throws Exception
    {
        refused(edited(good(), d -> ((ObjectNode)site(d, 0).get("ema")).put("srttNs", 300000.5)),
            "at snapshot.sites[0].ema.srttNs");
    }

    @Test
    void shouldRefuseABooleanOrStateGivenAsANumber() throws Exception
    {
        refused(edited(good(), d -> ((ObjectNode)site(d, 0).get("ema")).put("warm", 1)), "at snapshot.sites[0].ema.warm");
        refused(edited(good(), d -> site(d, 0).put("lastPhiState", 0)), "at snapshot.sites[0].lastPhiState");
    }

    @Test
    void shouldRefuseNullsAnywhere() throws Exception
    {
        refused(edited(good(), d -> ((ObjectNode)d.get("snapshot")).putNull("edges")), "at snapshot.edges");
        refused(edited(good(), d -> ((ArrayNode)site(d, 0).get("historyNs")).addNull()), "snapshot.sites[0].historyNs");
        refused(edited(good(), d -> ((ObjectNode)d.get("snapshot")).putNull("globalPrior")), "at snapshot.globalPrior");
    }

    @Test
    void shouldRefuseARepeatedKeyAndTrailingContent()
    {
        final String json = good();
        refused(json.replaceFirst("\"siteCapacity\" : 8,", "\"siteCapacity\" : 8, \"siteCapacity\" : 9,"),
            "Duplicate field 'siteCapacity'");
        refused(json + " {}", "not a valid snapshot document");
    }

    @Test
    void shouldRefuseASiteListedTwice() throws Exception
    {
        final String json = edited(good(), d -> ((ArrayNode)d.get("snapshot").get("sites")).add(site(d, 1).deepCopy()));
        refused(json, "sites entry", "twice");
    }

    @Test
    void shouldRefuseAnEdgeChainOrReportListedTwice() throws Exception
    {
        for (final String table : List.of("edges", "chainPriors", "reported"))
        {
            final String json = edited(good(), d -> ((ArrayNode)d.get("snapshot").get(table))
                .add(d.get("snapshot").get(table).get(0).deepCopy()));
            refused(json, table + " entry", "twice");
        }
    }

    @Test
    void shouldRefuseAHistoryLengthThatContradictsTheHistory() throws Exception
    {
        refused(edited(good(), d -> site(d, 0).put("historyLength", site(d, 0).get("historyLength").intValue() + 1)),
            "historyLength", "contradicts");
    }

    @Test
    void shouldRefuseAHistoryMeanThatContradictsTheHistory() throws Exception
    {
        refused(edited(good(), d -> site(d, 0).put("historyMeanNs", site(d, 0).get("historyMeanNs").doubleValue() + 1)),
            "historyMeanNs", "contradicts");
    }

    @Test
    void shouldRefuseAWarmFlagThatContradictsTheCount() throws Exception
    {
        // Site 4 saw one sample: cold. Claiming it warm would be dropped silently by the import.
        final String json = edited(good(), d ->
        {
            for (final JsonNode s : d.get("snapshot").get("sites"))
            {
                if (s.get("site").textValue().equals("4"))
                {
                    ((ObjectNode)s.get("ema")).put("warm", true);
                }
            }
        });
        refused(json, "site 4", "warm true contradicts sampleCount 1");
        refused(edited(good(), d -> ((ObjectNode)d.get("snapshot").get("globalPrior")).put("warm", false)),
            "global prior", "warm false contradicts");
    }

    @Test
    void shouldRefuseAnEmaValueTheTrackerWouldRound() throws Exception
    {
        final long unrepresentable = EmaWord.EXACT_LIMIT_NS + 1;
        assertThat(EmaWord.representable(unrepresentable)).isNotEqualTo(unrepresentable);
        refused(edited(good(), d -> ((ObjectNode)site(d, 0).get("ema")).put("srttNs", unrepresentable)),
            "srttNs " + unrepresentable, "cannot be held exactly");
    }

    @Test
    void shouldRefuseAHistoryValueTheTrackerWouldClamp() throws Exception
    {
        final long tooLong = HeartbeatHistory.maxValueNs(10) + 1;
        refused(edited(good(), d ->
        {
            final ArrayNode history = (ArrayNode)site(d, 0).get("historyNs");
            history.set(0, tooLong);
            site(d, 0).put("historyMeanNs", 0.0); // no other contradiction
        }), "history value " + tooLong);
    }

    @Test
    void shouldWriteIdsAsStringsAndKeepEveryBit() throws Exception
    {
        final String json = good();
        assertThat(json).contains("\"site\" : \"" + BIG_ID + "\"", "\"fromSite\" : \"" + BIG_ID + "\"", "\"chainId\" : \"42\"");
        // A reader holding numbers as doubles (jq, JavaScript) keeps a string intact.
        final JsonNode tree = JSON.readTree(json);
        assertThat(tree.get("snapshot").get("sites").get(0).get("site").isTextual()).isTrue();
        assertThat(SnapshotJson.read(json).snapshot().site(BIG_ID)).isPresent();
    }

    @Test
    void shouldReadIdsWrittenAsNumbersByVersion2()
    {
        final RttTracker tracker = small();
        final String v2 = idsAsNumbers(SnapshotJsonTest.asVersion3(SnapshotJson.export(tracker)))
            .replace("\"version\" : 3", "\"version\" : 2");
        assertThat(v2).contains("\"site\" : " + BIG_ID + ",").contains("\"version\" : 2");
        final SnapshotJson.Document document = SnapshotJson.read(v2);
        assertThat(document.version()).isEqualTo(SnapshotJson.VERSION);
        assertThat(document.snapshot()).isEqualTo(tracker.snapshot());
    }

    @Test
    void shouldRefuseAnIdThatIsNotASigned64BitInteger() throws Exception
    {
        refused(edited(good(), d -> site(d, 0).put("site", "12abc")), "at snapshot.sites[0].site");
        refused(edited(good(), d -> site(d, 0).put("site", 1.5)), "at snapshot.sites[0].site");
        refused(idsAsNumbers(good()).replace("\"site\" : " + BIG_ID + ",", "\"site\" : 9223372036854775808,"),
            "snapshot.sites[0].site");
    }

    @Test
    void shouldSettleTheDerivedFieldsOfASnapshotReadWhileObservesRace()
    {
        // Read while racing: the count lags a warm word; length and mean were read before a heartbeat landed.
        final RttTrackerSnapshot.Ema lagging = new RttTrackerSnapshot.Ema(1_000, 100, 2, true);
        final RttTrackerSnapshot.Site site = new RttTrackerSnapshot.Site(
            1, lagging, true, 5, PhiState.LIVE, 1, 10.0, List.of(10L, 30L));
        final RttTrackerSnapshot raced = new RttTrackerSnapshot(List.of(site), List.of(), List.of(), List.of(), lagging,
            new RttTrackerSnapshot.Counters(0, 0, 0, 0, 0, 0, 0, 0, 0));

        final RttTrackerSnapshot settled = SnapshotJson.Document.of(small().config(), raced).snapshot();

        assertThat(settled.globalPrior()).isEqualTo(new RttTrackerSnapshot.Ema(1_000, 100, EmaWord.WARM_SAMPLES, true));
        assertThat(settled.sites().get(0).historyLength()).isEqualTo(2);
        assertThat(settled.sites().get(0).historyMeanNs()).isEqualTo(20.0);
        // Which is what reading requires, so an export of a live tracker always imports.
        SnapshotConsistency.require(small().config(), settled);
    }
}
