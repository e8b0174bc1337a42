package dev.berth.platform.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The platform's embedded PostgreSQL, made once per module's test run and copied for each test
 * that starts one. Each start on an empty data directory unpacks the PostgreSQL binaries and runs
 * initdb (fsync on): 10 to 30 s on two busy cores, for every platform of every test class (each
 * ui-tests class runs in a JVM of its own). The template is what {@link DatabaseConfig} itself
 * makes on an empty data directory (scram-only host rules, both roles with their passwords beside
 * it), migrated as the platform migrates at startup; a platform on a copy finds its schema current
 * and nothing else in it. Tests of that first start itself ({@code EmbeddedDatabaseTest}) do not
 * use it. Kept in the module's target/, so a clean build makes it anew.
 */
public final class EmbeddedDataTemplate {
    private static final Path TARGET = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target");
    private static final String NAME = "postgres";
    /** Where application.yml points spring.flyway.locations. */
    private static final String MIGRATIONS = "classpath:db/migration";

    private EmbeddedDataTemplate() {
    }

    /**
     * Puts a stopped, initialised copy at {@code dataDir}, with its credentials and binaries where
     * the platform looks for them ({@code dataDir} + ".credentials" and ".binaries").
     */
    public static void copyTo(Path dataDir) {
        try {
            long start = System.nanoTime();
            Path template = template();
            String name = dataDir.getFileName().toString();
            copy(template.resolve(NAME), dataDir, false);
            copy(template.resolve(NAME + ".credentials"), dataDir.resolveSibling(name + ".credentials"), false);
            // Only read once unpacked: hard links, not 100 MB copied per platform.
            copy(template.resolve(NAME + ".binaries"), dataDir.resolveSibling(name + ".binaries"), true);
            System.err.printf("embedded PostgreSQL template copied to %s in %d ms%n", dataDir, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the embedded PostgreSQL template to " + dataDir, e);
        }
    }

    /**
     * The template for the migrations on the classpath, made under a lock held across JVMs if no
     * earlier test class made it. Named after the migrations' names and contents, so a template
     * left in target/ from before a migration was added or changed is not taken.
     */
    private static Path template() throws IOException {
        Path template = TARGET.resolve("embedded-postgres-template-" + migrationsDigest());
        if (Files.isDirectory(template)) return template;
        Files.createDirectories(TARGET);
        try (var lock = FileChannel.open(TARGET.resolve("embedded-postgres-template.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var held = lock.lock()) {
            if (Files.isDirectory(template)) return template;
            long start = System.nanoTime();
            Path building = Files.createTempDirectory(TARGET, "embedded-postgres-template-building-");
            var config = new DatabaseConfig();
            var props = new DatabaseProperties(null, null, null, null, null, new DatabaseProperties.Embedded(building.resolve(NAME), 0));
            // Migrated as the platform migrates (its customizer, its locations), stopped cleanly.
            try (var server = config.embeddedServer(props)) {
                var flyway = new FluentConfiguration().locations(MIGRATIONS);
                config.migrateAsOwner(config.databaseRoles(props, server)).customize(flyway);
                new Flyway(flyway).migrate();
            }
            Files.move(building, template, StandardCopyOption.ATOMIC_MOVE);
            System.err.printf("embedded PostgreSQL template made in %d ms%n", (System.nanoTime() - start) / 1_000_000);
            return template;
        }
    }

    private static String migrationsDigest() throws IOException {
        var migrations = new PathMatchingResourcePatternResolver().getResources(MIGRATIONS + "/*.sql");
        if (migrations.length == 0) throw new IOException("no migrations found at " + MIGRATIONS);
        Arrays.sort(migrations, Comparator.comparing(Resource::getFilename));
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            for (var migration : migrations) {
                digest.update(migration.getFilename().getBytes(StandardCharsets.UTF_8));
                try (var in = migration.getInputStream()) {
                    digest.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void copy(Path from, Path to, boolean link) throws IOException {
        Files.createDirectories(to.getParent());
        var command = List.of("/usr/bin/cp", link ? "-al" : "-a", from.toString(), to.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying " + from, e);
        }
    }
}
