package dev.berth.platform.problem;

/**
 * A request that cannot be done, with a sentence that says why. Each kind maps to one HTTP
 * status; the API turns it into an RFC 9457 problem and the dashboard into a notification.
 */
public sealed abstract class Problem extends RuntimeException {
    protected Problem(String message) {
        super(message);
    }

    public abstract int status();

    public abstract String title();

    /** The thing does not exist, or the caller may not know that it does. */
    public static final class NotFound extends Problem {
        public NotFound(String message) { super(message); }
        @Override public int status() { return 404; }
        @Override public String title() { return "Not found"; }
    }

    /** The caller is known but lacks the role for this action. */
    public static final class Forbidden extends Problem {
        public Forbidden(String message) { super(message); }
        @Override public int status() { return 403; }
        @Override public String title() { return "Forbidden"; }
    }

    /** The request clashes with existing state (a name already taken, say). */
    public static final class Conflict extends Problem {
        public Conflict(String message) { super(message); }
        @Override public int status() { return 409; }
        @Override public String title() { return "Conflict"; }
    }

    /** The credentials or signature presented do not prove who is calling. */
    public static final class Unauthorized extends Problem {
        public Unauthorized(String message) { super(message); }
        @Override public int status() { return 401; }
        @Override public String title() { return "Unauthorized"; }
    }

    /** The input itself is wrong. */
    public static final class Invalid extends Problem {
        public Invalid(String message) { super(message); }
        @Override public int status() { return 400; }
        @Override public String title() { return "Invalid request"; }
    }

    /** The caller asked too often; the sentence says when to try again. */
    public static final class TooManyRequests extends Problem {
        public TooManyRequests(String message) { super(message); }
        @Override public int status() { return 429; }
        @Override public String title() { return "Too many requests"; }
    }

    /** The request body is larger than the endpoint accepts. */
    public static final class TooLarge extends Problem {
        public TooLarge(String message) { super(message); }
        @Override public int status() { return 413; }
        @Override public String title() { return "Request body too large"; }
    }
}
