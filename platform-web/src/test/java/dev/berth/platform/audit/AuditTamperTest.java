package dev.berth.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.TestDatabase;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Edits the log behind the platform's back, as a database superuser would, and checks that the
 * append-only trigger stops ordinary edits and verify finds the ones that bypass it. The edit is
 * undone at the end: the test shares the platform's database (one application context per test
 * JVM, since Vaadin installs a JVM-wide security context strategy).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditTamperTest extends PlatformTest {
    private static final String PASSWORD = ADMIN_PASSWORD;
    private final TestDatabase.Target DB = database();

    @LocalServerPort
    int port;

    private Api root() {
        var api = Api.at(port);
        return api.bearer(api.tokenFor("admin", PASSWORD));
    }

    @Test
    @Order(1)
    void theTriggerRefusesUpdateDeleteAndTruncate() throws SQLException {
        var root = root();
        root.post("/api/v1/teams", Map.of("name", "tamper-team"));
        try (var c = DB.connect(); var st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE audit_events SET target = 'x' WHERE seq = 1"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit_events WHERE seq = 1"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("TRUNCATE audit_events")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("UPDATE audit_head SET seq = 0")).hasMessageContaining("forward");
        }
        var verdict = root.get("/api/v1/audit/verify").json();
        assertThat(verdict.get("intact").asBoolean()).isTrue();
    }

    @Test
    @Order(2)
    void aRowEditedWithTheTriggerDisabledIsFoundByVerify() throws SQLException {
        var root = root();
        root.post("/api/v1/teams", Map.of("name", "tamper-team-two"));
        long victim;
        String original;
        try (var c = DB.connect(); var st = c.createStatement()) {
            var rs = st.executeQuery("SELECT seq FROM audit_events WHERE action = 'team.create' ORDER BY seq LIMIT 1");
            rs.next();
            victim = rs.getLong(1);
            st.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
            rs = st.executeQuery("SELECT actor FROM audit_events WHERE seq = " + victim);
            rs.next();
            original = rs.getString(1);
            st.executeUpdate("UPDATE audit_events SET actor = 'somebody-else' WHERE seq = " + victim);
            st.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
        }
        try {
            var verdict = root.get("/api/v1/audit/verify").json();
            assertThat(verdict.get("intact").asBoolean()).isFalse();
            assertThat(verdict.get("brokenAt").asLong()).isEqualTo(victim);
            assertThat(verdict.get("reason").asString()).contains("altered");
            // The failed verification is itself on the record.
            assertThat(root.get("/api/v1/audit?action=audit.verify").body()).contains("\"outcome\":\"FAILURE\"");
        } finally {
            try (var c = DB.connect(); var st = c.createStatement()) {
                st.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
                st.executeUpdate("UPDATE audit_events SET actor = '" + original + "' WHERE seq = " + victim);
                st.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
            }
        }
        assertThat(root.get("/api/v1/audit/verify").json().get("intact").asBoolean()).as("restored").isTrue();
    }

    /**
     * A superuser who also recomputes the plain hashes after the edit, so that every row and the
     * head agree with the published rule: the keyed chain still names the edited event. The log
     * is restored afterwards with the key file, as only someone holding it can.
     */
    @Test
    @Order(3)
    void aRowRewrittenAndRehashedIsFoundUnderTheKey() throws Exception {
        var root = root();
        root.post("/api/v1/teams", Map.of("name", "tamper-team-three"));
        long victim;
        var originals = new ArrayList<ChainedEvent>();
        try (var c = DB.connect(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeQuery("SELECT seq FROM audit_head FOR UPDATE").close();
            var rs = st.executeQuery("SELECT seq FROM audit_events WHERE action = 'team.create' AND target LIKE '%tamper-team-three%'"
                    + " ORDER BY seq LIMIT 1");
            rs.next();
            victim = rs.getLong(1);
            rs = st.executeQuery("SELECT " + AuditStore.COLUMNS + " FROM audit_events WHERE seq >= " + victim + " ORDER BY seq");
            while (rs.next()) originals.add(AuditStore.read(rs));
            st.execute("ALTER TABLE audit_events DISABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_head DISABLE TRIGGER USER");
            st.executeUpdate("UPDATE audit_events SET actor = 'somebody-else' WHERE seq = " + victim);
            ChainHash prev = originals.getFirst().prevHash();
            for (ChainedEvent row : originals) {
                var event = row.seq() == victim ? withActor(row.event(), "somebody-else") : row.event();
                prev = rehash(c, row.seq(), prev, AuditChain.hash(row.seq(), prev, event));
            }
            try (var head = c.prepareStatement("UPDATE audit_head SET hash = ?")) {
                head.setBytes(1, prev.bytes());
                head.executeUpdate();
            }
            st.execute("ALTER TABLE audit_events ENABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_head ENABLE TRIGGER USER");
            c.commit();
        }
        try {
            var verdict = root.get("/api/v1/audit/verify").json();
            assertThat(verdict.get("intact").asBoolean()).isFalse();
            assertThat(verdict.get("brokenAt").asLong()).isEqualTo(victim);
            assertThat(verdict.get("reason").asString()).contains("keyed hash");
            assertThat(verdict.get("keyedFrom").asLong()).isPositive().isLessThan(victim);
        } finally {
            restore(originals);
        }
        assertThat(root.get("/api/v1/audit/verify").json().get("intact").asBoolean()).as("restored").isTrue();
    }

    private static AuditEvent withActor(AuditEvent e, String actor) {
        return new AuditEvent(e.time(), new AuditEvent.Actor(e.actor().type(), actor), e.action(), e.target(), e.team(),
                e.sourceAddress(), e.userAgent(), e.outcome(), e.details());
    }

    private static ChainHash rehash(java.sql.Connection c, long seq, ChainHash prev, ChainHash hash) throws SQLException {
        try (var update = c.prepareStatement("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?")) {
            update.setBytes(1, prev.bytes());
            update.setBytes(2, hash.bytes());
            update.setLong(3, seq);
            update.executeUpdate();
        }
        return hash;
    }

    /** Puts the edited rows back and re-links, under the key, what was appended after them meanwhile. */
    private void restore(List<ChainedEvent> originals) throws Exception {
        var key = AuditKey.decode(Files.readAllBytes(AUDIT_KEY_FILE), AUDIT_KEY_FILE.toString());
        try (var c = DB.connect(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeQuery("SELECT seq FROM audit_head FOR UPDATE").close();
            st.execute("ALTER TABLE audit_events DISABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_head DISABLE TRIGGER USER");
            long victim = originals.getFirst().seq();
            st.executeUpdate("UPDATE audit_events SET actor = '" + originals.getFirst().event().actor().name() + "' WHERE seq = " + victim);
            for (ChainedEvent row : originals) rehash(c, row.seq(), row.prevHash(), row.hash());
            ChainHash prev = originals.getLast().hash();
            var later = new ArrayList<ChainedEvent>();
            try (var rs = st.executeQuery("SELECT " + AuditStore.COLUMNS + " FROM audit_events WHERE seq > "
                    + originals.getLast().seq() + " ORDER BY seq")) {
                while (rs.next()) later.add(AuditStore.read(rs));
            }
            for (ChainedEvent row : later) prev = rehash(c, row.seq(), prev, AuditChain.hash(row.seq(), prev, row.event(), key));
            try (var head = c.prepareStatement("UPDATE audit_head SET hash = ?")) {
                head.setBytes(1, prev.bytes());
                head.executeUpdate();
            }
            st.execute("ALTER TABLE audit_events ENABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_head ENABLE TRIGGER USER");
            c.commit();
        }
    }
}
