package dev.berth.agent.protocol;

/**
 * The platform's answer to a {@link Registration}: the host's id and its own credential,
 * {@code berth-agent_<hostId>_<secret>}, shown this once. The agent presents it as
 * {@code Authorization: Bearer ...} on every later call; the platform keeps only its hash.
 *
 * @param version wire-format version, {@link #VERSION}
 * @param certificate the host's TLS certificate (PEM) for the key it registered, issued by the
 *                    platform's CA for agent-to-agent connections; null when it sent no key
 * @param caCertificate the platform CA's certificate (PEM): the only issuer agents trust from each other
 */
public record Registered(int version, String hostId, String credential, String certificate, String caCertificate) {
    public static final int VERSION = 1;

    /** Never prints the credential. */
    @Override
    public String toString() {
        return "Registered[version=" + version + ", hostId=" + hostId + "]";
    }
}
