package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The text form of the API's answers about apps, for people; pure. {@code --output json} prints the answers as they are. */
public final class AppViews {
    private AppViews() {
    }

    /** {@code GET /api/v1/teams/{team}/apps}: one row per app. */
    public static String apps(JsonNode apps) {
        if (apps.isEmpty()) return "no apps\n";
        var table = Table.of("NAME", "REVISION", "REPLICAS", "HOSTS", "LAST DEPLOYMENT");
        for (var app : apps) {
            table = table.row(text(app, "name"), "r" + app.path("revision").asLong(),
                    app.path("healthy").asInt() + "/" + app.path("desired").asInt() + " healthy",
                    String.join(",", strings(app.path("hosts"))), deployment(app.path("lastDeployment")));
        }
        return table.render();
    }

    /** {@code GET …/apps/{app}}: what should run, what runs, what differs. */
    public static String status(JsonNode app) {
        var out = new StringBuilder();
        out.append("app ").append(text(app, "name")).append(" (team ").append(text(app, "team")).append(")\n");
        out.append("revision r").append(app.path("revision").asLong()).append(" (commit ").append(shortCommit(text(app, "commit")))
                .append("), ").append(app.path("desired").asInt()).append(" replicas desired\n");
        var deployment = app.path("deployment");
        if (deployment.isObject()) {
            out.append("deployment ").append(deployment.path("id").asLong()).append(": ").append(deployment(deployment));
            String message = text(deployment, "message");
            if (message != null && !message.isBlank()) out.append(" - ").append(message.strip());
            out.append('\n');
        }
        var replicas = app.path("replicas");
        if (replicas.isEmpty()) {
            out.append("no replicas\n");
        } else {
            var table = Table.of("REPLICA", "HOST", "REVISION", "STATE", "HEALTH", "RESTARTS", "ADDRESSES");
            for (var r : replicas) {
                String host = text(r, "hostname") + (r.path("hostAlive").asBoolean() ? "" : " (not alive)");
                String state = text(r, "state") + (r.path("serving").asBoolean(true) ? "" : ", held out of traffic");
                var addresses = new ArrayList<String>();
                for (var p : r.path("published")) addresses.add(text(p, "address") + "->" + p.path("containerPort").asInt());
                table = table.row(text(r, "id"), host, "r" + r.path("revision").asLong(), state, text(r, "health"),
                        Integer.toString(r.path("restarts").asInt()), String.join(",", addresses));
            }
            out.append(table.render());
        }
        var missing = strings(app.path("missingSecrets"));
        if (!missing.isEmpty()) out.append("missing secrets: ").append(String.join(", ", missing)).append('\n');
        var differences = strings(app.path("differences"));
        if (differences.isEmpty()) {
            out.append("no differences: what runs is what should run\n");
        } else {
            out.append("differences:\n");
            for (String d : differences) out.append("  - ").append(d).append('\n');
        }
        return out.toString();
    }

    /** {@code GET …/apps/{app}/deployments}: the timeline, newest first. */
    public static String deploys(JsonNode deployments) {
        if (deployments.isEmpty()) return "no deployments\n";
        var table = Table.of("ID", "REVISION", "KIND", "STATE", "BY", "STARTED", "FINISHED", "REASON OR MESSAGE");
        for (var d : deployments) {
            String reason = text(d, "reason");
            table = table.row(Long.toString(d.path("id").asLong()), "r" + d.path("revision").asLong(), text(d, "kind"),
                    text(d, "state"), text(d, "createdBy"), text(d, "startedAt"), text(d, "finishedAt"),
                    reason != null && !reason.isBlank() ? reason : text(d, "message"));
        }
        return table.render();
    }

    /** The addresses people open: each route's {@code https://host/path}. */
    public static List<String> urls(JsonNode app) {
        var urls = new ArrayList<String>();
        for (var route : app.path("routes")) {
            String path = text(route, "path");
            urls.add("https://" + text(route, "host") + (path == null || path.equals("/") ? "/" : path));
        }
        return urls;
    }

    private static String deployment(JsonNode d) {
        if (!d.isObject()) return null;
        return text(d, "kind") + " of r" + d.path("revision").asLong() + " " + text(d, "state");
    }

    private static String shortCommit(String commit) {
        return commit == null ? "-" : commit.substring(0, Math.min(12, commit.length()));
    }

    static String text(JsonNode node, String field) {
        var value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asString();
    }

    private static List<String> strings(JsonNode array) {
        var out = new ArrayList<String>();
        for (var item : array) out.add(item.asString());
        return out;
    }
}
