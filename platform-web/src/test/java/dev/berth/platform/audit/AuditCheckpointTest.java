package dev.berth.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * The checkpoint written outside the database against a real PostgreSQL and a database
 * superuser who deletes the newest keyed events and rewinds the head to an earlier genuine link,
 * after the platform instance that appended them restarted (so it remembers nothing in memory).
 */
class AuditCheckpointTest {
    @TempDir
    Path dir;
    private TestDatabase.Target db;
    private DataSource ds;
    private AuditKey key;

    @BeforeEach
    void freshLog() throws Exception {
        db = TestDatabase.fresh("auditcheckpoint");
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration")
                .placeholders(java.util.Map.of("appRole", db.user())).load().migrate();
        var pg = new PGSimpleDataSource();
        pg.setUrl(db.url());
        pg.setUser(db.user());
        pg.setPassword(db.password());
        ds = pg;
        key = AuditKeying.establish(ds, keyFile(), Clock.systemUTC());
    }

    private Path keyFile() {
        return dir.resolve("data").resolve("audit.key");
    }

    private Path checkpointFile() {
        return AuditCheckpointFile.besideKey(keyFile());
    }

    /** A platform instance starting: a new store on the same key and checkpoint file. */
    private AuditStore start() {
        return new AuditStore(ds, key, new AuditCheckpointFile(checkpointFile(), key));
    }

    private static List<AuditEvent> events(int n, String prefix) {
        var out = new ArrayList<AuditEvent>();
        for (int i = 0; i < n; i++) {
            out.add(AuditEvent.of(AuditEvent.Actor.user("alice"), "test.event", prefix + i).team("t").at(Instant.now()));
        }
        return out;
    }

    /** A platform instance that appends {@code n} events and stops. */
    private void appendAndStop(int n) throws Exception {
        try (var store = start()) {
            store.append(events(n, "a"));
        }
    }

    /** As the database superuser: delete the events after {@code seq} and point the head at it, a genuine earlier link. */
    private void cutBackTo(long seq) throws Exception {
        try (var c = db.connect(); var st = c.createStatement()) {
            st.execute("ALTER TABLE audit_events DISABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_head DISABLE TRIGGER USER");
            st.executeUpdate("DELETE FROM audit_events WHERE seq > " + seq);
            st.executeUpdate("UPDATE audit_head SET seq = " + seq + ", hash = (SELECT hash FROM audit_events WHERE seq = " + seq + ")");
            st.execute("ALTER TABLE audit_events ENABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_head ENABLE TRIGGER USER");
        }
    }

    @Test
    void theCheckpointIsOwnerOnlyFromItsFirstWriteAndNamesTheNewestAppendedEvent() throws Exception {
        assertThat(checkpointFile()).as("nothing appended by this instance yet").doesNotExist();
        List<ChainedEvent> appended;
        try (var store = start()) {
            appended = store.append(events(3, "a"));
        } // written off the append path; closing (the platform stopping) writes what is queued
        assertThat(checkpointFile().getFileName().toString()).isEqualTo("audit.checkpoint");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(checkpointFile()))).isEqualTo("rw-------");
        assertThat(AuditCheckpoint.decode(Files.readAllBytes(checkpointFile()), key, "f"))
                .isEqualTo(new AuditCheckpoint.Valid(new AuditCheckpoint(4, appended.getLast().hash())));
        try (var restarted = start()) {
            restarted.append(events(2, "b"));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(checkpointFile()))).isEqualTo("rw-------");
        try (var files = Files.list(checkpointFile().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left behind")
                    .containsExactlyInAnyOrder("audit.key", "audit.checkpoint");
        }
        var result = start().verify();
        assertThat(result.intact()).as(result.toString()).isTrue();
        assertThat(result.checked()).isEqualTo(6);
    }

    @Test
    void aBurstOfAppendsFromManyThreadsEndsWithTheNewestEventInTheFile() throws Exception {
        List<ChainedEvent> last = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var store = start(); var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < 25; i++) last.addAll(store.append(events(1, "burst")));
                    return null;
                });
            }
        }
        ChainedEvent newest = last.stream().max(java.util.Comparator.comparingLong(ChainedEvent::seq)).orElseThrow();
        assertThat(newest.seq()).isEqualTo(201);
        assertThat(AuditCheckpoint.decode(Files.readAllBytes(checkpointFile()), key, "f"))
                .isEqualTo(new AuditCheckpoint.Valid(new AuditCheckpoint(newest.seq(), newest.hash())));
        assertThat(start().verify().intact()).isTrue();
    }

    @Test
    void newestEventsRemovedAndHeadRewoundAreFoundAfterARestart() throws Exception {
        appendAndStop(6); // events 2..7 after the keying event
        cutBackTo(5);
        var result = start().verify();
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBroken()).get().satisfies(b -> {
            assertThat(b.seq()).isEqualTo(6);
            assertThat(b.reason()).contains("appended event 7").contains("removed");
        });
    }

    @Test
    void withoutTheCheckpointFileTheSameRemovalPassesAfterARestart() throws Exception {
        // The gap the checkpoint closes: the rows left and the head are genuine keyed links.
        appendAndStop(6);
        Files.delete(checkpointFile());
        cutBackTo(5);
        var result = start().verify();
        assertThat(result.intact()).as(result.toString()).isTrue();
    }

    @Test
    void aLogCutBackAndWrittenAgainPastTheCheckpointIsFound() throws Exception {
        appendAndStop(6);
        cutBackTo(5);
        // The restarted instance appends on: the log reaches 7 again, but 6 and 7 are other events.
        var restarted = start();
        restarted.append(events(4, "b"));
        restarted.close();
        assertThat(AuditCheckpoint.decode(Files.readAllBytes(checkpointFile()), key, "f"))
                .as("the lost link stays checkpointed as evidence")
                .isInstanceOfSatisfying(AuditCheckpoint.Valid.class, v -> assertThat(v.checkpoint().seq()).isEqualTo(7));
        for (var store : List.of(restarted, start())) {
            var result = store.verify();
            assertThat(result.firstBroken()).as(result.toString()).get().satisfies(b -> {
                assertThat(b.seq()).isEqualTo(7);
                assertThat(b.reason()).contains("holds another hash");
            });
        }
    }

    @Test
    void aCheckpointLoweredByHandFailsItsMacAndStartCarriesOn() throws Exception {
        appendAndStop(6);
        String text = Files.readString(checkpointFile(), StandardCharsets.US_ASCII);
        String hashAt5;
        try (var c = db.connect(); var rs = c.createStatement().executeQuery("SELECT hash FROM audit_events WHERE seq = 5")) {
            rs.next();
            hashAt5 = new ChainHash(rs.getBytes(1)).hex();
        }
        // Lowered to event 5 with its genuine hash, the MAC left as it was (the editor lacks the key).
        Files.writeString(checkpointFile(), text.replace("seq=7", "seq=5").replaceAll("hash=[0-9a-f]+", "hash=" + hashAt5));
        cutBackTo(5);

        var store = start();
        var result = store.verify();
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBroken()).get().satisfies(b -> {
            assertThat(b.seq()).as("the event it claims").isEqualTo(5);
            assertThat(b.reason()).contains(checkpointFile().toString()).contains("fails its MAC");
        });
        // It keeps recording, and leaves the forged file for the operator to find.
        store.append(events(1, "b"));
        store.close();
        assertThat(Files.readString(checkpointFile())).contains("seq=5");
        assertThat(start().verify().firstBroken()).get().satisfies(b -> assertThat(b.reason()).contains("fails its MAC"));
    }
}
