package dev.berth.platform.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The generated passwords of the embedded server's two roles, kept owner-only beside its data
 * directory ({@code <dataDir>.credentials/}, 0700, one 0600 file per role). They are created
 * once and never leave that directory: nobody types them, and another local user cannot read them.
 */
public record EmbeddedCredentials(Path directory, String superuser, String app) {
    static final String SUPERUSER_FILE = "postgres";
    static final String APP_FILE = DatabaseRoles.EMBEDDED_APP_ROLE;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Reads the passwords of the server whose data lives in {@code dataDir}, creating missing ones. */
    public static EmbeddedCredentials forDataDir(Path dataDir) throws IOException {
        Path dir = OwnerOnlyFiles.directory(dataDir.resolveSibling(dataDir.getFileName() + ".credentials"));
        return new EmbeddedCredentials(dir, password(dir.resolve(SUPERUSER_FILE)), password(dir.resolve(APP_FILE)));
    }

    /** The superuser's password file, as initdb's {@code --pwfile} wants it. */
    public Path superuserFile() {
        return directory.resolve(SUPERUSER_FILE);
    }

    private static String password(Path file) throws IOException {
        var existing = OwnerOnlyFiles.read(file);
        if (existing.isEmpty()) {
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            // URL-safe base64 has no quote, backslash or newline to escape anywhere it goes.
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            if (OwnerOnlyFiles.createIfAbsent(file, (generated + "\n").getBytes(StandardCharsets.US_ASCII))) return generated;
            existing = OwnerOnlyFiles.read(file);
        }
        String password = new String(existing.orElseThrow(), StandardCharsets.US_ASCII).strip();
        if (password.length() < 16) throw new IOException(file + " holds no usable password; delete it only together with the data directory");
        return password;
    }

    @Override
    public String toString() {
        return "EmbeddedCredentials[" + directory + "]";
    }
}
