package dev.berth.cli;

/** One thing the CLI was asked to do, as parsed from its arguments. */
public sealed interface Command {
    /**
     * Signs in to {@code platform}: with a token read from stdin, or through the browser (a person
     * approves the code printed; the platform mints the token), opening it unless told not to.
     */
    record Login(String platform, How how) implements Command {
    }

    /** How {@link Login} gets its token. */
    enum How { TOKEN_STDIN, BROWSER, BROWSER_PRINT_ONLY }

    /** Forgets the stored token of the platform in use. */
    record Logout() implements Command {
    }

    record Apps() implements Command {
    }

    record Status(String app) implements Command {
    }

    /** @param replica one replica's log, or null for every replica of the app */
    record Logs(String app, String replica, boolean follow, int lines) implements Command {
    }

    record Deploys(String app, int limit) implements Command {
    }

    record Rollback(String app, long revision, String reason) implements Command {
    }

    /** The value comes from stdin, never from the command line (which every user of the machine can read). */
    record SecretSet(String app, String name) implements Command {
    }

    record Open(String app) implements Command {
    }

    record Help() implements Command {
    }
}
