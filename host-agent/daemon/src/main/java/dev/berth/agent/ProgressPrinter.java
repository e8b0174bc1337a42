package dev.berth.agent;

import java.io.PrintStream;
import tools.jackson.databind.JsonNode;

/** Prints the daemon's pull and import progress events as short lines. */
final class ProgressPrinter {
    private final PrintStream err;

    ProgressPrinter(PrintStream err) {
        this.err = err;
    }

    void print(JsonNode event) {
        String digest = event.path("digest").asString("");
        String shortDigest = digest.length() > 19 ? digest.substring(7, 19) : digest;
        if (event.has("unpacking")) {
            err.printf("%s: unpacking layer %d of %d%n", shortDigest, event.path("unpacking").asInt(), event.path("of").asInt());
        } else {
            long done = event.path("done").asLong();
            long total = event.path("total").asLong();
            err.printf("%s: %s of %s%s%n", shortDigest, human(done), human(total), done >= total ? " done" : "");
        }
        err.flush();
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1 << 20) return String.format("%.1f KiB", bytes / 1024.0);
        if (bytes < 1L << 30) return String.format("%.1f MiB", bytes / (1024.0 * 1024));
        return String.format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
