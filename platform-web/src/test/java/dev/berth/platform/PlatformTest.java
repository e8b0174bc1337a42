package dev.berth.platform;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for tests against the whole platform on a real server port and a real PostgreSQL. All
 * subclasses share one database and one application context; tests create their own uniquely
 * named users and teams.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = BerthApplication.class)
@Import(PlatformTest.Clocks.class)
public abstract class PlatformTest {
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    /** Hosted repositories of the shared context. */
    public static final java.nio.file.Path GIT_DIR = temporaryDirectory("berth-platform-git");
    /** The audit chain's key of the shared context. */
    public static final java.nio.file.Path AUDIT_KEY_FILE = temporaryDirectory("berth-platform-audit").resolve("audit.key");
    /** Small enough that a test can push a pack over it. */
    public static final long MAX_PACK_BYTES = 2L << 20;
    /** Below the pack limit, so one file can be too big while its pack is not. */
    public static final long MAX_OBJECT_BYTES = 1L << 20;
    private static TestDatabase.Target database;

    protected static synchronized TestDatabase.Target database() {
        if (database == null) database = TestDatabase.fresh("platform");
        return database;
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        var db = database();
        db.register(registry);
        registry.add("berth.admin.password", () -> ADMIN_PASSWORD);
        registry.add("berth.git.repositories-dir", () -> GIT_DIR.toString());
        registry.add("berth.audit.key-file", () -> AUDIT_KEY_FILE.toString());
        registry.add("berth.git.max-pack-bytes", () -> MAX_PACK_BYTES);
        registry.add("berth.git.max-object-bytes", () -> MAX_OBJECT_BYTES);
        registry.add("berth.git.poll-tick-seconds", () -> 1);
        // Test registries listen on loopback with plain HTTP, on ports chosen when they start.
        registry.add("berth.git.insecure-registries", () -> "127.0.0.1:*");
        // ... and loopback is refused unless allowed, like any private address.
        registry.add("berth.network.allowed-private-targets", () -> "127.0.0.0/8");
    }

    /** A user row straight in the database, for tests of stores that only refer to users; returns its id. */
    protected static long insertUser(org.springframework.jdbc.core.simple.JdbcClient jdbc, String username) {
        return jdbc.sql("INSERT INTO users (username, password_hash, platform_admin, created_at) VALUES (?, '{noop}x', false, now())"
                + " RETURNING id").param(username).query(Long.class).single();
    }

    private static java.nio.file.Path temporaryDirectory(String prefix) {
        try {
            return java.nio.file.Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @TestConfiguration
    public static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

}
