package dev.berth.platform.apps;

import dev.berth.platform.certificates.CertificateState;

/**
 * One route of an app's current revision, as people read it on the app's page: requests for
 * {@code host} under {@code path} go to its port {@code port}, over HTTPS with {@code certificate}.
 *
 * @param byDefault whether it is the app's default host under the apps domain rather than a berth.yaml entry
 */
public record AppRoute(String host, String path, String port, boolean byDefault, CertificateState certificate) {
    /** The address people type, {@code https://host/path}. */
    public String url() {
        return "https://" + host + (path.equals("/") ? "/" : path);
    }
}
