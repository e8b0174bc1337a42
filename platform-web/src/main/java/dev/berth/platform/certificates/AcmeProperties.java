package dev.berth.platform.certificates;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code berth.acme.*}: where the platform orders route certificates and on what terms.
 *
 * @param directory     the ACME directory URL (default Let's Encrypt production); its host must pass
 *                      the platform's address policy ({@code berth.network.allowed-private-targets})
 * @param email         the account's contact, optional
 * @param agreeToTerms  the administrator accepts the CA's terms of service; nothing is ordered without it
 * @param caFile        a PEM file of the CA that signs the ACME server's TLS certificate (a test CA
 *                      such as Pebble); unset, the JDK's trust store
 * @param dnsServer     {@code HOST:PORT} of the DNS server the pre-order check asks directly;
 *                      unset, the system resolver
 * @param orderTimeout  how long one order may take: edges serving the challenge, the CA validating it,
 *                      the certificate issued (default 5 minutes)
 */
@ConfigurationProperties("berth.acme")
public record AcmeProperties(URI directory, String email, boolean agreeToTerms, Path caFile, String dnsServer,
                             Duration orderTimeout) {
    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");

    public AcmeProperties {
        if (directory == null) directory = LETS_ENCRYPT;
        if (!"https".equals(directory.getScheme()) || directory.getHost() == null) {
            throw new IllegalArgumentException("berth.acme.directory must be an https URL, not '" + directory + "'");
        }
        if (email != null && email.isBlank()) email = null;
        if (dnsServer != null && dnsServer.isBlank()) dnsServer = null;
        if (dnsServer != null && !dnsServer.matches("[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}")) {
            throw new IllegalArgumentException("berth.acme.dns-server must be HOST:PORT, not '" + dnsServer + "'");
        }
        if (orderTimeout == null) orderTimeout = Duration.ofMinutes(5);
        if (orderTimeout.compareTo(Duration.ofSeconds(5)) < 0) {
            throw new IllegalArgumentException("berth.acme.order-timeout must be at least 5 seconds, not " + orderTimeout);
        }
    }

    /** Whether the directory is Let's Encrypt's, so messages can name the CA the way people know it. */
    String caName() {
        String host = directory.getHost();
        return host.endsWith("letsencrypt.org") ? "Let's Encrypt" : "the ACME CA at " + host;
    }
}
