package dev.berth.image;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed image reference such as {@code 127.0.0.1:5000/acme/web:1.4} or
 * {@code nginx@sha256:...}, normalised the way Docker does: {@code docker.io} and names without a
 * registry host become {@code registry-1.docker.io}, single-component Docker Hub names get the
 * {@code library/} prefix, and {@code latest} is the tag when neither tag nor digest is given.
 * The one parser of image references: berth.yaml checks, tag resolution, pulls and pinning all use it.
 *
 * @param registry   host[:port] of the registry, never null
 * @param repository repository path inside the registry, lowercase, never null
 * @param tag        tag, or null when the reference only has a digest
 * @param digest     {@code sha256:<64 hex>}, or null; when present it wins over the tag for fetching
 * @throws InvalidImageReference when a part is not valid
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    /** The host Docker Hub's registry API is served from. */
    public static final String DOCKER_HUB = "registry-1.docker.io";

    /** The longest reference text accepted; no valid reference comes near it. */
    static final int MAX_LENGTH = 512;
    private static final int MAX_NAME_LENGTH = 255;
    private static final int MAX_QUOTED = 60;
    private static final Pattern HOST_COMPONENT = Pattern.compile("[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    public ImageReference {
        String problem = problem(registry, repository, tag, digest);
        if (problem != null) {
            throw new InvalidImageReference(text(registry, repository, tag, digest), problem);
        }
    }

    /**
     * Parses a reference in the Docker/OCI grammar.
     *
     * @throws InvalidImageReference naming the offending part of {@code text}
     */
    public static ImageReference parse(String text) {
        Objects.requireNonNull(text, "text");
        Written written = Written.split(text);
        String registry;
        String repository;
        int slash = written.name.indexOf('/');
        String first = slash < 0 ? written.name : written.name.substring(0, slash);
        if (slash >= 0 && isRegistryHost(first)) {
            registry = first;
            repository = written.name.substring(slash + 1);
        } else {
            registry = DOCKER_HUB;
            repository = written.name;
        }
        if (registry.equals("docker.io") || registry.equals("index.docker.io")) registry = DOCKER_HUB;
        if (registry.equals(DOCKER_HUB) && repository.indexOf('/') < 0) repository = "library/" + repository;
        String tag = written.tag == null && written.digest == null ? "latest" : written.tag;
        String problem = problem(registry, repository, tag, written.digest);
        if (problem != null) throw new InvalidImageReference(text, problem);
        return new ImageReference(registry, repository, tag, written.digest);
    }

    /**
     * {@code image} pinned to {@code digest} with its name kept as written: {@code acme/web:1.4}
     * becomes {@code acme/web@sha256:...} (any tag or earlier digest is dropped).
     *
     * @throws InvalidImageReference when {@code image} is not a valid reference or {@code digest} not a digest
     */
    public static String pin(String image, String digest) {
        parse(image);
        String written = Written.split(image).name;
        parse(written + "@" + Objects.requireNonNull(digest, "digest"));
        return written + "@" + digest;
    }

    /** {@code registry/repository}, without tag or digest. */
    public String repositoryName() {
        return registry + "/" + repository;
    }

    /** This reference pinned to {@code digest}, keeping the tag for display. */
    public ImageReference withDigest(String digest) {
        return new ImageReference(registry, repository, tag, Objects.requireNonNull(digest, "digest"));
    }

    /** The tag or digest to fetch the manifest by: the digest if there is one. */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    /** The canonical form, e.g. {@code 127.0.0.1:5000/acme/web:1.4@sha256:...}; it parses back to this. */
    @Override
    public String toString() {
        return text(registry, repository, tag, digest);
    }

    private static String text(String registry, String repository, String tag, String digest) {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** The reference split as written, before any default: name, then tag and digest (each null when absent). */
    private record Written(String name, String tag, String digest) {
        static Written split(String text) {
            if (text.isEmpty()) throw new InvalidImageReference(text, "is empty");
            if (text.length() > MAX_LENGTH) throw new InvalidImageReference(text, "is longer than " + MAX_LENGTH + " characters");
            if (!text.strip().equals(text)) throw new InvalidImageReference(text, "has leading or trailing whitespace");
            if (text.startsWith("[")) throw new InvalidImageReference(text, ipv6());
            String rest = text;
            String digest = null;
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                digest = rest.substring(at + 1);
                rest = rest.substring(0, at);
            }
            String tag = null;
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
            return new Written(rest, tag, digest);
        }
    }

    // Docker's rule: the first component is a host when it looks like one (dot, port, localhost) or
    // is not a valid lowercase path component.
    private static boolean isRegistryHost(String first) {
        return first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(Locale.ROOT));
    }

    /** Null when the parts make a valid reference, otherwise what is wrong, as a sentence part after "it". */
    private static String problem(String registry, String repository, String tag, String digest) {
        if (digest != null && !DIGEST.matcher(digest).matches()) {
            return "has a digest that is not 'sha256:' followed by 64 lowercase hex digits";
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            return "has a tag that is not 1 to 128 letters, digits, '_', '.' or '-' (not starting with '.' or '-')";
        }
        if (tag == null && digest == null) return "has neither a tag nor a digest";
        String wrong = registryProblem(registry);
        if (wrong != null) return wrong;
        wrong = repositoryProblem(repository);
        if (wrong != null) return wrong;
        if (registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
            return "has a name longer than " + MAX_NAME_LENGTH + " characters";
        }
        return null;
    }

    private static String registryProblem(String registry) {
        if (registry == null || registry.isEmpty()) return "has an empty registry host";
        if (registry.startsWith("[") || registry.chars().filter(c -> c == ':').count() > 1) return ipv6();
        String host = registry;
        int colon = registry.indexOf(':');
        if (colon >= 0) {
            host = registry.substring(0, colon);
            String port = registry.substring(colon + 1);
            if (!PORT.matcher(port).matches() || Integer.parseInt(port) == 0 || Integer.parseInt(port) > 65535) {
                return "has a registry port '" + clip(port) + "' that is not a number between 1 and 65535";
            }
        }
        for (String component : host.split("\\.", -1)) {
            if (!HOST_COMPONENT.matcher(component).matches()) return "has an invalid registry host '" + clip(host) + "'";
        }
        return null;
    }

    private static String repositoryProblem(String repository) {
        if (repository == null || repository.isEmpty()) return "has an empty path component";
        for (String component : repository.split("/", -1)) {
            if (component.isEmpty()) return "has an empty path component";
            if (PATH_COMPONENT.matcher(component).matches()) continue;
            return component.chars().anyMatch(Character::isUpperCase)
                    ? "has a path component '" + clip(component) + "' that is not lowercase"
                    : "has an invalid path component '" + clip(component)
                            + "' (lowercase letters and digits, separated by '.', '_', '__' or '-')";
        }
        return null;
    }

    private static String ipv6() {
        return "has an IPv6 literal registry host, which is not supported; use a host name";
    }

    /** At most {@value #MAX_QUOTED} characters of {@code s} on one line, for quoting it in a message. */
    static String clip(String s) {
        String oneLine = s.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() <= MAX_QUOTED ? oneLine : oneLine.substring(0, MAX_QUOTED) + "…";
    }
}
