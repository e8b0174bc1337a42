package dev.berth.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a command line into options and a {@link Command}; pure. Options may come before or after
 * the command, as {@code --name value} or {@code --name=value}; {@code --} ends them.
 */
public final class CommandLine {
    /** How results are printed. */
    public enum Output { TEXT, JSON }

    /**
     * @param team the team of the app, or null to use the only team the caller is in
     * @param platform the platform to talk to, or null for the one signed in to last
     */
    public record Options(String team, Output output, String platform) {
    }

    public record Invocation(Options options, Command command) {
    }

    private static final Set<String> VALUED = Set.of("--team", "--output", "--platform", "--reason", "--replica", "--lines", "--limit");
    private static final Map<String, String> SHORT = Map.of("-o", "--output", "-f", "--follow", "-h", "--help");
    private static final Set<String> GLOBAL = Set.of("--team", "--output", "--platform", "--help");

    public static final String USAGE = """
            usage: berth [--platform URL] [--team TEAM] [--output text|json] COMMAND
              login URL [--no-browser]         sign in through the browser: approve the code it prints on the page it opens
              login URL --token-stdin          sign in with an API token read from stdin, for scripts and CI
              logout                           forget the token of the platform in use
              apps                             the team's apps: revision, replicas, last deployment
              status APP                       replicas, deployment progress and what differs from what should run
              logs APP [-f] [--replica ID] [--lines N]   the replicas' logs; -f follows them
              deploys APP [--limit N]          the deployment timeline, newest first
              rollback APP REVISION --reason TEXT        return the app to an earlier revision
              secrets set APP NAME             set a secret; its value is read from stdin
              open APP                         open (or print) the app's address
            exit codes: 0 ok, 1 failed, 2 usage, 3 not signed in or not allowed, 4 not found""";

    private CommandLine() {
    }

    public static Invocation parse(List<String> args) {
        var options = new HashMap<String, String>();
        var positional = new ArrayList<String>();
        boolean onlyPositional = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (onlyPositional || !arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                onlyPositional = true;
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            name = SHORT.getOrDefault(name, name);
            if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) throw CliFailure.usage(name + " needs a value");
                    value = args.get(++i);
                }
            } else if (value != null) {
                throw CliFailure.usage(name + " takes no value");
            } else {
                value = "";
            }
            if (options.put(name, value) != null) throw CliFailure.usage(name + " is given twice");
        }
        String platform = blankToNull(options.get("--platform"), "--platform");
        var global = new Options(blankToNull(options.get("--team"), "--team"), output(options.get("--output")),
                platform == null ? null : requireUrl(platform, "--platform"));
        if (options.containsKey("--help") || positional.isEmpty() || positional.getFirst().equals("help")) {
            return new Invocation(global, new Command.Help());
        }
        String name = positional.getFirst();
        var rest = positional.subList(1, positional.size());
        var command = switch (name) {
            case "login" -> {
                allow(options, name, "--token-stdin", "--no-browser");
                exactly(rest, name, "URL");
                boolean stdin = options.containsKey("--token-stdin");
                if (stdin && options.containsKey("--no-browser")) {
                    throw CliFailure.usage("berth login takes --token-stdin or --no-browser, not both: with --token-stdin no browser is involved");
                }
                yield new Command.Login(requireUrl(rest.getFirst(), "the platform URL"), stdin ? Command.How.TOKEN_STDIN
                        : options.containsKey("--no-browser") ? Command.How.BROWSER_PRINT_ONLY : Command.How.BROWSER);
            }
            case "logout" -> {
                allow(options, name);
                exactly(rest, name);
                yield new Command.Logout();
            }
            case "apps" -> {
                allow(options, name);
                exactly(rest, name);
                yield new Command.Apps();
            }
            case "status" -> {
                allow(options, name);
                exactly(rest, name, "APP");
                yield new Command.Status(rest.getFirst());
            }
            case "logs" -> {
                allow(options, name, "--follow", "--replica", "--lines");
                exactly(rest, name, "APP");
                yield new Command.Logs(rest.getFirst(), options.get("--replica"), options.containsKey("--follow"),
                        positiveInt(options.getOrDefault("--lines", "100"), "--lines"));
            }
            case "deploys" -> {
                allow(options, name, "--limit");
                exactly(rest, name, "APP");
                yield new Command.Deploys(rest.getFirst(), positiveInt(options.getOrDefault("--limit", "20"), "--limit"));
            }
            case "rollback" -> {
                allow(options, name, "--reason");
                exactly(rest, name, "APP", "REVISION");
                String reason = options.get("--reason");
                if (reason == null || reason.isBlank()) {
                    throw CliFailure.usage("berth rollback needs --reason TEXT: why goes to the audit log");
                }
                yield new Command.Rollback(rest.get(0), revision(rest.get(1)), reason);
            }
            case "secrets" -> {
                allow(options, name);
                if (rest.isEmpty() || !rest.getFirst().equals("set")) {
                    throw CliFailure.usage("usage: berth secrets set APP NAME (the value is read from stdin)");
                }
                if (rest.size() > 3) {
                    throw CliFailure.usage("berth secrets set takes the value on stdin, never as an argument (a command line shows "
                            + "in ps and in shell history): printf %s \"$VALUE\" | berth secrets set APP NAME");
                }
                exactly(rest.subList(1, rest.size()), "secrets set", "APP", "NAME");
                yield new Command.SecretSet(rest.get(1), rest.get(2));
            }
            case "open" -> {
                allow(options, name);
                exactly(rest, name, "APP");
                yield new Command.Open(rest.getFirst());
            }
            default -> throw CliFailure.usage("unknown command '" + name + "'; berth help lists the commands");
        };
        return new Invocation(global, command);
    }

    private static void allow(Map<String, String> options, String command, String... own) {
        var allowed = new java.util.HashSet<>(GLOBAL);
        allowed.addAll(List.of(own));
        for (String option : options.keySet()) {
            if (!allowed.contains(option)) throw CliFailure.usage("berth " + command + " does not take " + option);
        }
    }

    private static void exactly(List<String> rest, String command, String... names) {
        if (rest.size() != names.length) {
            String wanted = names.length == 0 ? "no arguments" : String.join(" ", names);
            throw CliFailure.usage("berth " + command + " takes " + wanted + (rest.size() > names.length
                    ? "; unexpected '" + rest.get(names.length) + "'" : ""));
        }
    }

    private static Output output(String value) {
        if (value == null) return Output.TEXT;
        return switch (value) {
            case "text" -> Output.TEXT;
            case "json" -> Output.JSON;
            default -> throw CliFailure.usage("--output is text or json, not '" + value + "'");
        };
    }

    private static String blankToNull(String value, String option) {
        if (value != null && value.isBlank()) throw CliFailure.usage(option + " needs a value");
        return value;
    }

    private static String requireUrl(String value, String what) {
        java.net.URI uri;
        try {
            uri = java.net.URI.create(value);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(what + " '" + value + "' is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw CliFailure.usage(what + " '" + value + "' must be an http:// or https:// URL such as https://berth.example.com");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private static int positiveInt(String value, String option) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // falls through to the sentence below
        }
        throw CliFailure.usage(option + " must be a whole number above 0, not '" + value + "'");
    }

    private static long revision(String value) {
        try {
            long n = Long.parseLong(value.startsWith("r") ? value.substring(1) : value);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // falls through to the sentence below
        }
        throw CliFailure.usage("REVISION must be a revision number such as 12 (berth deploys APP lists them), not '" + value + "'");
    }
}
