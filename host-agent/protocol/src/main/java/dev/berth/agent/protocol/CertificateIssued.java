package dev.berth.agent.protocol;

/**
 * The platform's answer to a {@link CertificateRequest}.
 *
 * @param version wire-format version, {@link #VERSION}
 * @param certificate the host's new certificate (PEM)
 * @param caCertificate the platform CA's certificate (PEM)
 */
public record CertificateIssued(int version, String certificate, String caCertificate) {
    public static final int VERSION = 1;
}
