package dev.berth.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The keyed chain against a real PostgreSQL and a database superuser who edits the log behind
 * the platform's back and, unlike in {@link AuditTamperTest}, recomputes every plain hash after
 * the edit, as anybody who can read the (public) chaining rule can.
 */
class AuditKeyTest {
    @TempDir
    Path dir;
    private TestDatabase.Target db;
    private DataSource ds;

    @BeforeEach
    void freshLog() {
        db = TestDatabase.fresh("auditkey");
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration")
                .placeholders(java.util.Map.of("appRole", db.user())).load().migrate();
        var pg = new PGSimpleDataSource();
        pg.setUrl(db.url());
        pg.setUser(db.user());
        pg.setPassword(db.password());
        ds = pg;
    }

    private Path keyFile() {
        return dir.resolve("keys").resolve("audit.key");
    }

    private AuditKey establish(Path file) throws Exception {
        return AuditKeying.establish(ds, file, Clock.systemUTC());
    }

    private static List<AuditEvent> events(int n, String prefix) {
        var out = new ArrayList<AuditEvent>();
        for (int i = 0; i < n; i++) {
            out.add(AuditEvent.of(AuditEvent.Actor.user("alice"), "test.event", prefix + i).team("t").at(Instant.now()));
        }
        return out;
    }

