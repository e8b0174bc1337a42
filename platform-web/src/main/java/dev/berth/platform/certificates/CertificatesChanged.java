package dev.berth.platform.certificates;

/**
 * Published (after the change committed, on the instance that made it) when the certificate
 * edges should serve for {@code host} changed: issued or renewed by the ACME CA, uploaded, or an
 * upload deleted. The integrator moves the edge hosts' generations so their assignments carry it.
 */
public record CertificatesChanged(String host) {
}
