package dev.berth.agent.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.json.JsonMapper;

/** The runc command line, as the one I/O edge that starts, signals and removes containers. */
public final class Runc {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path binary;
    private final Path root;

    /** @param root runc's own state directory ({@code --root}), so agents do not see each other's containers */
    public Runc(Path binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    /** What {@code runc state} says of a container. */
    public record State(String id, long pid, String status, String bundle) {
    }

    /** Creates and starts the container in the background; its stdout and stderr go to {@code log}. */
    public void runDetached(String id, Path bundle, Path log) throws IOException {
        var pb = new ProcessBuilder(command("run", "--detach", "--bundle", bundle.toString(), id));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        exec(pb, "run " + id, log);
    }

    public State state(String id) throws IOException {
        var node = JSON.readTree(output(command("state", id), "state " + id));
        return new State(node.path("id").asString(), node.path("pid").asLong(), node.path("status").asString(),
                node.path("bundle").asString());
    }

    /** Runs a command inside the running container and returns its combined output and exit code. */
    public ExecResult exec(String id, List<String> command) throws IOException {
        return exec(id, command, Duration.ofSeconds(60));
    }

    /**
     * Like {@link #exec(String, List)}, given up after {@code timeout}: runc exec is killed and the
     * attempt fails (a command that ignores it may run on inside the container).
     */
    public ExecResult exec(String id, List<String> command, Duration timeout) throws IOException {
        var args = new ArrayList<String>(List.of("exec", id));
        args.addAll(command);
        Process p = new ProcessBuilder(command(args.toArray(String[]::new))).redirectErrorStream(true).start();
        // Read on the side, so a command that keeps its output open cannot outlast the timeout.
        var output = new CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                output.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.complete("");
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("runc exec in " + id + " did not finish within " + timeout.toMillis() + " ms");
            }
            return new ExecResult(p.exitValue(), output.get(5, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return new ExecResult(p.exitValue(), "");
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during runc exec");
        }
    }

    public record ExecResult(int exitCode, String output) {
    }

    public void kill(String id, String signal) throws IOException {
        output(command("kill", id, signal), "kill " + id);
    }

    public void delete(String id, boolean force) throws IOException {
        output(force ? command("delete", "--force", id) : command("delete", id), "delete " + id);
    }

    private List<String> command(String... args) {
        var c = new ArrayList<String>();
        c.add(binary.toString());
        c.add("--root");
        c.add(root.toString());
        c.addAll(List.of(args));
        return c;
    }

    private static String output(List<String> command, String what) throws IOException {
        var pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        await(p, what, out);
        return out;
    }

    private static void exec(ProcessBuilder pb, String what, Path log) throws IOException {
        Process p = pb.start();
        await(p, what, "see " + log);
    }

    private static void await(Process p, String what, String output) throws IOException {
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("runc " + what + " did not finish within 60s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during runc " + what);
        }
        if (p.exitValue() != 0) throw new IOException("runc " + what + " failed: " + output.strip());
    }
}
