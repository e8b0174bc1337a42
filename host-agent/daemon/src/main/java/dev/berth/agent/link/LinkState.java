package dev.berth.agent.link;

import java.io.PrintStream;

/**
 * The state of one of the link's loops, logged when it changes and not on every attempt, so a
 * platform that is down for an hour costs two log lines, not thousands.
 */
final class LinkState {
    private final PrintStream log;
    private String current = "";

    LinkState(PrintStream log) {
        this.log = log;
    }

    /** Enters {@code state}; prints {@code message} if that is a change. */
    synchronized void is(String state, String message) {
        if (state.equals(current)) return;
        current = state;
        log.println("berth-agent: " + message);
    }

    synchronized String current() {
        return current;
    }
}
