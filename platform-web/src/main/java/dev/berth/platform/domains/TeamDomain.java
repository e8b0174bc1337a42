package dev.berth.platform.domains;

import java.time.Instant;

/**
 * One host name pattern a team holds.
 *
 * @param pattern {@code shop.example.com} or {@code *.payments.example.com}
 * @param addedBy the platform admin who added it
 * @param addedAt when
 */
public record TeamDomain(String pattern, String addedBy, Instant addedAt) {
}