    /**
     * What a superuser without the key file can do: change one row, then recompute the plain
     * SHA-256 link of it and of every later row, and move the head, so that every row is
     * consistent with the published rule.
     */
    private void rewriteAndRehash(long victim, String newActor) throws SQLException {
        try (var c = db.connect(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("ALTER TABLE audit_events DISABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_head DISABLE TRIGGER USER");
            st.executeUpdate("UPDATE audit_events SET actor = '" + newActor + "' WHERE seq = " + victim);
            var rows = new ArrayList<ChainedEvent>();
            try (var rs = st.executeQuery("SELECT " + AuditStore.COLUMNS + " FROM audit_events WHERE seq >= " + victim + " ORDER BY seq")) {
                while (rs.next()) rows.add(AuditStore.read(rs));
            }
            ChainHash prev = rows.getFirst().prevHash();
            try (var update = c.prepareStatement("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?");
                 var head = c.prepareStatement("UPDATE audit_head SET hash = ?")) {
                for (ChainedEvent row : rows) {
                    ChainHash hash = AuditChain.hash(row.seq(), prev, row.event());
                    update.setBytes(1, prev.bytes());
                    update.setBytes(2, hash.bytes());
                    update.setLong(3, row.seq());
                    update.executeUpdate();
                    prev = hash;
                }
                head.setBytes(1, prev.bytes());
                head.executeUpdate();
            }
            st.execute("ALTER TABLE audit_events ENABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_head ENABLE TRIGGER USER");
            c.commit();
        }
    }

    @Test
    void aNewLogIsKeyedFromItsFirstEventUnderAnOwnerOnlyFile() throws Exception {
        var key = establish(keyFile());
        assertThat(key.keyedFrom()).isEqualTo(1);
        assertThat(key.anchor()).isEqualTo(ChainHash.GENESIS);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile().getParent()))).isEqualTo("rwx------");
        // The key is in the file and nowhere in the database: only its id is recorded there.
        String secretHex = java.util.HexFormat.of().formatHex(key.secret());
        try (var c = db.connect(); var rs = c.createStatement().executeQuery(
                "SELECT action, details FROM audit_events ORDER BY seq")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(AuditKeying.ACTION);
            assertThat(rs.getString(2)).contains(key.id()).doesNotContain(secretHex);
        }
        // A restart reads the same key and adds nothing.
        assertThat(establish(keyFile())).isEqualTo(key);

        var store = new AuditStore(ds, key);
        store.append(events(5, "a"));
        var result = store.verify();
        assertThat(result.intact()).as(result.toString()).isTrue();
        assertThat(result.checked()).isEqualTo(6);
        assertThat(result.keyedFrom()).isEqualTo(1);
    }

    @Test
    void aDirectoryThatExistsKeepsItsModeAndOnlyTheKeyIsOwnerOnly() throws Exception {
        // The data directory may hold what others must pass through (an agent's state, say).
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx--x--x"));
        establish(shared.resolve("audit.key"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rwx--x--x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared.resolve("audit.key")))).isEqualTo("rw-------");
    }

    @Test
    void aRowRewrittenWithRecomputedPlainHashesIsFoundAndNamed() throws Exception {
        var key = establish(keyFile());
        var store = new AuditStore(ds, key);
        store.append(events(10, "a"));
        long victim = 4;
        rewriteAndRehash(victim, "mallory");

        // Every row now satisfies the plain rule; under the key the first changed event is named.
        var keyed = store.verify();
        assertThat(keyed.intact()).isFalse();
        assertThat(keyed.firstBroken()).get().satisfies(b -> {
            assertThat(b.seq()).isEqualTo(victim);
            assertThat(b.reason()).contains("keyed hash").contains("altered");
        });
    }

    @Test
    void withoutAKeyTheSameForgeryGoesUnnoticed() throws Exception {
        // The chain as earlier versions wrote and checked it: this is the hole the key closes.
        var plain = new AuditStore(ds, null);
        plain.append(events(10, "a"));
        rewriteAndRehash(4, "mallory");
        assertThat(plain.verify().intact()).isTrue();
    }

    @Test
    void aLogFromBeforeKeysStaysValidAndIsKeyedFromTheNextEvent() throws Exception {
        // Events an earlier version chained without a key.
        new AuditStore(ds, null).append(events(5, "old"));
        var key = establish(keyFile());
        assertThat(key.keyedFrom()).as("the keying event follows the old ones").isEqualTo(6);
        var store = new AuditStore(ds, key);
        store.append(events(4, "new"));
        var result = store.verify();
        assertThat(result.intact()).as(result.toString()).isTrue();
        assertThat(result.checked()).isEqualTo(10);
        assertThat(result.keyedFrom()).isEqualTo(6);

        // Rewriting an old event and rehashing everything after it: the keyed part gives it away,
        // and the anchor in the key file names the end of the old part.
        rewriteAndRehash(2, "mallory");
        var broken = store.verify();
        assertThat(broken.intact()).isFalse();
        assertThat(broken.firstBroken().orElseThrow().seq()).isEqualTo(5);
        assertThat(broken.firstBroken().orElseThrow().reason()).contains("rewritten and rehashed");
    }

    @Test
    void removingTheKeyedEventsAndRewindingTheHeadIsFound() throws Exception {
        new AuditStore(ds, null).append(events(3, "old"));
        var key = establish(keyFile());
        var store = new AuditStore(ds, key);
        store.append(events(3, "new"));
        try (var c = db.connect(); var st = c.createStatement()) {
            st.execute("ALTER TABLE audit_events DISABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_head DISABLE TRIGGER USER");
            st.executeUpdate("DELETE FROM audit_events WHERE seq >= " + key.keyedFrom());
            st.executeUpdate("UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_events WHERE seq = 3)");
        }
        var result = store.verify();
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBroken().orElseThrow().reason()).contains("newest events were removed");
        assertThat(new AuditStore(ds, null).verify().intact()).as("the plain chain cannot tell").isTrue();
    }

    @Test
    void removingTheNewestKeyedEventsIsFoundByTheInstanceThatWroteThem() throws Exception {
        var store = new AuditStore(ds, establish(keyFile()));
        store.append(events(6, "a"));
        // Every remaining row and the head are genuine keyed links: only memory of event 7 betrays it.
        try (var c = db.connect(); var st = c.createStatement()) {
            st.execute("ALTER TABLE audit_events DISABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_head DISABLE TRIGGER USER");
            st.executeUpdate("DELETE FROM audit_events WHERE seq > 5");
            st.executeUpdate("UPDATE audit_head SET seq = 5, hash = (SELECT hash FROM audit_events WHERE seq = 5)");
        }
        var result = store.verify();
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBroken().orElseThrow().seq()).isEqualTo(6);
        assertThat(result.firstBroken().orElseThrow().reason()).contains("appended event 7").contains("removed");
    }

    @Test
    void twoInstancesWithTheSameKeyFileShareOneChain() throws Exception {
        var first = new AuditStore(ds, establish(keyFile()));
        // The second instance got a copy of the file, as the operator is told to do.
        Path copy = dir.resolve("second").resolve("audit.key");
        Files.createDirectories(copy.getParent());
        Files.copy(keyFile(), copy);
        var second = new AuditStore(ds, establish(copy));
        for (int i = 0; i < 3; i++) {
            first.append(events(2, "first" + i));
            second.append(events(2, "second" + i));
        }
        assertThat(first.verify().intact()).isTrue();
        assertThat(second.verify().intact()).isTrue();
    }

    @Test
    void anInstanceWithoutTheKeyOrWithAnotherOneRefusesToStart() throws Exception {
        establish(keyFile());
        assertThatThrownBy(() -> establish(dir.resolve("elsewhere").resolve("audit.key")))
                .hasMessageContaining("is missing").hasMessageContaining("BERTH_AUDIT_KEY_FILE");
        assertThat(dir.resolve("elsewhere").resolve("audit.key")).doesNotExist();

        Path other = dir.resolve("other.key");
        Files.write(other, new AuditKey(new byte[32], 1, ChainHash.GENESIS).encode());
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> establish(other)).hasMessageContaining("holds key");

        Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> establish(keyFile())).hasMessageContaining("readable or writable by other users");
    }

    @Test
    void aKeyFileFromAnotherDatabaseIsRefused() throws Exception {
        establish(keyFile());
        freshLog(); // a new, empty database, the old key file still in place
        new AuditStore(ds, null).append(events(2, "x"));
        assertThatThrownBy(() -> establish(keyFile())).hasMessageContaining("does not belong to this database's audit log");
    }
}
