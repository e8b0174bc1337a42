package dev.berth.agent.protocol;

/**
 * The certificate an edge presents for {@code host}: issued by an ACME CA for the platform, or
 * uploaded by the app's team. The private key travels only {@link SealedKey sealed} to the edge
 * agent's own key, so neither the wire nor a log of the assignment reveals it.
 *
 * @param host the DNS name the certificate serves
 * @param chainPem the certificate and its intermediates, PEM, leaf first
 * @param key the private key (PKCS#8 PEM) sealed to this host's agent key
 */
public record EdgeCertificate(String host, String chainPem, SealedKey key) {
}
