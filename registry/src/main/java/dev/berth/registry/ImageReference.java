package dev.berth.registry;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed image reference such as {@code 127.0.0.1:5000/acme/web:1.4} or
 * {@code nginx@sha256:...}, normalised the way Docker does: {@code docker.io} and names without a
 * registry host become {@code registry-1.docker.io}, single-component Docker Hub names get the
 * {@code library/} prefix, and {@code latest} is the tag when neither tag nor digest is given.
 *
 * @param registry   host[:port] of the registry, never null
 * @param repository repository path inside the registry, lowercase, never null
 * @param tag        tag, or null when the reference only has a digest
 * @param digest     {@code sha256:<64 hex>}, or null; when present it wins over the tag for fetching
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    /** The host Docker Hub's registry API is served from. */
    public static final String DOCKER_HUB = "registry-1.docker.io";

    private static final int MAX_NAME_LENGTH = 255;
    private static final Pattern HOST_COMPONENT = Pattern.compile("[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    public ImageReference {
        checkRegistry(registry);
        checkRepository(repository);
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("tag '" + tag + "' is not valid (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')");
        }
        if (digest != null) Digests.check(digest);
        if (tag == null && digest == null) {
            throw new IllegalArgumentException("an image reference needs a tag or a digest");
        }
    }

    /**
     * Parses a reference in the Docker/OCI grammar.
     *
     * @throws IllegalArgumentException naming the offending part of {@code text}
     */
    public static ImageReference parse(String text) {
        Objects.requireNonNull(text, "text");
        try {
            return doParse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid image reference \"" + text + "\": " + e.getMessage(), e);
        }
    }

    private static ImageReference doParse(String text) {
        if (text.isEmpty()) throw new IllegalArgumentException("it is empty");
        if (!text.strip().equals(text)) throw new IllegalArgumentException("it has leading or trailing whitespace");
        if (text.startsWith("[")) {
            throw new IllegalArgumentException("IPv6 literal registry hosts are not supported; use a host name");
        }
        String rest = text;
        String digest = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (digest.isEmpty()) throw new IllegalArgumentException("the digest after '@' is empty");
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (tag.isEmpty()) throw new IllegalArgumentException("the tag after ':' is empty");
        }
        if (rest.isEmpty()) throw new IllegalArgumentException("the repository name is empty");
        String registry;
        String repository;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        if (slash >= 0 && isRegistryHost(first)) {
            registry = first;
            repository = rest.substring(slash + 1);
        } else {
            registry = DOCKER_HUB;
            repository = rest;
        }
        if (registry.equals("docker.io") || registry.equals("index.docker.io")) registry = DOCKER_HUB;
        if (registry.equals(DOCKER_HUB) && repository.indexOf('/') < 0) repository = "library/" + repository;
        if (tag == null && digest == null) tag = "latest";
        if (registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("the name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return new ImageReference(registry, repository, tag, digest);
    }

    // Docker's rule: the first component is a host when it looks like one (dot, port, localhost) or
    // is not a valid lowercase path component.
    private static boolean isRegistryHost(String first) {
        return first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(java.util.Locale.ROOT)) || first.startsWith("[");
    }

    private static void checkRegistry(String registry) {
        if (registry == null || registry.isEmpty()) throw new IllegalArgumentException("the registry host is empty");
        if (registry.startsWith("[") || registry.chars().filter(c -> c == ':').count() > 1) {
            throw new IllegalArgumentException("IPv6 literal registry hosts are not supported: '" + registry + "'; use a host name");
        }
        String host = registry;
        int colon = registry.indexOf(':');
        if (colon >= 0) {
            host = registry.substring(0, colon);
            String port = registry.substring(colon + 1);
            if (!PORT.matcher(port).matches() || Integer.parseInt(port) == 0 || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("registry port '" + port + "' is not a number between 1 and 65535");
            }
        }
        for (String component : host.split("\\.", -1)) {
            if (!HOST_COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("registry host '" + host + "' is not a valid host name");
            }
        }
    }

    private static void checkRepository(String repository) {
        if (repository == null || repository.isEmpty()) throw new IllegalArgumentException("the repository name is empty");
        for (String component : repository.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                if (!component.equals(component.toLowerCase(java.util.Locale.ROOT))) {
                    throw new IllegalArgumentException("repository '" + repository + "' must be lowercase");
                }
                throw new IllegalArgumentException("repository component '" + component + "' in '" + repository
                        + "' is not valid (lowercase letters and digits, separated by '.', '_', '__' or '-')");
            }
        }
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
        return repositoryName() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
