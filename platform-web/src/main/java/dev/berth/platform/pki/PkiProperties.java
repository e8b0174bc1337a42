package dev.berth.platform.pki;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code berth.pki.*}: how long a certificate issued to an agent lasts. Agents renew when a third
 * of it remains, so the platform may be unreachable for that long without breaking their links.
 *
 * @param certificateLifetime an agent certificate's validity (default 30 days, 1 hour to 365 days)
 */
@ConfigurationProperties("berth.pki")
public record PkiProperties(Duration certificateLifetime) {
    public static final Duration MIN_LIFETIME = Duration.ofHours(1);
    public static final Duration MAX_LIFETIME = Duration.ofDays(365);

    public PkiProperties {
        if (certificateLifetime == null) certificateLifetime = Duration.ofDays(30);
        if (certificateLifetime.compareTo(MIN_LIFETIME) < 0 || certificateLifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("berth.pki.certificate-lifetime must be between 1 hour and 365 days, not "
                    + certificateLifetime);
        }
    }
}
