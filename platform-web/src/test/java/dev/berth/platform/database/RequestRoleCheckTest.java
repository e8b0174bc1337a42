package dev.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The request role of an external database is checked after migrations, on a real PostgreSQL
 * where the test is superuser and makes roles of every kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestRoleCheckTest {
    private TestDatabase.Target db;
    private String prefix;

    static Stream<Arguments> facts() {
        var none = List.<String>of();
        return Stream.of(
                Arguments.of(new RequestRoleCheck.Facts("app", false, false, false, none, none, null, false), none),
                Arguments.of(new RequestRoleCheck.Facts("app", true, false, false, none, none, null, true),
                        List.of("superuser", "session_replication_role")),
                Arguments.of(new RequestRoleCheck.Facts("app", false, true, false, none, none, null, false), List.of("CREATEROLE")),
                Arguments.of(new RequestRoleCheck.Facts("app", false, false, true, none, none, null, false), List.of("BYPASSRLS")),
                Arguments.of(new RequestRoleCheck.Facts("app", false, false, false, List.of("admins"), none, null, false),
                        List.of("member of admins")),
                Arguments.of(new RequestRoleCheck.Facts("app", false, false, false, none,
                        List.of("table audit_events (owner app)"), "public (owner app)", false),
                        List.of("table audit_events", "schema public")));
    }

    @ParameterizedTest
    @MethodSource
    void facts(RequestRoleCheck.Facts facts, List<String> expected) {
        var problems = RequestRoleCheck.problems(facts);
        assertThat(problems).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) assertThat(problems.get(i)).contains(expected.get(i));
    }

    @BeforeAll
    void migrated() throws SQLException {
        db = TestDatabase.fresh("rolecheck");
        prefix = db.url().substring(db.url().lastIndexOf('/') + 1);
        role("plain", "");
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration")
                .placeholders(Map.of("appRole", prefix + "_plain")).load().migrate();
    }

    private String role(String name, String options) throws SQLException {
        String role = prefix + "_" + name;
        try (var c = db.connect(); var st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw' " + options);
        }
        return role;
    }

    private void sql(String sql) throws SQLException {
        try (var c = db.connect(); var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private DataSource as(String role, String password) {
        var ds = new PGSimpleDataSource();
        ds.setUrl(db.url());
        ds.setUser(role);
        ds.setPassword(password);
        return ds;
    }

    private void assertRefused(DataSource ds, String... reasons) {
        assertThatThrownBy(() -> new DatabaseConfig().requestRoleChecked(ds))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Refusing to start")
                .hasMessageContaining("BERTH_DATABASE_MIGRATION_USER")
                .satisfies(e -> {
                    for (String r : reasons) assertThat(e.getMessage()).contains(r);
                });
    }

    @Test
    void aRoleThatOwnsNothingServes() {
        assertThatCode(() -> new DatabaseConfig().requestRoleChecked(as(prefix + "_plain", "pw"))).doesNotThrowAnyException();
    }

    @Test
    void theSuperuserIsRefused() {
        assertRefused(as(db.user(), db.password()), "\"" + db.user() + "\"", "it is a superuser");
    }

    @Test
    void theOwnerOfTheAuditTablesAndAMemberOfItAreRefused() throws SQLException {
        // One role that both owns the schema's tables and serves requests: what a single
        // BERTH_DATABASE_USER without a migration user amounts to.
        String owner = role("owner", "");
        String member = role("member", "");
        sql("ALTER TABLE audit_events OWNER TO " + owner);
        sql("GRANT " + owner + " TO " + member);
        try {
            assertRefused(as(owner, "pw"), "owns, or is a member of the owner of, table audit_events (owner " + owner + ")");
            assertRefused(as(member, "pw"), "table audit_events (owner " + owner + ")");
            // What the refusal protects: the owner's member lifts the guard and rewrites history.
            try (var c = as(member, "pw").getConnection(); var st = c.createStatement()) {
                st.execute("SET ROLE " + owner);
                st.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
                st.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
            }
        } finally {
            sql("ALTER TABLE audit_events OWNER TO " + db.user());
        }
    }

    @Test
    void rolesThatCanBecomeAnybodyOrSkipRulesAreRefused() throws SQLException {
        assertRefused(as(role("creator", "CREATEROLE"), "pw"), "CREATEROLE");
        assertRefused(as(role("bypass", "BYPASSRLS"), "pw"), "BYPASSRLS");
        String inherits = role("inherits", "");
        sql("GRANT " + prefix + "_creator TO " + inherits);
        assertRefused(as(inherits, "pw"), "member of " + prefix + "_creator");
    }

    @Test
    void theOwnerOfTheSchemaIsRefused() throws SQLException {
        String schemaOwner = role("schemaowner", "");
        sql("ALTER SCHEMA public OWNER TO " + schemaOwner);
        try {
            assertRefused(as(schemaOwner, "pw"), "schema public (owner " + schemaOwner + ")");
        } finally {
            sql("ALTER SCHEMA public OWNER TO " + db.user());
        }
    }
}
