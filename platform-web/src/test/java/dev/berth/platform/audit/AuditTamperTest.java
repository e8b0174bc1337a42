package dev.berth.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.TestDatabase;
import java.sql.SQLException;
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
}
