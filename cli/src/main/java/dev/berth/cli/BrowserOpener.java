package dev.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens an address in the user's browser when there is one to open: {@code $BROWSER} if set,
 * else {@code xdg-open} on the PATH when a display is there. Never fails a command: the address
 * is always printed as well, and whoever cannot open it here opens it elsewhere.
 */
final class BrowserOpener {
    private BrowserOpener() {
    }

    /** Starts the browser without waiting for it; true when something was started. */
    static boolean open(Terminal terminal, String url) {
        var command = command(terminal, url);
        if (command.isEmpty()) return false;
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            return true;
        } catch (IOException e) {
            terminal.err().println("berth: could not start " + command.getFirst() + " (" + e.getMessage() + "); open the address above");
            return false;
        }
    }

    /** What would open {@code url} here; empty when nothing would. Pure but for looking at the PATH. */
    static List<String> command(Terminal terminal, String url) {
        String browser = terminal.env().get("BROWSER");
        if (browser != null && !browser.isBlank()) {
            // $BROWSER is a colon-separated list of commands, %s standing for the address (else it goes last).
            String first = browser.split(":")[0].strip();
            var words = new ArrayList<String>();
            boolean placed = false;
            for (String word : first.split("\\s+")) {
                if (word.contains("%s")) {
                    words.add(word.replace("%s", url));
                    placed = true;
                } else if (!word.isEmpty()) {
                    words.add(word);
                }
            }
            if (!placed) words.add(url);
            return words;
        }
        var opener = onPath(terminal, "xdg-open");
        boolean display = terminal.env().containsKey("DISPLAY") || terminal.env().containsKey("WAYLAND_DISPLAY");
        return opener != null && display ? List.of(opener.toString(), url) : List.of();
    }

    private static Path onPath(Terminal terminal, String name) {
        for (String dir : terminal.env().getOrDefault("PATH", "").split(":")) {
            if (dir.isBlank()) continue;
            var candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }
}
