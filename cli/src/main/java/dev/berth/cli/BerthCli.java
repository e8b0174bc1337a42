package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The {@code berth} command: parses, signs in or finds the stored sign-in, runs the command and
 * turns every failure into one sentence on stderr and an {@link ExitCode}.
 */
public final class BerthCli {
    /** The longest token accepted on stdin; the platform's are far shorter. */
    static final int MAX_TOKEN_BYTES = 4096;

    private final Terminal terminal;

    public BerthCli(Terminal terminal) {
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(new BerthCli(Terminal.ofProcess()).run(List.of(args)).status());
    }

    /** Runs one command line; never throws for anything a user can cause. */
    public ExitCode run(List<String> args) {
        try {
            var invocation = CommandLine.parse(args);
            run(invocation.options(), invocation.command());
            return ExitCode.OK;
        } catch (CliFailure f) {
            terminal.err().println("berth: " + f.getMessage());
            if (f.code() == ExitCode.USAGE) terminal.err().println("berth: berth help lists the commands and their options");
            return f.code();
        } catch (RuntimeException e) {
            terminal.err().println("berth: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCode.FAILED;
        } finally {
            terminal.out().flush();
        }
    }

    private void run(CommandLine.Options options, Command command) {
        var file = Credentials.file(terminal.env());
        switch (command) {
            case Command.Help() -> terminal.out().println(CommandLine.USAGE);
            case Command.Login(String platform, Command.How how) -> login(options, platform, how, file);
            case Command.Logout() -> logout(options, file);
            default -> {
                var client = signedIn(options, file);
                new AppCommands(client, options, terminal).run(command);
            }
        }
    }

    private void login(CommandLine.Options options, String platform, Command.How how, java.nio.file.Path file) {
        if (options.platform() != null && !options.platform().equals(platform)) {
            throw CliFailure.usage("berth login got two platforms: " + platform + " and --platform " + options.platform());
        }
        String token = how == Command.How.TOKEN_STDIN ? tokenFromStdin(platform)
                : new BrowserLogin(terminal).token(platform, how == Command.How.BROWSER);
        JsonNode teams;
        try {
            teams = new PlatformClient(platform, token).get("/api/v1/teams");
        } catch (CliFailure f) {
            // Nothing is saved: a token the platform refuses is no sign-in.
            if (f.code() == ExitCode.NOT_ALLOWED) {
                throw new CliFailure(ExitCode.NOT_ALLOWED, "not signed in: " + f.getMessage().replace(
                        "; sign in again with berth login URL", ""));
            }
            throw f;
        }
        Credentials.read(file).with(platform, token).write(file);
        var names = new ArrayList<String>();
        for (var team : teams) names.add(AppViews.text(team, "name"));
        if (options.output() == CommandLine.Output.JSON) {
            print(PlatformClient.JSON.createObjectNode().put("platform", platform)
                    .set("teams", PlatformClient.JSON.valueToTree(names)));
        } else {
            terminal.out().println("signed in to " + platform + (names.isEmpty() ? " (in no team yet)" : " (teams: "
                    + String.join(", ", names) + ")") + "; the token is in " + file);
        }
    }

    private String tokenFromStdin(String platform) {
        String token = terminal.readStdin(MAX_TOKEN_BYTES, "the token").strip();
        if (token.isEmpty()) {
            throw CliFailure.usage("no token on stdin: create one on the dashboard's Tokens page, then "
                    + "berth login " + platform + " --token-stdin < token-file (or leave out --token-stdin to sign in through"
                    + " the browser)");
        }
        return token;
    }

    private void logout(CommandLine.Options options, java.nio.file.Path file) {
        var credentials = Credentials.read(file);
        var signedIn = credentials.signedIn(options.platform());
        if (signedIn.isEmpty()) {
            terminal.out().println("not signed in" + (options.platform() == null ? "" : " to " + options.platform()));
            return;
        }
        credentials.without(signedIn.get().getKey()).write(file);
        terminal.out().println("signed out of " + signedIn.get().getKey() + "; the token itself still works until it is revoked "
                + "(the dashboard's Tokens page)");
    }

    private PlatformClient signedIn(CommandLine.Options options, java.nio.file.Path file) {
        String envToken = terminal.env().get("BERTH_TOKEN");
        String envPlatform = options.platform() != null ? options.platform() : terminal.env().get("BERTH_PLATFORM");
        // For scripts and CI: a token in the environment, for the platform named beside it.
        if (envToken != null && !envToken.isBlank()) {
            if (envPlatform == null || envPlatform.isBlank()) {
                throw CliFailure.usage("BERTH_TOKEN is set but no platform: set BERTH_PLATFORM or give --platform URL");
            }
            return new PlatformClient(strip(envPlatform), envToken.strip());
        }
        return Credentials.read(file).signedIn(envPlatform == null ? null : strip(envPlatform))
                .map(e -> new PlatformClient(e.getKey(), e.getValue()))
                .orElseThrow(() -> new CliFailure(ExitCode.NOT_ALLOWED, "not signed in" + (envPlatform == null ? "" : " to " + envPlatform)
                        + ": run berth login URL first"));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private void print(JsonNode json) {
        terminal.out().println(PlatformClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }
}
