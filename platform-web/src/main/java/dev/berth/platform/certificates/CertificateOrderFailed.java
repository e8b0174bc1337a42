package dev.berth.platform.certificates;

import java.time.Instant;

/**
 * Published once a failed ACME order for {@code host} is recorded, outside any transaction.
 *
 * @param failures    failed orders in a row, this one included
 * @param notAfter    when the certificate the host has expires; null when it has none
 * @param nextAttempt when the next order is placed
 */
public record CertificateOrderFailed(String host, String error, int failures, Instant notAfter, Instant at, Instant nextAttempt) {
}
