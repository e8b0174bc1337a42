package dev.berth.platform.audit;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.platform.database.DatabaseConfig;
import dev.berth.platform.database.DatabaseProperties;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Audit append throughput, hash-chained through {@link AuditLog}, beside plain single-row
 * inserts of the same rows into a table of the same shape in the same PostgreSQL. Prints numbers;
 * asserts nothing about speed. Not part of the test suite (surefire excludes *Benchmark):
 * <pre>./mvnw -o -q -pl platform-web -am test -Dtest=AuditAppendBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class AuditAppendBenchmark {
    private static final int ROWS = Integer.getInteger("bench.rows", 4000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    @Test
    void chainedAppendsBesidePlainInserts() throws Exception {
        // The platform's own embedded PostgreSQL, configured as it runs (durable commits).
        var props = new DatabaseProperties(null, null, null, null, null,
                new DatabaseProperties.Embedded(Files.createTempDirectory("berth-bench").resolve("pg"), 0));
        var databases = new DatabaseConfig();
        try (var server = databases.embeddedServer(props);
             var ds = databases.dataSource(databases.databaseRoles(props, server))) {
            var flyway = new FluentConfiguration().locations("classpath:db/migration");
            databases.migrateAsOwner(databases.databaseRoles(props, server)).customize(flyway);
            new Flyway(flyway).migrate();
            try (var c = ds.getConnection(); var st = c.createStatement()) {
                // Same columns, constraints and indexes; no trigger, no chain.
                st.execute("CREATE TABLE audit_plain (LIKE audit_events INCLUDING ALL)");
                st.execute("CREATE SEQUENCE audit_plain_seq");
            }
            var keyFile = props.embedded().dataDir().resolveSibling("audit.key");
            var key = AuditKeying.establish(ds, keyFile, Clock.systemUTC());
            // As the platform runs it: the checkpoint file rewritten after every batch.
            var checkpoint = new AuditCheckpointFile(AuditCheckpointFile.besideKey(keyFile), key);
            var log = new AuditLog(new AuditStore(ds, key, checkpoint), Clock.systemUTC());
            // The same chain without the key (as before issue 10), in a second database of the same
            // server, measured in the same rounds so that the machine's load falls on both alike.
            var roles = databases.databaseRoles(props, server);
            try (var c = java.sql.DriverManager.getConnection(roles.url(), roles.owner().user(), roles.owner().password());
                 var st = c.createStatement()) {
                st.execute("CREATE DATABASE bench_unkeyed");
            }
            String unkeyedUrl = roles.url().replaceFirst("/postgres$", "/bench_unkeyed");
            var unkeyedFlyway = new FluentConfiguration().locations("classpath:db/migration")
                    .dataSource(unkeyedUrl, roles.owner().user(), roles.owner().password())
                    .placeholders(java.util.Map.of("appRole", roles.app().user()));
            new Flyway(unkeyedFlyway).migrate();
            var unkeyedConfig = new com.zaxxer.hikari.HikariConfig();
            unkeyedConfig.setJdbcUrl(unkeyedUrl);
            unkeyedConfig.setUsername(roles.app().user());
            unkeyedConfig.setPassword(roles.app().password());
            unkeyedConfig.setMaximumPoolSize(20);
            try (var unkeyedDs = new HikariDataSource(unkeyedConfig)) {
                var unkeyedLog = new AuditLog(new AuditStore(unkeyedDs, null), Clock.systemUTC());
                var results = new ArrayList<String>();
                // Warm up every path (JIT, connection pools, PostgreSQL caches).
                plain(ds, 1, 500);
                chained(unkeyedLog, 1, 500);
                chained(log, 1, 500);
                for (int writers : new int[]{1, 8}) {
                    double plainBest = 0;
                    double unkeyedBest = 0;
                    double chainedBest = 0;
                    for (int round = 0; round < ROUNDS; round++) {
                        plainBest = Math.max(plainBest, plain(ds, writers, ROWS));
                        unkeyedBest = Math.max(unkeyedBest, chained(unkeyedLog, writers, ROWS));
                        chainedBest = Math.max(chainedBest, chained(log, writers, ROWS));
                    }
                    results.add(String.format("| %d | %,.0f | %,.0f | %,.0f | %.0f%% | %.0f%% |", writers, plainBest,
                            unkeyedBest, chainedBest, 100 * unkeyedBest / plainBest, 100 * chainedBest / plainBest));
                }
                System.out.println();
                System.out.println("Audit append throughput, " + ROWS + " rows per run, best of " + ROUNDS + " (rows/s)");
                System.out.println("| writers | plain INSERT (baseline) | chained, unkeyed (before) | chained, keyed AuditLog"
                        + " | unkeyed / plain | keyed / plain |");
                System.out.println("|---|---|---|---|---|---|");
                results.forEach(System.out::println);
                System.out.println("unkeyed chain after the runs: intact=" + new AuditStore(unkeyedDs, null).verify().intact());
                var verdict = new AuditStore(ds, key, checkpoint).verify();
                try (var c = ds.getConnection(); var st = c.createStatement();
                     var rs = st.executeQuery("SELECT current_setting('synchronous_commit'), current_setting('fsync')")) {
                    rs.next();
                    System.out.println("synchronous_commit=" + rs.getString(1) + ", fsync=" + rs.getString(2));
                }
                System.out.println("chain after the runs: intact=" + verdict.intact() + ", rows=" + verdict.checked());
            }
        }
    }

    private static AuditEvent event(int writer, int i) {
        return AuditEvent.of(AuditEvent.Actor.user("bench"), "bench.append", "row:" + writer + "-" + i)
                .team("bench").source("127.0.0.1", "benchmark").detail("i", i).at(Instant.now());
    }

    /** One autocommitted INSERT per row, the same columns and values the chain stores. */
    private static double plain(HikariDataSource ds, int writers, int rows) throws Exception {
        return run(writers, rows, (writer, count) -> {
            try (var c = ds.getConnection(); var st = c.prepareStatement("INSERT INTO audit_plain (" + AuditStore.COLUMNS
                    + ") VALUES (nextval('audit_plain_seq'),?,?,?,?,?,?,?,?,?,?,?,?)")) {
                byte[] hash = new byte[32];
                for (int i = 0; i < count; i++) {
                    var e = event(writer, i);
                    st.setTimestamp(1, Timestamp.from(e.time()));
                    st.setString(2, e.actor().type().name());
                    st.setString(3, e.actor().name());
                    st.setString(4, e.action());
                    st.setString(5, e.target());
                    st.setString(6, e.team());
                    st.setString(7, e.sourceAddress());
                    st.setString(8, e.userAgent());
                    st.setString(9, e.outcome().name());
                    st.setString(10, AuditStore.detailsJson(e.details()));
                    st.setBytes(11, hash);
                    st.setBytes(12, hash);
                    st.executeUpdate();
                }
            }
        });
    }

    /** Each call blocks until its event is committed, as a request thread would. */
    private static double chained(AuditLog log, int writers, int rows) throws Exception {
        return run(writers, rows, (writer, count) -> {
            for (int i = 0; i < count; i++) log.record(event(writer, i));
        });
    }

    private interface Writer {
        void write(int writer, int count) throws Exception;
    }

    private static double run(int writers, int rows, Writer body) throws Exception {
        var tasks = new ArrayList<Callable<Void>>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            tasks.add(() -> {
                body.write(writer, rows / writers);
                return null;
            });
        }
        long start = System.nanoTime();
        try (var pool = Executors.newFixedThreadPool(writers)) {
            for (var f : pool.invokeAll(tasks)) f.get();
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }
}
