package dev.berth.agent.edge;

/** A certificate chain and its private key, opened, for Caddy's configuration alone; never printed. */
record OpenedCertificate(String host, String chainPem, String keyPem) {
    @Override
    public String toString() {
        return "OpenedCertificate[host=" + host + "]";
    }
}
