package dev.berth.cli;

/**
 * What the CLI's exit status means; scripts rely on these numbers, so they never change meaning.
 * README lists them.
 */
public enum ExitCode {
    /** The command did what it was asked. */
    OK(0),
    /** The platform refused or failed the request (a conflict, invalid input it found, a server error), or could not be reached. */
    FAILED(1),
    /** The command line itself is wrong: an unknown command or option, a missing or extra argument. */
    USAGE(2),
    /** Not signed in, the token is not accepted (401), or the caller may not do this (403). */
    NOT_ALLOWED(3),
    /** The team, app, revision or replica named does not exist (404). */
    NOT_FOUND(4);

    private final int status;

    ExitCode(int status) {
        this.status = status;
    }

    /** The process exit status. */
    public int status() {
        return status;
    }
}
