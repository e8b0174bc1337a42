package dev.berth.agent.protocol;

/**
 * One item of the isolation report the agent measured on the live process, such as
 * {@code no_new_privs} or {@code uid_map}: whether it held, what was expected and what was seen.
 */
public record IsolationCheck(String name, boolean passed, String expected, String actual) {
}
