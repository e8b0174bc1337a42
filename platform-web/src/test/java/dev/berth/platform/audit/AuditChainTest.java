package dev.berth.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuditChainTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456789Z");

    private static AuditEvent event(int i) {
        return AuditEvent.of(AuditEvent.Actor.user("alice"), "team.member.add", "user:bob" + i)
                .team("payments").source("127.0.0.1", "curl/8").detail("role", "VIEWER").at(T0.plusSeconds(i));
    }

    private static List<ChainedEvent> chain(int n) {
        var events = new ArrayList<AuditEvent>();
        for (int i = 1; i <= n; i++) events.add(event(i));
        return AuditChain.link(0, ChainHash.GENESIS, events);
    }

    private static AuditChain.VerifyResult walk(List<ChainedEvent> rows, long headSeq, ChainHash headHash) {
        var walk = new AuditChain.Walk();
        for (ChainedEvent row : rows) if (!walk.accept(row)) break;
        return walk.finish(headSeq, headHash);
    }

    @Test
    void anUntouchedChainVerifies() {
        var rows = chain(5);
        var result = walk(rows, 5, rows.getLast().hash());
        assertThat(result.intact()).isTrue();
        assertThat(result.checked()).isEqualTo(5);
        assertThat(rows.get(2).prevHash()).isEqualTo(rows.get(1).hash());
    }

    @Test
    void linkingContinuesFromTheHead() {
        var first = chain(2);
        var more = AuditChain.link(2, first.getLast().hash(), List.of(event(3)));
        assertThat(more.getFirst().seq()).isEqualTo(3);
        assertThat(more.getFirst().prevHash()).isEqualTo(first.getLast().hash());
        assertThat(more.getFirst().hash()).isEqualTo(chain(3).get(2).hash());
    }

    @Test
    void timeIsKeptToTheMicrosecondPostgresStores() {
        assertThat(event(0).time()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
    }

    private static ChainedEvent withEvent(ChainedEvent row, UnaryOperator<AuditEvent> change) {
        return new ChainedEvent(row.seq(), change.apply(row.event()), row.prevHash(), row.hash());
    }

    private static AuditEvent copy(AuditEvent e, String target, String team, AuditEvent.Outcome outcome, Map<String, String> details) {
        return new AuditEvent(e.time(), e.actor(), e.action(), target, team, e.sourceAddress(), e.userAgent(), outcome,
                new TreeMap<>(details));
    }

    static Stream<Arguments> tamperings() {
        return Stream.of(
                Arguments.of("target edited", (UnaryOperator<List<ChainedEvent>>) rows -> {
                    rows.set(2, withEvent(rows.get(2), e -> copy(e, "user:mallory", e.team(), e.outcome(), e.details())));
                    return rows;
                }, 3L, "altered"),
                Arguments.of("outcome edited", (UnaryOperator<List<ChainedEvent>>) rows -> {
                    rows.set(1, withEvent(rows.get(1), e -> copy(e, e.target(), e.team(), AuditEvent.Outcome.FAILURE, e.details())));
                    return rows;
                }, 2L, "altered"),
                Arguments.of("team cleared", (UnaryOperator<List<ChainedEvent>>) rows -> {
                    rows.set(3, withEvent(rows.get(3), e -> copy(e, e.target(), null, e.outcome(), e.details())));
                    return rows;
                }, 4L, "altered"),
                Arguments.of("detail added", (UnaryOperator<List<ChainedEvent>>) rows -> {
                    rows.set(0, withEvent(rows.get(0), e -> copy(e, e.target(), e.team(), e.outcome(),
                            Map.of("role", "VIEWER", "note", "x"))));
                    return rows;
                }, 1L, "altered"),
                Arguments.of("middle row deleted", (UnaryOperator<List<ChainedEvent>>) rows -> {
                    rows.remove(2);
                    return rows;
                }, 3L, "missing"),
                Arguments.of("rows swapped", (UnaryOperator<List<ChainedEvent>>) rows -> {
                    var a = rows.get(1);
                    rows.set(1, rows.get(2));
                    rows.set(2, a);
                    return rows;
                }, 2L, "missing"),
                Arguments.of("row re-hashed after edit, next link breaks", (UnaryOperator<List<ChainedEvent>>) rows -> {
                    var edited = copy(rows.get(1).event(), "user:mallory", "payments", AuditEvent.Outcome.SUCCESS, Map.of());
                    rows.set(1, new ChainedEvent(2, edited, rows.get(1).prevHash(), AuditChain.hash(2, rows.get(1).prevHash(), edited)));
                    return rows;
                }, 3L, "previous-hash"),
                Arguments.of("newest rows deleted", (UnaryOperator<List<ChainedEvent>>) rows -> {
                    rows.removeLast();
                    rows.removeLast();
                    return rows;
                }, 4L, "newest rows were removed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void everyTamperingIsFoundAtTheFirstBrokenLink(String name, UnaryOperator<List<ChainedEvent>> tamper, long brokenAt,
                                                   String reasonPart) {
        var original = chain(5);
        var rows = tamper.apply(new ArrayList<>(original));
        var result = walk(rows, 5, original.getLast().hash());
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBroken()).hasValueSatisfying(b -> {
            assertThat(b.seq()).isEqualTo(brokenAt);
            assertThat(b.reason()).contains(reasonPart);
        });
    }

    @Test
    void canonicalFormSeparatesFieldsUnambiguously() {
        var a = new AuditEvent(T0, AuditEvent.Actor.user("ab"), "c", "t", null, null, null, AuditEvent.Outcome.SUCCESS, null);
        var b = new AuditEvent(T0, AuditEvent.Actor.user("a"), "bc", "t", null, null, null, AuditEvent.Outcome.SUCCESS, null);
        var nullTeam = a;
        var emptyTeam = new AuditEvent(T0, AuditEvent.Actor.user("ab"), "c", "t", "", null, null, AuditEvent.Outcome.SUCCESS, null);
        assertThat(AuditChain.hash(1, ChainHash.GENESIS, a)).isNotEqualTo(AuditChain.hash(1, ChainHash.GENESIS, b));
        assertThat(AuditChain.hash(1, ChainHash.GENESIS, nullTeam)).isNotEqualTo(AuditChain.hash(1, ChainHash.GENESIS, emptyTeam));
        assertThat(AuditChain.hash(1, ChainHash.GENESIS, a)).isNotEqualTo(AuditChain.hash(2, ChainHash.GENESIS, a));
    }

    private static final AuditKey KEY = new AuditKey(new byte[32], 3, ChainHash.GENESIS);

    /** Events 1..2 plain, then keyed from 3 on, as a log from before keys continues. */
    private static List<ChainedEvent> keyedChain(int n) {
        var plain = chain(2);
        var key = new AuditKey(new byte[32], 3, plain.getLast().hash());
        var events = new ArrayList<AuditEvent>();
        for (int i = 3; i <= n; i++) events.add(event(i));
        var rows = new ArrayList<>(plain);
        rows.addAll(AuditChain.link(2, plain.getLast().hash(), events, key));
        return rows;
    }

    private static AuditChain.VerifyResult keyedWalk(List<ChainedEvent> rows, AuditKey key, AuditCheckpoint.Read appendedHere) {
        var walk = new AuditChain.Walk(key, appendedHere);
        for (ChainedEvent row : rows) if (!walk.accept(row)) break;
        return walk.finish(rows.getLast().seq(), rows.getLast().hash());
    }

    private static AuditCheckpoint.Read checkpointAt(ChainedEvent row) {
        return new AuditCheckpoint.Valid(new AuditCheckpoint(row.seq(), row.hash()));
    }

    @Test
    void aKeyedChainVerifiesUnderItsKeyOnly() {
        var rows = keyedChain(5);
        var key = new AuditKey(new byte[32], 3, rows.get(1).hash());
        assertThat(rows.get(2).hash()).as("keyed links differ from plain ones")
                .isNotEqualTo(AuditChain.hash(3, rows.get(2).prevHash(), rows.get(2).event()));
        assertThat(keyedWalk(rows, key, checkpointAt(rows.get(4))).intact()).isTrue();
        assertThat(keyedWalk(rows, key, checkpointAt(rows.get(4))).keyedFrom()).isEqualTo(3);

        var otherSecret = new byte[32];
        otherSecret[0] = 1;
        var other = keyedWalk(rows, new AuditKey(otherSecret, 3, rows.get(1).hash()), checkpointAt(rows.get(4)));
        assertThat(other.firstBroken()).get().satisfies(b -> {
            assertThat(b.seq()).isEqualTo(3);
            assertThat(b.reason()).contains("keyed hash");
        });
        var wrongAnchor = keyedWalk(rows, KEY, checkpointAt(rows.get(4)));
        assertThat(wrongAnchor.firstBroken()).get().satisfies(b -> {
            assertThat(b.seq()).isEqualTo(2);
            assertThat(b.reason()).contains("rewritten and rehashed");
        });
        var rewound = keyedWalk(rows.subList(0, 4), key, checkpointAt(rows.get(4)));
        assertThat(rewound.firstBroken()).get().satisfies(b -> {
            assertThat(b.seq()).isEqualTo(5);
            assertThat(b.reason()).contains("appended event 5");
        });
        var beforeKeying = keyedWalk(rows.subList(0, 2), key, new AuditCheckpoint.None());
        assertThat(beforeKeying.firstBroken()).get().satisfies(b -> assertThat(b.reason()).contains("keyed events begin at 3"));
    }

    @Test
    void theKeyFileRoundTripsAndNamesItsKeyWithoutShowingIt() {
        var key = new AuditKey(new byte[32], 7, chain(6).getLast().hash());
        var text = new String(key.encode(), java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(AuditKey.decode(key.encode(), "f")).isEqualTo(key);
        assertThat(text).contains("keyedFrom=7").contains("BERTH_AUDIT_KEY_FILE");
        assertThat(key.id()).hasSize(16);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> AuditKey.decode("keyedFrom=1\n".getBytes(), "/x/audit.key")))
                .hasMessageContaining("/x/audit.key").hasMessageContaining("secret");
    }

    @Test
    void aCheckpointIsSealedUnderTheKeyAndCheckedAgainstTheLog() {
        var rows = keyedChain(6);
        var key = new AuditKey(new byte[32], 3, rows.get(1).hash());
        var cp = new AuditCheckpoint(5, rows.get(4).hash());
        byte[] text = cp.encode(key);
        assertThat(AuditCheckpoint.decode(text, key, "f")).isEqualTo(new AuditCheckpoint.Valid(cp));

        var otherSecret = new byte[32];
        otherSecret[0] = 1;
        String lowered = new String(text, java.nio.charset.StandardCharsets.US_ASCII).replace("seq=5", "seq=4");
        for (var forged : List.of(
                AuditCheckpoint.decode(lowered.getBytes(java.nio.charset.StandardCharsets.US_ASCII), key, "/d/audit.checkpoint"),
                AuditCheckpoint.decode(text, new AuditKey(otherSecret, 3, rows.get(1).hash()), "/d/audit.checkpoint"))) {
            assertThat(forged).isInstanceOfSatisfying(AuditCheckpoint.Invalid.class,
                    i -> assertThat(i.reason()).contains("/d/audit.checkpoint").contains("fails its MAC"));
        }
        assertThat(AuditCheckpoint.decode("seq=x\n".getBytes(), key, "/d/c")).isInstanceOfSatisfying(AuditCheckpoint.Invalid.class,
                i -> assertThat(i.reason()).contains("/d/c").contains("unreadable"));

        // Cut back to 4 and written again to 6 (by an instance with the key): event 5 is another one now.
        var rewritten = new ArrayList<>(rows.subList(0, 4));
        rewritten.addAll(AuditChain.link(4, rows.get(3).hash(), List.of(event(50), event(60)), key));
        assertThat(keyedWalk(rewritten, key, new AuditCheckpoint.Valid(cp)).firstBroken()).get().satisfies(b -> {
            assertThat(b.seq()).isEqualTo(5);
            assertThat(b.reason()).contains("holds another hash");
        });
        assertThat(keyedWalk(rows, key, new AuditCheckpoint.Valid(cp)).intact()).isTrue();
        assertThat(keyedWalk(rows, key, new AuditCheckpoint.Invalid(5, "the audit checkpoint /d/c fails its MAC")).firstBroken())
                .get().satisfies(b -> {
                    assertThat(b.seq()).isEqualTo(5);
                    assertThat(b.reason()).contains("fails its MAC");
                });
    }
}
