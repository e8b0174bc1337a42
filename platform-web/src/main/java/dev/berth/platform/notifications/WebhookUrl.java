package dev.berth.platform.notifications;

import dev.berth.platform.problem.Problem;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Checks the form of an endpoint's URL, pure: where it may lead is {@link WebhookSender}'s to check. */
final class WebhookUrl {
    static final int MAX_LENGTH = 2048;

    private WebhookUrl() {
    }

    /** @throws Problem.Invalid saying what is wrong with {@code url} */
    static URI parse(String url) {
        if (url == null || url.isBlank()) throw new Problem.Invalid("url: required, an http or https URL");
        if (url.length() > MAX_LENGTH) throw new Problem.Invalid("url: longer than " + MAX_LENGTH + " characters");
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Problem.Invalid("url: not a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Problem.Invalid("url: must start with https:// or http://, not '" + scheme + ":'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) throw new Problem.Invalid("url: has no host name");
        if (uri.getRawUserInfo() != null) {
            throw new Problem.Invalid("url: must not carry a user name or password; receivers check the signature instead");
        }
        if (uri.getRawFragment() != null) throw new Problem.Invalid("url: must not have a #fragment");
        return uri;
    }

    /** Scheme, host and port only: what the audit log keeps, since paths of chat webhooks are secrets themselves. */
    static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
