package dev.berth.platform.pki;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The platform CA and the certificates it issued to agents, in PostgreSQL. */
@Component
public class CertificateStore {
    private final JdbcClient jdbc;

    public CertificateStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The CA as stored: its certificate (PEM) and its sealed PKCS#8 private key. */
    record StoredCa(String certificate, byte[] sealedKey) {
    }

    /** A certificate issued to a host. */
    public record Issued(String serial, String hostId, Instant notBefore, Instant notAfter, Instant issuedAt) {
    }

    Optional<StoredCa> ca() {
        return jdbc.sql("SELECT certificate, sealed_key FROM platform_ca WHERE id = 1")
                .query((rs, n) -> new StoredCa(rs.getString("certificate"), rs.getBytes("sealed_key"))).optional();
    }

    /** Stores the CA unless another instance stored one first; the caller reads back whichever won. */
    void insertCaIfAbsent(String certificate, byte[] sealedKey, Instant now) {
        jdbc.sql("INSERT INTO platform_ca (id, certificate, sealed_key, created_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING")
                .params(certificate, sealedKey, Timestamp.from(now)).update();
    }

    void insertIssued(Issued issued, String publicKey) {
        jdbc.sql("INSERT INTO agent_certificates (serial, host_id, not_before, not_after, issued_at, public_key)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")
                .params(issued.serial(), issued.hostId(), Timestamp.from(issued.notBefore()), Timestamp.from(issued.notAfter()),
                        Timestamp.from(issued.issuedAt()), publicKey).update();
    }

    /** Base64 of the key {@code hostId}'s newest certificate certifies; empty when none records one. */
    Optional<String> newestKey(String hostId) {
        return jdbc.sql("SELECT public_key FROM agent_certificates WHERE host_id = ? AND public_key IS NOT NULL"
                        + " ORDER BY issued_at DESC, serial DESC LIMIT 1")
                .param(hostId).query(String.class).optional();
    }

    /** What was issued to {@code hostId}, newest first. */
    public List<Issued> issuedTo(String hostId) {
        return jdbc.sql("SELECT serial, host_id, not_before, not_after, issued_at FROM agent_certificates WHERE host_id = ?"
                        + " ORDER BY issued_at DESC, serial")
                .param(hostId)
                .query((rs, n) -> new Issued(rs.getString("serial"), rs.getString("host_id"),
                        rs.getTimestamp("not_before").toInstant(), rs.getTimestamp("not_after").toInstant(),
                        rs.getTimestamp("issued_at").toInstant())).list();
    }
}
