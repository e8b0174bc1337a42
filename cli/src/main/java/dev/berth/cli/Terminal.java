package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What one run of the CLI reads and writes: stdin, stdout, stderr and the environment, and the
 * console when stdin is a terminal (else null). The process passes its own; tests pass theirs and
 * run the CLI in-process.
 */
public record Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, java.io.Console console) {
    public Terminal {
        env = Map.copyOf(env);
    }

    /** Without a console: stdin is a pipe or a file. */
    public Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this(in, out, err, env, null);
    }

    public static Terminal ofProcess() {
        var console = System.console();
        return new Terminal(System.in, System.out, System.err, System.getenv(), console != null && console.isTerminal() ? console : null);
    }

    /**
     * Stdin as text, at most {@code max} bytes; {@code what} names it in the error. One trailing
     * line break goes (what {@code echo} adds); anything else is kept as given.
     */
    public String readStdin(int max, String what) {
        if (console != null) {
            // Typed at a terminal: asked for, and not echoed (it is a token or a secret).
            char[] typed = console.readPassword("%s (not shown): ", what);
            if (typed == null) return "";
            String text = new String(typed);
            java.util.Arrays.fill(typed, ' ');
            if (text.getBytes(StandardCharsets.UTF_8).length > max) {
                throw CliFailure.usage(what + " is over " + max + " bytes, the most allowed");
            }
            return text;
        }
        byte[] bytes;
        try {
            bytes = in.readNBytes(max + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + what + " from stdin", e);
        }
        if (bytes.length > max) throw CliFailure.usage(what + " on stdin is over " + max + " bytes, the most allowed");
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.endsWith("\r\n")) return text.substring(0, text.length() - 2);
        if (text.endsWith("\n")) return text.substring(0, text.length() - 1);
        return text;
    }
}
