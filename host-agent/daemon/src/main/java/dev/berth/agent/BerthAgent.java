package dev.berth.agent;

import dev.berth.agent.cli.RunArguments;
import dev.berth.agent.cli.UsageException;
import dev.berth.agent.daemon.SocketServer;
import dev.berth.agent.sys.SyscallPort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code berth-agent}: the daemon and the command line that talks to it over its unix socket.
 * Exit codes: 0 done, 1 the agent refused or failed, 2 bad command line, 3 no daemon to talk to.
 */
public final class BerthAgent {
    public static final Path DEFAULT_STATE = Path.of("/var/lib/berth-agent");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    static final String USAGE = """
            usage: berth-agent [--state-dir DIR] COMMAND
              daemon [--publish-address ADDR] [--platform URL [--join-token TOKEN]]   run the agent (as root)
              run --name NAME --rootfs DIR [options] -- CMD [ARG...]
              ps | inspect NAME | logs [-f] NAME | exec NAME -- CMD [ARG...]
              stop [-t SECONDS] NAME | rm NAME | volume rm APP VOLUME
              image pull REF | image ls | image inspect REF | image rm REF | image gc
              image import PATH [--name NAME]
            daemon options: --publish-address ADDR (where published ports listen; default 0.0.0.0),
              --advertise-address ADDR (what statuses report for them; default the publish address, or
              the hostname on 0.0.0.0), --port-range LOW-HIGH (host ports for ports published without
              one; default 20000-29999), --insecure-registry HOST:PORT (repeatable),
              --config FILE (JSON: insecureRegistries, credentials; default /etc/berth-agent/config.json),
              --platform URL (join that platform, run what it assigns, send it heartbeats and logs;
              URL1,URL2,... for several instances of one platform: the agent talks to one at a time and
              moves to the next when it does not answer, or put one load-balanced address in front),
              --join-token TOKEN or --join-token-file PATH (needed only the first time; the credential it
              buys is kept in STATE/platform/credential.json), --heartbeat-seconds N (default 10),
              --container-subnet CIDR (IPv4 range of containers with a network; default 10.213.0.0/16),
              --dns IP (their DNS server, repeatable; default the host's, loopback ones left out),
              --peer-listen HOST:PORT (with --platform: where other agents' app connects reach this host's replicas),
              --peer-address HOST:PORT (where other agents reach that listener; sent in heartbeats; default
              the --peer-listen address unless it is a wildcard),
              --edge (with --platform: this host is an edge; it runs Caddy (/usr/bin/caddy) for every route),
              --edge-http ADDR:PORT and --edge-https ADDR:PORT (where it listens; default 0.0.0.0:80 and
              0.0.0.0:443), --edge-address ADDR (what routed hosts' DNS should point to; default the
              advertise address), --edge-cpus N (how many CPUs Caddy runs on at once; default half
              the host's, at least 1)
            run takes --rootfs DIR or --image REF; see the README for every run option""";

    private BerthAgent() {
    }

    public static void main(String[] args) {
        System.exit(execute(List.of(args), System.out, System.err));
    }

