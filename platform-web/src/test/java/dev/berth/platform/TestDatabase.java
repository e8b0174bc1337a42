package dev.berth.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for tests: a Testcontainers container where a Docker engine answers, the
 * embedded server otherwise. One server per JVM; each caller gets a fresh database in it.
 */
public final class TestDatabase {
    /** Connection details of one database; the user is a superuser so tests can tamper. */
    public record Target(String url, String user, String password) {
        public java.sql.Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        /**
         * A login role for this database that owns nothing, as the platform wants to serve
         * requests (the superuser here then only migrates); created on first use.
         */
        public synchronized Target requestRole() {
            String role = url.substring(url.lastIndexOf('/') + 1) + "_app";
            String secret = "pw-" + role;
            try (var c = connect(); var st = c.createStatement()) {
                st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role
                        + "') THEN CREATE ROLE " + role + " LOGIN PASSWORD '" + secret + "'; END IF; END $$");
            } catch (SQLException e) {
                throw new IllegalStateException("could not create the request role " + role, e);
            }
            return new Target(url, role, secret);
        }

        /**
         * The platform's database settings for a test context: migrations as this superuser,
         * requests as {@link #requestRole()}, as the platform demands.
         */
        public void register(org.springframework.test.context.DynamicPropertyRegistry registry) {
            var requests = requestRole();
            registry.add("berth.database.url", this::url);
            registry.add("berth.database.user", requests::user);
            registry.add("berth.database.password", requests::password);
            registry.add("berth.database.migration-user", this::user);
            registry.add("berth.database.migration-password", this::password);
        }
    }

    private record Server(String baseUrl, String user, String password) {
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Server server;

    private TestDatabase() {
    }

    /** Creates an empty database with a unique name. */
    public static Target fresh(String purpose) {
        Server s = server();
        String name = "t" + COUNTER.incrementAndGet() + "_" + purpose.toLowerCase().replaceAll("[^a-z0-9]", "");
        try (var c = DriverManager.getConnection(s.baseUrl() + "postgres", s.user(), s.password());
             var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new Target(s.baseUrl() + name, s.user(), s.password());
    }

    private static synchronized Server server() {
        if (server == null) server = dockerAvailable() ? container() : embedded();
        return server;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // lives as long as the test JVM; Testcontainers reaps it
    private static Server container() {
        var pg = new PostgreSQLContainer("postgres:16-alpine");
        pg.start();
        String base = "jdbc:postgresql://" + pg.getHost() + ":" + pg.getMappedPort(5432) + "/";
        return new Server(base, pg.getUsername(), pg.getPassword());
    }

    private static Server embedded() {
        try {
            var dir = Files.createTempDirectory("berth-test-pg");
            var pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temp directory is cleaned by the OS
                }
            }));
            return new Server("jdbc:postgresql://localhost:" + pg.getPort() + "/", "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }
}
