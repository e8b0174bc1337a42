package dev.berth.agent.cni;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs CNI plugins the way the CNI specification has a container runtime run them: one process
 * per plugin, the command and the container in {@code CNI_*} variables, the plugin's configuration
 * on stdin and its result or error as JSON on stdout. ADD and CHECK run a {@link CniNetwork}'s
 * plugins in order, each given the previous one's result; DEL runs them backwards and goes on past
 * a failing plugin, so that what the others added is still removed. This is the only class that
 * starts a CNI plugin.
 */
public final class CniPlugins {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** What a plugin may print: results are a few KiB; more is refused rather than buffered. */
    static final int MAX_OUTPUT = 1 << 20;
    private static final Pattern CONTAINER_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]{0,127}");
    private static final Pattern INTERFACE = Pattern.compile("[a-zA-Z0-9_\\-][a-zA-Z0-9_.\\-]{0,14}");

    private final List<Path> directories;
    private final Duration timeout;

    /**
     * @param directories where plugin executables are looked up, in order (Debian installs them
     *                    in /usr/lib/cni)
     * @param timeout how long one plugin may run before it is killed
     */
    public CniPlugins(List<Path> directories, Duration timeout) {
        if (directories.isEmpty()) throw new IllegalArgumentException("no CNI plugin directory");
        this.directories = List.copyOf(directories);
        this.timeout = timeout;
    }

    /** Where one container's interface is: its id, its network namespace's path and the interface name inside. */
    public record Attachment(String containerId, Path netns, String ifName) {
        public Attachment {
            if (containerId == null || !CONTAINER_ID.matcher(containerId).matches()) {
                throw new IllegalArgumentException("container id '" + containerId + "' is not one CNI accepts");
            }
            if (netns == null || !netns.isAbsolute()) throw new IllegalArgumentException("network namespace path must be absolute");
            if (ifName == null || !INTERFACE.matcher(ifName).matches() || ifName.equals(".") || ifName.equals("..")) {
                throw new IllegalArgumentException("interface name '" + ifName + "' is not a valid Linux interface name");
            }
        }
    }

    /** Adds the container to the network; the last plugin's result. */
    public CniResult add(CniNetwork network, Attachment at) throws IOException {
        Map<String, Object> result = null;
        for (int i = 0; i < network.plugins().size(); i++) {
            result = run("ADD", network, i, at, result);
        }
        return CniResult.of(result);
    }

    /** Asks every plugin whether what ADD set up ({@code added}) is still as it was; a {@link CniFailure} if not. */
    public void check(CniNetwork network, Attachment at, CniResult added) throws IOException {
        for (int i = 0; i < network.plugins().size(); i++) run("CHECK", network, i, at, added.json());
    }

    /**
     * Removes the container from the network, plugins in reverse order. Every plugin runs even when
     * one fails; the first failure is thrown at the end. {@code added} may be null after a crash
     * lost the ADD result: plugins then clean up by container id and interface.
     */
    public void del(CniNetwork network, Attachment at, CniResult added) throws IOException {
        CniFailure first = null;
        for (int i = network.plugins().size() - 1; i >= 0; i--) {
            try {
                run("DEL", network, i, at, added == null ? null : added.json());
            } catch (CniFailure e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    private Map<String, Object> run(String command, CniNetwork network, int i, CniPlugins.Attachment at,
                                    Map<String, Object> prevResult) throws IOException {
        String type = network.type(i);
        Path plugin = find(type);
        if (plugin == null) {
            throw new CniFailure(command, type, 0, "no executable named '" + type + "' in " + directories.stream()
                    .map(Path::toString).collect(Collectors.joining(", ")) + " (apt-get install containernetworking-plugins)");
        }
        var pb = new ProcessBuilder(plugin.toString());
        var env = pb.environment();
        env.clear();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", at.containerId());
        env.put("CNI_NETNS", at.netns().toString());
        env.put("CNI_IFNAME", at.ifName());
        env.put("CNI_PATH", directories.stream().map(Path::toString).collect(Collectors.joining(":")));
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        // A thread of its own: the common pool may be busy with the very caller waiting here.
        var stdout = CompletableFuture.supplyAsync(() -> readCapped(p.getInputStream()), r -> Thread.ofVirtual().start(r));
        try (var in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(network.stdinOf(i, prevResult)));
        } catch (IOException e) {
            // A plugin that exits before reading its configuration says why on stdout.
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new CniFailure(command, type, 0, "did not finish within " + timeout.toSeconds() + " s");
            }
            byte[] out = stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (out == null) throw new CniFailure(command, type, 0, "printed more than " + MAX_OUTPUT + " bytes");
            if (p.exitValue() != 0) throw failure(command, type, p.exitValue(), out);
            return success(command, type, out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CniFailure(command, type, 0, "interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new CniFailure(command, type, 0, "its output could not be read: " + e.getMessage());
        }
    }

    private Path find(String type) {
        for (Path dir : directories) {
            Path candidate = dir.resolve(type);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

    /** The bytes of {@code in}, or null past {@link #MAX_OUTPUT}. */
    private static byte[] readCapped(InputStream in) {
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (out.size() + n > MAX_OUTPUT) return null;
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            return out.toByteArray();
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> success(String command, String type, byte[] out) throws CniFailure {
        // DEL and CHECK print nothing on success.
        if (out.length == 0 || new String(out, StandardCharsets.UTF_8).isBlank()) return null;
        try {
            return JSON.readValue(out, Map.class);
        } catch (JacksonException e) {
            throw new CniFailure(command, type, 0, "exited 0 but printed no JSON result: " + excerpt(out));
        }
    }

    private static CniFailure failure(String command, String type, int exit, byte[] out) {
        try {
            Map<?, ?> error = JSON.readValue(out, Map.class);
            int code = error.get("code") instanceof Number n ? n.intValue() : 0;
            String msg = error.get("msg") instanceof String s ? s : "exited " + exit;
            String details = error.get("details") instanceof String d && !d.isBlank() ? " (" + d + ")" : "";
            return new CniFailure(command, type, code, msg + details);
        } catch (JacksonException e) {
            return new CniFailure(command, type, 0, "exited " + exit + ": " + excerpt(out));
        }
    }

    private static String excerpt(byte[] out) {
        String s = new String(out, StandardCharsets.UTF_8).strip();
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