    /** Runs one command line; returns the exit code. */
    public static int execute(List<String> argv, PrintStream out, PrintStream err) {
        var args = new ArrayList<>(argv);
        Path state = DEFAULT_STATE;
        try {
            if (args.size() >= 2 && args.getFirst().equals("--state-dir")) {
                state = Path.of(args.get(1));
                args.subList(0, 2).clear();
            }
            if (args.isEmpty()) throw new UsageException("no command given");
            String command = args.removeFirst();
            return switch (command) {
                case "daemon" -> DaemonCommand.execute(state, args, err);
                case "run" -> call(state, Map.of("op", "run", "spec", RunArguments.parse(args)), out, err);
                case "ps" -> ps(state, out, err);
                case "inspect" -> call(state, Map.of("op", "inspect", "name", one(args, "inspect NAME")), out, err);
                case "logs" -> logs(state, args, out, err);
                case "exec" -> exec(state, args, out, err);
                case "stop" -> stop(state, args, out, err);
                case "rm" -> call(state, Map.of("op", "rm", "name", one(args, "rm NAME")), out, err);
                case "image" -> ImageCommand.execute(state, args, out, err);
                case "volume" -> {
                    if (args.size() != 3 || !args.getFirst().equals("rm")) throw new UsageException("usage: volume rm APP VOLUME");
                    yield call(state, Map.of("op", "volume-rm", "app", args.get(1), "volume", args.get(2)), out, err);
                }
                default -> throw new UsageException("unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            err.println("berth-agent: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static String one(List<String> args, String usage) {
        if (args.size() != 1) throw new UsageException("usage: " + usage);
        return args.getFirst();
    }

    private static int ps(Path state, PrintStream out, PrintStream err) {
        return request(state, Map.of("op", "ps"), err, (header, reader) -> {
            out.printf("%-24s %-16s %-8s %-8s %-10s %s%n", "NAME", "APP", "STATUS", "PID", "HEALTH", "EXIT");
            for (JsonNode c : header.path("result")) {
                JsonNode exit = c.path("exit");
                out.printf("%-24s %-16s %-8s %-8s %-10s %s%n", c.path("name").asString(), c.path("app").asString(),
                        c.path("status").asString(), c.path("pid").asLong() == 0 ? "-" : c.path("pid").asString(),
                        c.path("health").isNull() || c.path("health").isMissingNode() ? "-" : c.path("health").asString().toLowerCase(),
                        exit.isNull() || exit.isMissingNode() ? "-" : exit.path("code").asString()
                                + (exit.path("oomKilled").asBoolean() ? " (oom)" : ""));
            }
            return 0;
        });
    }

    private static int logs(Path state, List<String> args, PrintStream out, PrintStream err) {
        boolean follow = !args.isEmpty() && args.getFirst().equals("-f");
        String name = one(follow ? args.subList(1, args.size()) : args, "logs [-f] NAME");
        return request(state, Map.of("op", "logs", "name", name, "follow", follow), err, (header, reader) -> {
            var buffer = new char[8192];
            int n;
            while ((n = reader.read(buffer)) > 0) {
                out.print(new String(buffer, 0, n));
                out.flush();
            }
            return 0;
        });
    }

    private static int exec(Path state, List<String> args, PrintStream out, PrintStream err) {
        if (args.size() < 3 || !args.get(1).equals("--")) throw new UsageException("usage: exec NAME -- CMD [ARG...]");
        var request = Map.of("op", "exec", "name", args.getFirst(), "command", List.copyOf(args.subList(2, args.size())));
        return request(state, request, err, (header, reader) -> {
            out.print(header.path("result").path("output").asString());
            return header.path("result").path("exitCode").asInt();
        });
    }

    private static int stop(Path state, List<String> args, PrintStream out, PrintStream err) {
        long timeout = 10;
        var rest = new ArrayList<>(args);
        if (rest.size() == 3 && rest.getFirst().equals("-t")) {
            try {
                timeout = Long.parseLong(rest.get(1));
            } catch (NumberFormatException e) {
                throw new UsageException("-t '" + rest.get(1) + "' is not a number of seconds");
            }
            rest.subList(0, 2).clear();
        }
        var request = new LinkedHashMap<String, Object>();
        request.put("op", "stop");
        request.put("name", one(rest, "stop [-t SECONDS] NAME"));
        request.put("timeout", timeout);
        return call(state, request, out, err);
    }

    private static int call(Path state, Map<String, ?> request, PrintStream out, PrintStream err) {
        return request(state, request, err, (header, reader) -> {
            out.println(JSON.writeValueAsString(header.path("result")));
            return 0;
        });
    }

    interface Answer {
        int handle(JsonNode header, BufferedReader rest) throws IOException;
    }

    /** Connects, giving a daemon that is still starting (socket bound, not yet listening) two seconds. */
    private static SocketChannel connect(Path socket) throws IOException {
        for (int attempt = 1; ; attempt++) {
            var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                return channel;
            } catch (java.net.ConnectException refused) {
                channel.close();
                if (attempt == 20) throw refused;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw refused;
                }
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }
    }

    static int request(Path state, Map<String, ?> request, PrintStream err, Answer answer) {
        Path socket = SocketServer.socketPath(state);
        if (SyscallPort.effectiveUid() != 0) {
            // Checked first: to anyone else the socket is invisible, and "no daemon" would mislead.
            err.println("berth-agent: only root may talk to the agent (this is uid " + SyscallPort.effectiveUid()
                    + "); run it as root, e.g. with sudo");
            return 1;
        }
        if (!Files.exists(socket)) {
            err.println("berth-agent: no daemon at " + socket + "; start one with 'berth-agent --state-dir " + state + " daemon'");
            return 3;
        }
        try (var channel = connect(socket)) {
            var os = Channels.newOutputStream(channel);
            os.write((JsonMapper.builder().build().writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            os.flush();
            var reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            String line = reader.readLine();
            var progress = new ProgressPrinter(err);
            while (line != null && line.startsWith("{\"progress\"")) {
                progress.print(JSON.readTree(line).path("progress"));
                line = reader.readLine();
            }
            if (line == null) {
                err.println("berth-agent: the daemon closed the connection without an answer");
                return 1;
            }
            JsonNode header = JSON.readTree(line);
            if (!header.path("ok").asBoolean()) {
                err.println("berth-agent: " + header.path("error").asString());
                return 1;
            }
            return answer.handle(header, reader);
        } catch (IOException e) {
            err.println("berth-agent: cannot reach the daemon at " + socket + ": " + e.getMessage()
                    + " (is it running? only root may use its socket)");
            return 3;
        }
    }
}
