package dev.berth.agent.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code STATE/edge}, root's alone (0700): Caddy's admin socket, its storage, its starting
 * configuration, its pid, the access log and each app's
 * access lines. The socket inherits the directory's protection, so
 * only root reaches the admin API, and the agent is the only writer of Caddy's configuration.
 */
record EdgeDirectory(Path dir) {
    static EdgeDirectory in(Path stateDir) {
        return new EdgeDirectory(stateDir.toAbsolutePath().normalize().resolve("edge"));
    }

    /** Makes the directory if needed and sets it 0700 whatever it was. */
    EdgeDirectory create() throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return this;
    }

    Path adminSocket() {
        return dir.resolve("admin.sock");
    }

    Path storage() {
        return dir.resolve("storage");
    }

    Path accessLog() {
        return dir.resolve("access.log");
    }

    /** Each app's access lines, for shipping ({@link AccessFiles}). */
    Path accessDir() {
        return dir.resolve("access");
    }

    Path pidFile() {
        return dir.resolve("caddy.pid");
    }

    /** The paths Caddy's configuration names. */
    CaddyConfig.Files caddyFiles() {
        return new CaddyConfig.Files(adminSocket().toString(), storage().toString(), accessLog().toString());
    }

    Path startConfig() {
        return dir.resolve("caddy.json");
    }
}
