package dev.berth.agent.link;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an agent may reach its platform: over {@code https://} anywhere, over plain
 * {@code http://} only on this host's loopback (127.0.0.0/8, ::1, localhost), where nobody on the
 * network can read the credential or forge assignments. Pure: no name is resolved.
 */
public final class PlatformAddress {
    private PlatformAddress() {
    }

    /**
     * The platform URL, checked.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}, for {@code --platform}
     */
    public static URI parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--platform must be an https:// URL, not '" + text + "'");
        }
        refusal(uri).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        return uri;
    }

    /**
     * {@code URL1,URL2,...}: the instances of one platform, each checked as {@link #parse} does,
     * none twice (a trailing slash and the case of scheme and host do not make another).
     *
     * @throws IllegalArgumentException naming the URL that is wrong (or given twice), for {@code --platform}
     */
    public static List<URI> parseList(String text) {
        var uris = new ArrayList<URI>();
        var seen = new HashMap<String, String>();
        for (String part : text.split(",", -1)) {
            String one = part.strip();
            if (one.isEmpty()) {
                throw new IllegalArgumentException("--platform takes URLs separated by commas, with none empty, not '" + text + "'");
            }
            URI uri = parse(one);
            String earlier = seen.putIfAbsent(sameness(uri), one);
            if (earlier != null) {
                throw new IllegalArgumentException("--platform names " + one + " twice" + (earlier.equals(one) ? "" : " (also as " + earlier + ")")
                        + "; give each platform instance once");
            }
            uris.add(uri);
        }
        return List.copyOf(uris);
    }

    /** The instances as a log line or message names them: {@code URL1, URL2}. */
    public static String names(List<URI> uris) {
        return String.join(", ", uris.stream().map(URI::toString).toList());
    }

    private static String sameness(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** Why the agent may not talk to {@code uri}; empty when it may. */
    public static Optional<String> refusal(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            return Optional.of("--platform must be an https:// URL, not '" + uri + "'");
        }
        if (scheme.equals("http") && !loopback(uri.getHost())) {
            return Optional.of("--platform " + uri + " is plain http:// to another machine, where anyone on the way can read "
                    + "this host's credential and forge its assignments; use https://" + uri.getRawAuthority()
                    + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + " (plain http:// is allowed only on this host: 127.0.0.1, [::1], localhost)");
        }
        return Optional.empty();
    }

    /** Whether {@code host} (as a URI gives it, IPv6 in brackets) is this host's loopback, without resolving a name. */
    static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) return true;
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.contains(":") && !literal.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) return false; // a name: not resolved
        try {
            return InetAddress.ofLiteral(literal).isLoopbackAddress();
        } catch (IllegalArgumentException notALiteral) {
            return false;
        }
    }
}
