package dev.berth.agent.protocol;

/**
 * An agent asking for a fresh certificate before its current one expires
 * ({@code POST /agent/v1/certificate}, authenticated with the agent's credential).
 *
 * @param version wire-format version, {@link #VERSION}
 * @param publicKey the key to certify, base64 of its X.509 SubjectPublicKeyInfo (DER)
 */
public record CertificateRequest(int version, String publicKey) {
    public static final int VERSION = 1;
}
