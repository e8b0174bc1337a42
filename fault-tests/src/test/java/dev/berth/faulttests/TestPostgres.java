package dev.berth.faulttests;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * PostgreSQL as a server the platform instances share and the test can stop: a fixed data directory
 * and port, so {@link #stop} then {@link #start} brings back the same database at the same address.
 * Instances migrate as {@code postgres} and serve requests as {@link #APP_ROLE}, which owns nothing.
 */
final class TestPostgres implements AutoCloseable {
    static final String APP_ROLE = "berth_app";
    static final String APP_PASSWORD = "fault-tests-app-pw";
    static final String OWNER_PASSWORD = "unused-with-trust";

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    private TestPostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** A new database in {@code dataDir}, with the request role made. */
    static TestPostgres create(Path dataDir) throws IOException, SQLException {
        var postgres = new TestPostgres(dataDir, FreePorts.next());
        postgres.start();
        try (var c = postgres.superuser(); var st = c.createStatement()) {
            st.execute("CREATE ROLE " + APP_ROLE + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
        }
        return postgres;
    }

    /** Starts the server on its data directory and port (again, after {@link #stop}). */
    void start() throws IOException {
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
    }

    /** A fast shutdown: sessions are ended, as when the server goes away. */
    void stop() throws IOException {
        if (server != null) server.close();
        server = null;
    }

    /**
     * {@code pg_dump --format=custom} of the whole database into {@code file}, as the platform's
     * migration role: one snapshot, taken while the platform runs.
     */
    void dump(Path file) throws IOException, InterruptedException {
        client("/usr/bin/pg_dump", "--format=custom", "--file=" + file, "--dbname=postgres");
    }

    /** {@code pg_restore} of a {@link #dump} into this (fresh) database, in one transaction. */
    void restore(Path file) throws IOException, InterruptedException {
        client("/usr/bin/pg_restore", "--exit-on-error", "--single-transaction", "--dbname=postgres", file.toString());
    }

    private void client(String program, String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(List.of(program, "--host=127.0.0.1", "--port=" + port, "--username=postgres"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", OWNER_PASSWORD);
        var process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor() != 0) throw new AssertionError(String.join(" ", command) + " failed: " + output);
    }

    /** The platform's command-line settings for this database. */
    List<String> platformArgs() {
        return List.of("--berth.database.url=" + jdbcUrl(),
                "--berth.database.user=" + APP_ROLE, "--berth.database.password=" + APP_PASSWORD,
                "--berth.database.migration-user=postgres", "--berth.database.migration-password=" + OWNER_PASSWORD);
    }

    /** A connection as the superuser, for the test's own look at the tables. */
    Connection superuser() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", OWNER_PASSWORD);
    }

    private String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
