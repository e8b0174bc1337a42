package dev.berth.platform.audit;

import dev.berth.platform.database.DatabaseProperties;
import dev.berth.platform.database.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Finds or makes the audit chain's key at startup, before anything is appended. A new key starts
 * with an {@code audit.key} event, the first event linked under it; its id in that event lets a
 * second instance that lacks the file (or has another one) refuse to start instead of chaining
 * under a key the others cannot check. The database's word is only used to refuse: what Verify
 * trusts, the secret, where keying began and the hash before it, lives in the key file alone.
 */
@Configuration
@EnableConfigurationProperties(AuditProperties.class)
public class AuditKeying {
    static final String ACTION = "audit.key";
    private static final Logger log = LoggerFactory.getLogger(AuditKeying.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Bean
    @DependsOnDatabaseInitialization
    public AuditKey auditKey(AuditProperties props, DatabaseProperties database, DataSource dataSource, Clock clock) {
        Path keyFile = props.keyFile(database);
        try {
            return establish(dataSource, keyFile, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("the audit key file " + keyFile + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not set up the audit key: " + e.getMessage(), e);
        }
    }

    /** The key of the log in {@code dataSource}, read from {@code keyFile} or, for a log not yet keyed, created there. */
    public static AuditKey establish(DataSource dataSource, Path keyFile, Clock clock) throws IOException, SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                AuditKey key = establish(c, keyFile, clock);
                c.commit();
                return key;
            } finally {
                if (!c.getAutoCommit()) c.rollback();
            }
        }
    }

    private record Recorded(long seq, String keyId) {
    }

    private static AuditKey establish(Connection c, Path keyFile, Clock clock) throws IOException, SQLException {
        // Appends wait from here on, in every instance, so the head cannot move under a new key.
        long headSeq;
        ChainHash headHash;
        try (var st = c.prepareStatement("SELECT seq, hash FROM audit_head FOR UPDATE"); var rs = st.executeQuery()) {
            rs.next();
            headSeq = rs.getLong(1);
            headHash = new ChainHash(rs.getBytes(2));
        }
        Optional<Recorded> recorded = recorded(c);
        Optional<AuditKey> fromFile = OwnerOnlyFiles.read(keyFile).map(text -> AuditKey.decode(text, keyFile.toString()));
        AuditKey key;
        if (fromFile.isPresent()) {
            key = fromFile.get();
            if (recorded.isPresent()) {
                if (!recorded.get().keyId().equals(key.id())) {
                    throw new IllegalStateException("The audit log was keyed at event " + recorded.get().seq() + " with key "
                            + recorded.get().keyId() + ", but " + keyFile + " holds key " + key.id() + ". Every platform instance"
                            + " sharing this database needs the same key file: copy it from the instance that made it"
                            + " (berth.audit.key-file, BERTH_AUDIT_KEY_FILE).");
                }
                return key;
            }
            if (headSeq != key.keyedFrom() - 1 || !headHash.equals(key.anchor())) {
                throw new IllegalStateException(keyFile + " (key " + key.id() + ", keyed from event " + key.keyedFrom()
                        + ") does not belong to this database's audit log, which has no record of that key"
                        + " (or whose record of it was removed). Point berth.audit.key-file (BERTH_AUDIT_KEY_FILE) at this"
                        + " log's key file; move " + keyFile + " away only if this database is meant to start a new log.");
            }
            // The file was written but its first event never committed: finish what was started.
        } else {
            if (recorded.isPresent()) {
                throw new IllegalStateException("The audit log was keyed at event " + recorded.get().seq() + " with key "
                        + recorded.get().keyId() + ", but the key file " + keyFile + " is missing. Copy the key file from the"
                        + " platform instance that made it (every instance sharing this database needs it;"
                        + " berth.audit.key-file, BERTH_AUDIT_KEY_FILE). Without it the log cannot be extended or verified.");
            }
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            key = new AuditKey(secret, headSeq + 1, headHash);
            // A missing directory is made owner-only; an existing one is the operator's (the data
            // directory, /etc/berth...) and keeps its mode: the key file itself is 0600.
            if (keyFile.getParent() != null && !Files.isDirectory(keyFile.getParent())) OwnerOnlyFiles.directory(keyFile.getParent());
            if (!OwnerOnlyFiles.createIfAbsent(keyFile, key.encode())) {
                // Another process on this machine wrote it meanwhile; it waits on our lock, so it
                // has not recorded it yet. Begin again with its file.
                return establish(c, keyFile, clock);
            }
            log.info("Created the audit chain key {} in {}; events from {} on are keyed. Back it up, and copy it to"
                    + " every platform instance that shares this database.", key.id(), keyFile, key.keyedFrom());
        }
        var event = AuditEvent.of(AuditEvent.Actor.system(), ACTION, "audit")
                .detail("keyId", key.id()).detail("keyedFrom", key.keyedFrom()).at(clock.instant());
        var linked = AuditChain.link(headSeq, headHash, List.of(event), key);
        if (!AuditStore.appendAfter(c, headSeq, headHash, linked)) {
            throw new SQLException("the audit head moved while it was locked");
        }
        return key;
    }

    /** The newest keying event, if the log has one. */
    private static Optional<Recorded> recorded(Connection c) throws SQLException {
        try (var st = c.prepareStatement("SELECT seq, details FROM audit_events WHERE action = ? ORDER BY seq DESC LIMIT 1")) {
            st.setString(1, ACTION);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Recorded(rs.getLong(1), AuditStore.parseDetails(rs.getString(2)).getOrDefault("keyId", "?")));
            }
        }
    }
}
