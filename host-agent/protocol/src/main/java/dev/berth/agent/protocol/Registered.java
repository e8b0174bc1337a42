package dev.berth.agent.protocol;

/**
 * The platform's answer to a {@link Registration}: the host's id and its own credential,
 * {@code berth-agent_<hostId>_<secret>}, shown this once. The agent presents it as
 * {@code Authorization: Bearer ...} on every later call; the platform keeps only its hash.
 *
 * @param version wire-format version, {@link #VERSION}
 */
public record Registered(int version, String hostId, String credential) {
    public static final int VERSION = 1;

    /** Never prints the credential. */
    @Override
    public String toString() {
        return "Registered[version=" + version + ", hostId=" + hostId + "]";
    }
}
