package dev.berth.platform.certificates;

import java.time.Instant;

/**
 * What the platform knows of one route host's certificate, for the API and the dashboard. Never
 * holds a key.
 *
 * @param host        the route's host name
 * @param source      where its certificate comes from
 * @param status      where it stands
 * @param issuer      the issuer's CN (or O) of the certificate served, or null
 * @param notAfter    when the certificate served expires, or null
 * @param lastError   why the last order failed, a sentence a person can act on, or null
 * @param lastAttempt when the platform last tried to order, or null
 */
public record CertificateState(String host, Source source, Status status, String issuer, Instant notAfter,
                               String lastError, Instant lastAttempt) {

    /** Where a host's certificate comes from. */
    public enum Source {
        ACME, UPLOADED, NONE;

        /** As JSON shows it: {@code acme}, {@code uploaded}, {@code none}. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Where a host's certificate stands. */
    public enum Status {
        /** Not issued yet; the platform orders it. */
        PENDING,
        /** Issued by the ACME CA and valid. */
        ISSUED,
        /** No valid certificate, and the last order failed: see {@code lastError}. */
        FAILED,
        /** Uploaded by the team and valid. */
        UPLOADED,
        /** The certificate served has expired. */
        EXPIRED;

        /** As JSON shows it: {@code pending}, {@code issued}, ... */
        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
