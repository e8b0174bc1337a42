package dev.berth.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code berth logs}: each replica's newest lines, then with {@code -f} the lines since, polled
 * (the API answers pages after a sequence number; it has no stream). Replicas that appear while
 * following (a rollout) join in.
 */
final class LogFollower {
    /** How long following waits between polls; the dashboard's live log is no faster. */
    static final Duration POLL = Duration.ofSeconds(2);

    private final PlatformClient api;
    private final String appPath;
    private final CommandLine.Output output;
    private final Terminal terminal;

    LogFollower(PlatformClient api, String appPath, CommandLine.Output output, Terminal terminal) {
        this.api = api;
        this.appPath = appPath;
        this.output = output;
        this.terminal = terminal;
    }

    void run(Command.Logs logs) {
        var last = new LinkedHashMap<String, Long>();
        boolean first = true;
        while (true) {
            var replicas = logs.replica() != null ? List.of(logs.replica()) : replicas();
            if (first && replicas.isEmpty() && !logs.follow()) {
                terminal.err().println("berth: " + logs.app() + " has no replicas, so no logs");
                return;
            }
            for (String replica : replicas) {
                Long after = last.get(replica);
                var page = api.get(appPath + "/logs?replica=" + PlatformClient.segment(replica)
                        + (after == null ? "&limit=" + logs.lines() : "&after=" + after + "&limit=2000"));
                last.put(replica, page.path("last").asLong());
                print(page, replicas.size() > 1 ? "[" + replica + "] " : "");
            }
            terminal.out().flush();
            if (!logs.follow()) return;
            first = false;
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private List<String> replicas() {
        var ids = new ArrayList<String>();
        for (var replica : api.get(appPath).path("replicas")) ids.add(AppViews.text(replica, "id"));
        return ids;
    }

    private void print(JsonNode page, String prefix) {
        if (output == CommandLine.Output.JSON) {
            // JSON Lines: one page per line, so a follower's output can be read as it comes.
            if (!page.path("lines").isEmpty()) terminal.out().println(PlatformClient.JSON.writeValueAsString(page));
            return;
        }
        for (var line : page.path("lines")) terminal.out().println(prefix + AppViews.text(line, "text"));
    }
}
