package dev.berth.cli;

import java.util.ArrayList;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The commands about a team's apps, each one or a few calls of the public REST API. */
final class AppCommands {
    /** The platform's limit on a secret's value. */
    static final int MAX_SECRET_BYTES = 64 * 1024;

    private final PlatformClient api;
    private final CommandLine.Options options;
    private final Terminal terminal;

    AppCommands(PlatformClient api, CommandLine.Options options, Terminal terminal) {
        this.api = api;
        this.options = options;
        this.terminal = terminal;
    }

    void run(Command command) {
        switch (command) {
            case Command.Apps() -> {
                var apps = api.get(teamPath() + "/apps");
                print(apps, AppViews.apps(apps));
            }
            case Command.Status(String app) -> {
                var detail = api.get(appPath(app));
                print(detail, AppViews.status(detail));
            }
            case Command.Deploys(String app, int limit) -> {
                var deployments = api.get(appPath(app) + "/deployments?limit=" + limit);
                print(deployments, AppViews.deploys(deployments));
            }
            case Command.Rollback(String app, long revision, String reason) -> {
                var deployment = api.post(appPath(app) + "/rollback", Map.of("revision", revision, "reason", reason));
                print(deployment, "rolling " + app + " back to r" + revision + ": deployment " + deployment.path("id").asLong()
                        + " " + AppViews.text(deployment, "state") + " (berth status " + app + " shows its progress)\n");
            }
            case Command.SecretSet(String app, String name) -> {
                String value = terminal.readStdin(MAX_SECRET_BYTES, "the secret's value");
                if (value.isEmpty()) {
                    throw CliFailure.usage("no value on stdin: printf %s \"$VALUE\" | berth secrets set " + app + " " + name);
                }
                var secret = api.put(appPath(app) + "/secrets/" + PlatformClient.segment(name), Map.of("value", value));
                print(secret, "secret " + name + " of " + app + " set; its value is not shown again\n");
            }
            case Command.Open(String app) -> open(app);
            case Command.Logs logs -> new LogFollower(api, appPath(logs.app()), options.output(), terminal).run(logs);
            case Command.Login l -> throw new IllegalStateException("handled by BerthCli");
            case Command.Logout l -> throw new IllegalStateException("handled by BerthCli");
            case Command.Help h -> throw new IllegalStateException("handled by BerthCli");
        }
    }

    private void open(String app) {
        var detail = api.get(appPath(app));
        var urls = AppViews.urls(detail);
        if (options.output() == CommandLine.Output.JSON) {
            print(PlatformClient.JSON.createObjectNode().set("urls", PlatformClient.JSON.valueToTree(urls)), null);
            return;
        }
        if (urls.isEmpty()) {
            throw new CliFailure(ExitCode.FAILED, "app " + app + " has no address: its berth.yaml declares no route and the "
                    + "platform has no apps domain (berth status " + app + " shows its replicas' published ports)");
        }
        urls.forEach(terminal.out()::println);
        BrowserOpener.open(terminal, urls.getFirst());
    }

    private String appPath(String app) {
        return teamPath() + "/apps/" + PlatformClient.segment(app);
    }

    private String teamPath() {
        return "/api/v1/teams/" + PlatformClient.segment(team());
    }

    /** The team asked for (--team, then BERTH_TEAM), else the caller's only team. */
    private String team() {
        if (options.team() != null) return options.team();
        String env = terminal.env().get("BERTH_TEAM");
        if (env != null && !env.isBlank()) return env.strip();
        var names = new ArrayList<String>();
        for (var team : api.get("/api/v1/teams")) names.add(AppViews.text(team, "name"));
        if (names.size() == 1) return names.getFirst();
        if (names.isEmpty()) throw new CliFailure(ExitCode.NOT_FOUND, "you are in no team on " + api.platform());
        throw CliFailure.usage("you see several teams (" + String.join(", ", names) + "): give --team TEAM or set BERTH_TEAM");
    }

    private void print(JsonNode json, String text) {
        if (options.output() == CommandLine.Output.JSON || text == null) {
            terminal.out().println(PlatformClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else {
            terminal.out().print(text);
        }
    }
}
