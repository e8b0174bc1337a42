package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What one run of the CLI reads and writes: stdin, stdout, stderr and the environment. The
 * process passes its own; tests pass theirs and run the CLI in-process.
 */
public record Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    public Terminal {
        env = Map.copyOf(env);
    }

    public static Terminal ofProcess() {
        return new Terminal(System.in, System.out, System.err, System.getenv());
    }

    /**
     * Stdin as text, at most {@code max} bytes; {@code what} names it in the error. One trailing
     * line break goes (what {@code echo} adds); anything else is kept as given.
     */
    public String readStdin(int max, String what) {
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
