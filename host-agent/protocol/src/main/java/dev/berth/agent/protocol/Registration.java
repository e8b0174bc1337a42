package dev.berth.agent.protocol;

/**
 * An agent's first call to the platform ({@code POST /agent/v1/register}): the single-use join
 * token a platform admin created, and what the host is. Answered by {@link Registered}.
 *
 * @param version wire-format version, {@link #VERSION}
 * @param publicKey the agent's own TLS key, base64 of its X.509 SubjectPublicKeyInfo (DER): the
 *                  platform answers with a certificate for it; null from an agent without peers
 */
public record Registration(int version, String joinToken, String hostname, HostCapacity capacity, String agentVersion,
                           String publicKey) {
    public static final int VERSION = 1;

    /** Never prints the join token. */
    @Override
    public String toString() {
        return "Registration[version=" + version + ", hostname=" + hostname + ", capacity=" + capacity
                + ", agentVersion=" + agentVersion + ", publicKey=" + (publicKey != null) + "]";
    }
}
