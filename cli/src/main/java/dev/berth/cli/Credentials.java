package dev.berth.cli;

import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * The signed-in platforms and their tokens, kept in {@code credentials.json} (owner-only, 0600)
 * under {@code $XDG_CONFIG_HOME/berth} or {@code ~/.config/berth}. Each token belongs to its
 * platform's address: a token is never sent anywhere else.
 *
 * @param current the platform signed in to last, null when none
 * @param tokens each platform's token, by address
 */
public record Credentials(String current, Map<String, String> tokens) {
    public Credentials {
        tokens = Map.copyOf(tokens);
    }

    @Override
    public String toString() {
        return "Credentials[current=" + current + ", platforms=" + tokens.keySet() + ", tokens hidden]";
    }

    /** The file's on-disk form. */
    record Stored(String current, Map<String, Entry> platforms) {
    }

    record Entry(String token) {
    }

    /** Where the credentials live for this environment. */
    public static Path file(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("berth").resolve("credentials.json");
    }

    public static Credentials read(Path file) {
        if (!Files.exists(file)) return new Credentials(null, Map.of());
        try {
            var stored = PlatformClient.JSON.readValue(Files.readAllBytes(file), Stored.class);
            var tokens = new LinkedHashMap<String, String>();
            if (stored.platforms() != null) stored.platforms().forEach((url, entry) -> tokens.put(url, entry.token()));
            return new Credentials(stored.current(), tokens);
        } catch (IOException e) {
            throw new CliFailure(ExitCode.FAILED, "could not read " + file + ": " + e.getMessage());
        } catch (JacksonException e) {
            throw new CliFailure(ExitCode.FAILED, file + " is not a credentials file Berth wrote (" + e.getOriginalMessage()
                    + "); remove it and sign in again");
        }
    }

    /** The platform to use: the one asked for, else the current one; with its token. */
    public Optional<Map.Entry<String, String>> signedIn(String platform) {
        String url = platform != null ? platform : current;
        if (url == null || !tokens.containsKey(url)) return Optional.empty();
        return Optional.of(Map.entry(url, tokens.get(url)));
    }

    public Credentials with(String platform, String token) {
        var more = new LinkedHashMap<>(tokens);
        more.put(platform, token);
        return new Credentials(platform, more);
    }

    public Credentials without(String platform) {
        var fewer = new LinkedHashMap<>(tokens);
        fewer.remove(platform);
        return new Credentials(platform.equals(current) ? null : current, fewer);
    }

    /** Writes the file owner-only, in its owner-only directory, replacing it whole. */
    public void write(Path file) {
        var platforms = new LinkedHashMap<String, Entry>();
        tokens.forEach((url, token) -> platforms.put(url, new Entry(token)));
        try {
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            AtomicFile.ownerOnly(file).write(PlatformClient.JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new Stored(current, platforms)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
