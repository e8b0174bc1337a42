package dev.berth.gitsync.hosted;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a request to the git servlet asks for, decided once from its path, query and method: one
 * repository and one {@link Service}, or a refusal. Who may do it is decided from this and only
 * this, and the servlet serves only what this names, so the two can never disagree.
 *
 * <p>Git clients send only canonical paths (team and repository names are DNS labels, the rest is
 * fixed protocol text), so anything else is refused rather than interpreted: percent-encoding of
 * any character (an encoded letter would be decoded by the servlet container after a check on the
 * raw path), path parameters, empty and dot segments, and queries other than the two
 * {@code service=} values git sends.
 */
public sealed interface GitRoute {
    /** What a service does to the repository, and so which permission it needs. */
    enum Operation { FETCH, PUSH }

    /** Every endpoint of git's smart (and read-only dumb) HTTP protocol that the servlet serves. */
    enum Service {
        /** {@code GET info/refs?service=git-upload-pack}: the refs a fetch starts from. */
        UPLOAD_PACK_ADVERTISEMENT(Operation.FETCH, List.of("GET", "HEAD")),
        /** {@code GET info/refs?service=git-receive-pack}: the refs a push starts from. */
        RECEIVE_PACK_ADVERTISEMENT(Operation.PUSH, List.of("GET", "HEAD")),
        /** {@code POST git-upload-pack}: a fetch. */
        UPLOAD_PACK(Operation.FETCH, List.of("POST")),
        /** {@code POST git-receive-pack}: a push. */
        RECEIVE_PACK(Operation.PUSH, List.of("POST")),
        /** Dumb protocol reads: {@code info/refs} without a service, {@code HEAD}, {@code objects/...}. */
        DUMB_READ(Operation.FETCH, List.of("GET", "HEAD"));

        private final Operation operation;
        private final List<String> methods;

        Service(Operation operation, List<String> methods) {
            this.operation = operation;
            this.methods = methods;
        }

        public Operation operation() {
            return operation;
        }

        /** The HTTP methods this endpoint answers. */
        public List<String> methods() {
            return methods;
        }
    }

    /** A request the servlet may serve: which repository, which service. */
    record To(RepositoryName repository, Service service) implements GitRoute {
        public Operation operation() {
            return service.operation();
        }
    }

    /** A request that must not reach the servlet; {@link #status()} is the HTTP status to answer with. */
    sealed interface Refused extends GitRoute {
        int status();

        /** Says what is wrong with the request, for the caller. */
        String detail();
    }

    /** The path or query is not the one form git sends (400). */
    record NotCanonical(String detail) implements Refused {
        @Override
        public int status() {
            return 400;
        }
    }

    /** No repository or git endpoint at that path (404). */
    record NotFound(String detail) implements Refused {
        @Override
        public int status() {
            return 404;
        }
    }

    /** A git endpoint that does not answer this method (405); {@code allowed} goes in the Allow header. */
    record MethodNotAllowed(String detail, List<String> allowed) implements Refused {
        @Override
        public int status() {
            return 405;
        }
    }

    /**
     * Decides a request.
     *
     * @param method the HTTP method
     * @param path   the path within the git servlet as sent, not decoded: {@code /TEAM/NAME.git/info/refs}
     * @param query  the query string as sent, not decoded, or null
     */
    static GitRoute parse(String method, String path, String query) {
        if (path == null || !path.startsWith("/") || path.equals("/")) return new NotFound("no repository at this path; clone URLs look like /git/TEAM/NAME.git");
        if (path.indexOf('%') >= 0) {
            return new NotCanonical("percent-encoded characters are not accepted in git paths; use the clone URL as Berth shows it");
        }
        if (path.indexOf(';') >= 0) return new NotCanonical("path parameters (';') are not accepted in git paths");
        if (!Grammar.CANONICAL_CHARACTERS.matcher(path).matches()) {
            return new NotCanonical("git paths consist of letters, digits, '.', '_', '-' and '/' only");
        }
        String[] segments = path.substring(1).split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) return new NotCanonical("empty path segments ('//' or a trailing '/') are not accepted in git paths");
            if (segment.equals(".") || segment.equals("..")) return new NotCanonical("'.' and '..' segments are not accepted in git paths");
        }
        if (query != null && !query.isEmpty() && !(query.equals("service=git-upload-pack") || query.equals("service=git-receive-pack"))) {
            return new NotCanonical("the only queries git paths take are service=git-upload-pack and service=git-receive-pack");
        }
        if (segments.length < 3) return new NotFound("no git endpoint at this path; clone URLs look like /git/TEAM/NAME.git");
        String name = segments[1].endsWith(".git") ? segments[1].substring(0, segments[1].length() - 4) : segments[1];
        RepositoryName repository;
        try {
            repository = new RepositoryName(segments[0], name);
        } catch (IllegalArgumentException e) {
            return new NotFound("no repository " + segments[0] + "/" + segments[1]);
        }
        String rest = String.join("/", List.of(segments).subList(2, segments.length));
        boolean hasQuery = query != null && !query.isEmpty();
        Service service;
        if (rest.equals("info/refs")) {
            service = !hasQuery ? Service.DUMB_READ
                    : query.equals("service=git-upload-pack") ? Service.UPLOAD_PACK_ADVERTISEMENT : Service.RECEIVE_PACK_ADVERTISEMENT;
        } else if (hasQuery) {
            return new NotCanonical("only info/refs takes a query");
        } else if (rest.equals("git-upload-pack")) {
            service = Service.UPLOAD_PACK;
        } else if (rest.equals("git-receive-pack")) {
            service = Service.RECEIVE_PACK;
        } else if (Grammar.DUMB_FILES.contains(rest) || Grammar.LOOSE_OBJECT.matcher(rest).matches() || Grammar.PACK_FILE.matcher(rest).matches()) {
            service = Service.DUMB_READ;
        } else {
            return new NotFound("no git endpoint " + rest + " in repository " + repository);
        }
        if (!service.methods().contains(method)) {
            return new MethodNotAllowed(rest + (hasQuery ? "?" + query : "") + " answers " + String.join(" and ", service.methods())
                    + ", not " + method, service.methods());
        }
        return new To(repository, service);
    }
}

/** The fixed text of git's HTTP paths. */
final class Grammar {
    /** Characters a canonical git path consists of; everything else, '%' and ';' included, is refused. */
    static final Pattern CANONICAL_CHARACTERS = Pattern.compile("[A-Za-z0-9._/-]*");
    static final Pattern LOOSE_OBJECT = Pattern.compile("objects/[0-9a-f]{2}/[0-9a-f]{38}");
    static final Pattern PACK_FILE = Pattern.compile("objects/pack/pack-[0-9a-f]{40}\\.(pack|idx)");
    static final List<String> DUMB_FILES = List.of("HEAD", "objects/info/packs", "objects/info/alternates",
            "objects/info/http-alternates");

    private Grammar() {
    }
}
