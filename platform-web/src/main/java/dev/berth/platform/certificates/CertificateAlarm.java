package dev.berth.platform.certificates;

import java.time.Duration;
import java.time.Instant;

/**
 * When a host's failing certificate orders are worth telling its team, pure. One failure is often
 * passing (DNS just changed, the CA was briefly away) and is retried within a minute; several in a
 * row, or any failure once the certificate it would renew is about to expire, need a person.
 */
final class CertificateAlarm {
    /** Failed orders in a row (about 7 minutes of backoff) after which a host without a certificate is told. */
    static final int FAILURES = 3;
    /** A certificate this close to expiry is told of at its renewal's first failure. */
    static final Duration EXPIRING = Duration.ofDays(7);

    private CertificateAlarm() {
    }

    /** Whether {@code failures} in a row for a certificate expiring at {@code notAfter} (null: none) should be told at {@code now}. */
    static boolean tell(int failures, Instant notAfter, Instant now) {
        if (failures >= FAILURES) return true;
        return failures >= 1 && notAfter != null && !now.plus(EXPIRING).isBefore(notAfter);
    }
}
