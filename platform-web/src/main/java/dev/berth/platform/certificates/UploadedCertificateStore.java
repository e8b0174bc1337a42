package dev.berth.platform.certificates;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Certificates teams uploaded for their routes, in PostgreSQL. */
@org.springframework.stereotype.Component
public class UploadedCertificateStore {
    private static final String COLUMNS = "host, t.name AS team, app, chain_pem, sealed_key, issuer, not_after, uploaded_by, uploaded_at";
    private final JdbcClient jdbc;

    public UploadedCertificateStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An uploaded certificate; {@code sealedKey} opens only with the platform's SecretBox. */
    record Row(String host, String team, String app, String chainPem, byte[] sealedKey, String issuer, Instant notAfter,
               String uploadedBy, Instant uploadedAt) {
        @Override
        public String toString() {
            return "Row[host=" + host + ", team=" + team + ", app=" + app + ", issuer=" + issuer + "]";
        }
    }

    /** Inserts or replaces the host's certificate; whether it replaced one. */
    boolean put(long teamId, String app, UploadedCertificate certificate, String chainPem, byte[] sealedKey, String by, Instant now) {
        boolean existed = jdbc.sql("SELECT count(*) FROM uploaded_certificates WHERE host = ?").param(certificate.host())
                .query(Long.class).single() > 0;
        jdbc.sql("INSERT INTO uploaded_certificates (host, team_id, app, chain_pem, sealed_key, issuer, not_after, uploaded_by,"
                        + " uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (host) DO UPDATE SET team_id = EXCLUDED.team_id,"
                        + " app = EXCLUDED.app, chain_pem = EXCLUDED.chain_pem, sealed_key = EXCLUDED.sealed_key,"
                        + " issuer = EXCLUDED.issuer, not_after = EXCLUDED.not_after, uploaded_by = EXCLUDED.uploaded_by,"
                        + " uploaded_at = EXCLUDED.uploaded_at")
                .params(certificate.host(), teamId, app, chainPem, sealedKey, certificate.issuer(),
                        Timestamp.from(certificate.notAfter()), by, Timestamp.from(now)).update();
        return existed;
    }

    boolean delete(long teamId, String app, String host) {
        return jdbc.sql("DELETE FROM uploaded_certificates WHERE host = ? AND team_id = ? AND app = ?")
                .params(host, teamId, app).update() > 0;
    }

    /** The host's uploaded certificate, whichever app it belongs to. */
    Optional<Row> get(String host) {
        return rows("WHERE host = ?", host).stream().findFirst();
    }

    List<Row> ofApp(long teamId, String app) {
        return rows("WHERE u.team_id = ? AND u.app = ? ORDER BY host", teamId, app);
    }

    List<Row> of(Collection<String> hosts) {
        if (hosts.isEmpty()) return List.of();
        return rows("WHERE host = ANY (?) ORDER BY host", (Object) hosts.toArray(String[]::new));
    }

    List<Row> all() {
        return rows("ORDER BY host");
    }

    private List<Row> rows(String where, Object... params) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM uploaded_certificates u JOIN teams t ON t.id = u.team_id " + where)
                .params(params)
                .query((rs, n) -> new Row(rs.getString("host"), rs.getString("team"), rs.getString("app"),
                        rs.getString("chain_pem"), rs.getBytes("sealed_key"), rs.getString("issuer"),
                        rs.getTimestamp("not_after").toInstant(), rs.getString("uploaded_by"),
                        rs.getTimestamp("uploaded_at").toInstant()))
                .list();
    }
}
