package dev.berth.platform.certificates;

import dev.berth.agent.protocol.AcmeChallenge;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The platform's ACME accounts, the certificates it ordered and the challenges of open orders, in PostgreSQL. */
@org.springframework.stereotype.Component
public class AcmeStore {
    private static final String COLUMNS = "host, chain_pem, sealed_key, issuer, not_before, not_after, last_error, last_attempt,"
            + " failures, next_attempt, orders";
    private final JdbcClient jdbc;

    public AcmeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A host's ACME certificate row.
     *
     * @param chainPem  the issued chain, or null before the first issue
     * @param sealedKey its private key sealed with the platform's SecretBox, or null
     */
    record Row(String host, String chainPem, byte[] sealedKey, String issuer, Instant notBefore, Instant notAfter,
               String lastError, Instant lastAttempt, int failures, Instant nextAttempt, int orders) {
        boolean hasCertificate() {
            return chainPem != null;
        }

        @Override
        public String toString() {
            return "Row[host=" + host + ", issuer=" + issuer + ", notAfter=" + notAfter + ", failures=" + failures + "]";
        }
    }

    Optional<byte[]> accountKey(String directory) {
        return jdbc.sql("SELECT sealed_key FROM acme_accounts WHERE directory = ?").param(directory)
                .query((rs, n) -> rs.getBytes(1)).optional();
    }

    /** Stores an account key unless another instance stored one first; the caller reads back whichever won. */
    void insertAccountIfAbsent(String directory, byte[] sealedKey, Instant now) {
        jdbc.sql("INSERT INTO acme_accounts (directory, sealed_key, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(directory, sealedKey, Timestamp.from(now)).update();
    }

    void ensureRows(Collection<String> hosts) {
        for (String host : hosts) {
            jdbc.sql("INSERT INTO acme_certificates (host) VALUES (?) ON CONFLICT DO NOTHING").param(host).update();
        }
    }

    List<Row> rows(Collection<String> hosts) {
        if (hosts.isEmpty()) return List.of();
        return jdbc.sql("SELECT " + COLUMNS + " FROM acme_certificates WHERE host = ANY (?) ORDER BY host")
                .param(hosts.toArray(String[]::new)).query(AcmeStore::row).list();
    }

    /** Rows with a certificate that has not expired at {@code now}. */
    List<Row> valid(Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM acme_certificates WHERE chain_pem IS NOT NULL AND not_after > ? ORDER BY host")
                .param(Timestamp.from(now)).query(AcmeStore::row).list();
    }

    /**
     * Claims {@code host} for one order until {@code until}, unless another claim holds it; returns
     * the row as it is once claimed (another instance may just have renewed it).
     */
    Optional<Row> claim(String host, String owner, Instant now, Instant until) {
        return jdbc.sql("UPDATE acme_certificates SET claimed_by = ?, claimed_until = ? WHERE host = ?"
                        + " AND (claimed_until IS NULL OR claimed_until < ?) RETURNING " + COLUMNS)
                .params(owner, Timestamp.from(until), host, Timestamp.from(now)).query(AcmeStore::row).optional();
    }

    void orderPlaced(String host, Instant now) {
        jdbc.sql("UPDATE acme_certificates SET orders = orders + 1, last_attempt = ? WHERE host = ?")
                .params(Timestamp.from(now), host).update();
    }

    void issued(String host, String chainPem, byte[] sealedKey, String issuer, Instant notBefore, Instant notAfter, Instant now) {
        jdbc.sql("UPDATE acme_certificates SET chain_pem = ?, sealed_key = ?, issuer = ?, not_before = ?, not_after = ?,"
                        + " last_error = NULL, last_attempt = ?, failures = 0, next_attempt = NULL, claimed_by = NULL,"
                        + " claimed_until = NULL, failing_told_at = NULL WHERE host = ?")
                .params(chainPem, sealedKey, issuer, Timestamp.from(notBefore), Timestamp.from(notAfter), Timestamp.from(now), host)
                .update();
    }

    void failed(String host, String error, Instant now, Instant nextAttempt) {
        jdbc.sql("UPDATE acme_certificates SET last_error = ?, last_attempt = ?, failures = failures + 1, next_attempt = ?,"
                        + " claimed_by = NULL, claimed_until = NULL WHERE host = ?")
                .params(error, Timestamp.from(now), Timestamp.from(nextAttempt), host).update();
    }

    /** Marks the host's failure episode told unless it was: whether this call did, so the team hears once. */
    boolean failingTold(String host, Instant at) {
        return jdbc.sql("UPDATE acme_certificates SET failing_told_at = ? WHERE host = ? AND failing_told_at IS NULL")
                .params(Timestamp.from(at), host).update() == 1;
    }

    /** Ends a claim without recording anything (the order was not needed after all). */
    void release(String host, String owner) {
        jdbc.sql("UPDATE acme_certificates SET claimed_by = NULL, claimed_until = NULL WHERE host = ? AND claimed_by = ?")
                .params(host, owner).update();
    }

    void addChallenge(AcmeChallenge challenge, Instant now) {
        jdbc.sql("INSERT INTO acme_challenges (host, token, key_authorization, created_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (host, token) DO UPDATE SET key_authorization = EXCLUDED.key_authorization")
                .params(challenge.host(), challenge.token(), challenge.keyAuthorization(), Timestamp.from(now)).update();
    }

    /** Removes the host's challenges; whether there were any. */
    boolean removeChallenges(String host) {
        return jdbc.sql("DELETE FROM acme_challenges WHERE host = ?").param(host).update() > 0;
    }

    List<AcmeChallenge> challenges() {
        return jdbc.sql("SELECT host, token, key_authorization FROM acme_challenges ORDER BY host, token")
                .query((rs, n) -> new AcmeChallenge(rs.getString(1), rs.getString(2), rs.getString(3))).list();
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("host"), rs.getString("chain_pem"), rs.getBytes("sealed_key"), rs.getString("issuer"),
                instant(rs, "not_before"), instant(rs, "not_after"), rs.getString("last_error"), instant(rs, "last_attempt"),
                rs.getInt("failures"), instant(rs, "next_attempt"), rs.getInt("orders"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
