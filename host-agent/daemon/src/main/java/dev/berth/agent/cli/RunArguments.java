package dev.berth.agent.cli;

import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.HealthCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns {@code berth-agent run} arguments into a container spec. Pure; errors are {@link UsageException}s. */
public final class RunArguments {
    private RunArguments() {
    }

    public static ContainerSpec parse(List<String> args) {
        String name = null;
        String app = null;
        String rootfs = null;
        String image = null;
        String workdir = null;
        var env = new LinkedHashMap<String, String>();
        ContainerSpec.UserId user = null;
        long memory = ContainerSpec.Resources.DEFAULT.memoryBytes();
        int cpuMillis = ContainerSpec.Resources.DEFAULT.cpuMillis();
        int pids = ContainerSpec.Resources.DEFAULT.pids();
        var volumes = new ArrayList<ContainerSpec.VolumeMount>();
        var tmpfs = new ArrayList<ContainerSpec.TmpfsMount>();
        var ports = new ArrayList<ContainerSpec.PortPublish>();
        var caps = new ArrayList<String>();
        HealthCheck health = null;
        var restart = ContainerSpec.RestartPolicy.NO;
        List<String> command = List.of();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (flag.equals("--")) {
                command = List.copyOf(args.subList(i + 1, args.size()));
                break;
            }
            if (i + 1 >= args.size()) throw new UsageException(flag + " needs a value");
            String value = args.get(++i);
            switch (flag) {
                case "--name" -> name = value;
                case "--app" -> app = value;
                case "--rootfs" -> rootfs = value;
                case "--image" -> image = value;
                case "--workdir" -> {
                    if (!value.startsWith("/")) throw new UsageException("--workdir '" + value + "' must be an absolute path");
                    workdir = value;
                }
                case "--env" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) throw new UsageException("--env '" + value + "' must look like KEY=VALUE");
                    env.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--user" -> user = user(value);
                case "--memory" -> memory = ByteSize.parse(value, "--memory");
                case "--cpus" -> cpuMillis = cpus(value);
                case "--pids" -> pids = positiveInt(value, "--pids");
                case "--volume" -> volumes.add(volume(value));
                case "--tmpfs" -> tmpfs.add(tmpfs(value));
                case "--publish" -> ports.add(publish(value));
                case "--cap" -> caps.add(value);
                case "--health-http" -> health = healthHttp(value);
                case "--health-tcp" -> health = new HealthCheck.Tcp(port(value, "--health-tcp"));
                case "--restart" -> restart = switch (value) {
                    case "no" -> ContainerSpec.RestartPolicy.NO;
                    case "on-failure" -> ContainerSpec.RestartPolicy.ON_FAILURE;
                    default -> throw new UsageException("--restart must be 'no' or 'on-failure', not '" + value + "'");
                };
                default -> throw new UsageException("unknown option " + flag);
            }
        }
        if (name == null) throw new UsageException("--name is required");
        if ((rootfs == null) == (image == null)) throw new UsageException("give exactly one of --rootfs DIR and --image REF");
        if (command.isEmpty() && image == null) {
            throw new UsageException("give the command to run after --, e.g. -- /bin/httpd -f");
        }
        return new ContainerSpec(ContainerSpec.VERSION, name, app, rootfs, image, command, Map.copyOf(env), user, workdir,
                new ContainerSpec.Resources(memory, cpuMillis, pids), volumes, tmpfs, ports, caps, health, null, restart, null);
    }

    private static ContainerSpec.UserId user(String value) {
        String[] parts = value.split(":", -1);
        if (parts.length != 2) throw new UsageException("--user '" + value + "' must be UID:GID, like 1000:1000");
        return new ContainerSpec.UserId(idInRange(parts[0], "uid"), idInRange(parts[1], "gid"));
    }

    private static int idInRange(String s, String what) {
        int id = positiveOrZero(s, "--user " + what);
        if (id > 65535) throw new UsageException("--user " + what + " " + id + " is outside the container's ids 0-65535");
        return id;
    }

    private static int cpus(String value) {
        try {
            double cpus = Double.parseDouble(value);
            if (cpus < 0.01 || cpus > 1024) throw new NumberFormatException();
            return (int) Math.round(cpus * 1000);
        } catch (NumberFormatException e) {
            throw new UsageException("--cpus '" + value + "' must be a number of cores between 0.01 and 1024, like 0.5");
        }
    }

    private static ContainerSpec.VolumeMount volume(String value) {
        String[] parts = value.split(":", -1);
        if (parts.length != 3) throw new UsageException("--volume '" + value + "' must be NAME:/path:SIZE, like data:/data:64Mi");
        return new ContainerSpec.VolumeMount(parts[0], parts[1], ByteSize.parse(parts[2], "--volume " + parts[0]));
    }

    private static ContainerSpec.TmpfsMount tmpfs(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) throw new UsageException("--tmpfs '" + value + "' must be /path:SIZE, like /tmp:16Mi");
        return new ContainerSpec.TmpfsMount(value.substring(0, colon), ByteSize.parse(value.substring(colon + 1), "--tmpfs"));
    }

    private static ContainerSpec.PortPublish publish(String value) {
        String[] parts = value.split(":", -1);
        return switch (parts.length) {
            // No address: the daemon's --publish-address decides.
            case 2 -> new ContainerSpec.PortPublish(null, port(parts[0], "--publish"), port(parts[1], "--publish"));
            case 3 -> new ContainerSpec.PortPublish(parts[0], port(parts[1], "--publish"), port(parts[2], "--publish"));
            default -> throw new UsageException("--publish '" + value + "' must be [HOSTADDR:]HOSTPORT:PORT, like 127.0.0.1:8080:80");
        };
    }

    private static HealthCheck healthHttp(String value) {
        int slash = value.indexOf('/');
        if (slash <= 0) throw new UsageException("--health-http '" + value + "' must be PORT/PATH, like 8080/healthz");
        return new HealthCheck.Http(port(value.substring(0, slash), "--health-http"), value.substring(slash));
    }

    private static int port(String s, String flag) {
        int p = positiveInt(s, flag);
        if (p > 65535) throw new UsageException(flag + " port " + p + " is not between 1 and 65535");
        return p;
    }

    private static int positiveInt(String s, String flag) {
        int n = positiveOrZero(s, flag);
        if (n == 0) throw new UsageException(flag + " must be at least 1");
        return n;
    }

    private static int positiveOrZero(String s, String flag) {
        try {
            int n = Integer.parseInt(s);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " '" + s + "' is not a whole number");
        }
    }
}
