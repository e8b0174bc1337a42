package dev.berth.agent.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runc command line: the one door through which the agent reaches runc. Only this class knows
 * runc's binary and its state directory ({@code --root}); asking for features, starting (under
 * the start shim), exec, state, kill and delete all go through it.
 */
public final class Runc {
    /** Where the agent finds runc unless told otherwise (the Debian and Ubuntu package's path). */
    public static final Path DEFAULT_BINARY = Path.of("/usr/sbin/runc");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** util-linux's setsid (Debian's essential util-linux), which detaches the start shim. */
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    /**
     * Runs the container in the foreground and records runc's exit status in a file once it ends,
     * so the status survives the agent; arguments: binary, root, bundle, id, exit file, pid file.
     */
    private static final String SHIM = "\"$0\" --root \"$1\" run --keep --pid-file \"$5\" --bundle \"$2\" \"$3\"; "
            + "echo $? > \"$4.tmp\"; mv \"$4.tmp\" \"$4\"";

    private final Path binary;
    private final Path root;

    private Runc(Path binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    /**
     * The runc of an agent whose state lives in {@code stateDir}: its containers are kept under
     * {@code stateDir/runc}, so agents do not see each other's containers.
     */
    public static Runc forStateDirectory(Path binary, Path stateDir) {
        return new Runc(binary, stateDir.resolve("runc"));
    }

    /** What {@code runc features} prints (JSON); fails with a sentence when runc is missing or too old. */
    public String features() throws IOException {
        if (!Files.isExecutable(binary)) {
            throw new IOException(binary + " is missing or not executable: install runc (apt-get install runc)");
        }
        Process p = new ProcessBuilder(binary.toString(), "features").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("'" + binary + " features' failed (runc 1.1 or newer is needed): " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking runc for its features");
        }
        return out;
    }

    /**
     * Starts the container in the foreground under the start shim, detached from the agent (not
     * its child, in a session of its own), and returns once the shim is forked off: runc writes
     * the init's pid to {@code pidFile}, the shim writes runc's exit status to {@code exitFile}
     * when the container ends, and its output is appended to {@code log}.
     */
    public void startUnderShim(String id, Path bundle, Path pidFile, Path exitFile, Path log) throws IOException {
        // setsid --fork: the shim is forked off and our child returns at once, so the shim is
        // never the agent's child. The JDK keeps a "process reaper" thread waiting on each child
        // for as long as it lives; a shim that stayed our child held one thread per container.
        // The orphaned shim is reaped by init, as it already was after an agent restart, and its
        // exit status is the file it writes either way. A session of its own also keeps a signal
        // to the agent's process group (Ctrl-C in its terminal) from reaching the containers.
        var pb = new ProcessBuilder(List.of(SETSID.toString(), "--fork", "/bin/sh", "-c", SHIM, binary.toString(),
                root.toString(), bundle.toString(), id, exitFile.toString(), pidFile.toString()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectErrorStream(true);
        await(pb.start(), "start shim for " + id, "see " + log);
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
