package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.BerthAgent;
import dev.berth.agent.runtime.Busybox;
import dev.berth.agent.runtime.RuntimePrerequisites;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code berth-agent} as an operator uses it: a daemon in its own JVM, the CLI talking to it over
 * the unix socket, and a {@code kill -9} of the daemon that no container notices.
 */
class CliTest {
    private Path work;
    private Path rootfs;
    private Path state;
    private Process daemon;

    /** What one CLI call printed and returned. */
    private record Result(int exit, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        RuntimePrerequisites.require();
        work = Files.createTempDirectory("berth-cli-test");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        rootfs = Busybox.tree(work.resolve("busybox"), "sh", "echo", "httpd", "cat");
        state = work.resolve("state");
        daemon = startDaemon();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            for (String line : cli("ps").out().lines().skip(1).toList()) {
                String name = line.split("\\s+")[0];
                cli("stop", "-t", "1", name);
                cli("rm", name);
            }
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private Process startDaemon() throws Exception {
        return TestDaemon.start(state, work.resolve("daemon.log"), work, "--publish-address", "127.0.0.1");
    }

    @Test
    void aRelativeStateDirectoryWorksFromWhereTheDaemonStarted() throws Exception {
        // The daemon was started with an absolute path; a second one, relative to its working directory:
        daemon.destroy();
        daemon.waitFor(10, TimeUnit.SECONDS);
        var relative = TestDaemon.start(Path.of("state"), work.resolve("daemon.log"), work, "--publish-address", "127.0.0.1");
        daemon = relative;
        int port = TestHttp.freePort();
        var run = runWeb("web-rel", port);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(TestHttp.get(port)).contains("web-rel");
    }

    @Test
    void nobodyButRootMayRunTheDaemonOrTalkToIt() throws Exception {
        // The test JVM's classpath lives under root's home; give 'nobody' a readable copy.
        Path cp = Files.createDirectories(work.resolve("classpath"));
        var entries = new ArrayList<String>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) continue;
            Path copy = cp.resolve(i++ + "-" + source.getFileName());
            try (Stream<Path> tree = Files.walk(source)) {
                for (Path p : tree.toList()) {
                    Path target = copy.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(target);
                    else Files.copy(p, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            entries.add(copy.toString());
        }
        Files.setPosixFilePermissions(cp, PosixFilePermissions.fromString("rwxr-xr-x"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        var asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                java, "--enable-native-access=ALL-UNNAMED", "-cp", String.join(File.pathSeparator, entries),
                BerthAgent.class.getName());

        var daemonRun = runAs(asNobody, "--state-dir", work.resolve("nobody-state").toString(), "daemon");
        assertThat(daemonRun.exit()).as(daemonRun.err()).isEqualTo(1);
        assertThat(daemonRun.err()).contains("must run as root (effective uid 65534)");
        assertThat(work.resolve("nobody-state")).doesNotExist();

        var ps = runAs(asNobody, "--state-dir", state.toString(), "ps");
        assertThat(ps.exit()).as(ps.err()).isEqualTo(1);
        assertThat(ps.err()).contains("only root may talk to the agent (this is uid 65534)");
    }

    private Result runAs(List<String> command, String... args) throws Exception {
        var all = new ArrayList<>(command);
        all.addAll(List.of(args));
        var p = new ProcessBuilder(all).directory(work.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, err);
    }

    private Result cli(String... args) {
        var r = TestDaemon.cli(state, args);
        return new Result(r.exit(), r.out(), r.err());
    }

    private Result runWeb(String name, int port) {
        return cli("run", "--name", name, "--app", "web", "--rootfs", rootfs.toString(), "--memory", "64Mi",
                "--tmpfs", "/www:1Mi", "--publish", port + ":8080", "--",
                "/bin/sh", "-c", "echo " + name + " > /www/index.html; echo serving; exec httpd -f -p 127.0.0.1:8080 -h /www");
    }

    @Test
    void theCommandLineDrivesTheDaemon() throws Exception {
        int port = TestHttp.freePort();
        var run = runWeb("web-1", port);
        assertThat(run.exit()).as("%s%ndaemon log:%n%s", run.err(), Files.readString(work.resolve("daemon.log"))).isZero();
        assertThat(TestHttp.get(port)).contains("web-1");

        var ps = cli("ps");
        assertThat(ps.out()).contains("NAME").containsPattern("web-1\\s+web\\s+running");
        var inspect = cli("inspect", "web-1");
        assertThat(inspect.exit()).isZero();
        assertThat(inspect.out()).contains("\"isolation\"").contains("\"uid_map\"").doesNotContain("\"pass\" : false");
        assertThat(cli("logs", "web-1").out()).contains("serving");
        var exec = cli("exec", "web-1", "--", "/bin/cat", "/www/index.html");
        assertThat(exec.exit()).isZero();
        assertThat(exec.out()).contains("web-1");

        assertThat(cli("stop", "-t", "1", "web-1").out()).contains("\"code\" : 137");
        assertThat(cli("rm", "web-1").exit()).isZero();
        assertThat(cli("ps").out().lines().count()).isEqualTo(1);
    }

    @Test
    void mistakesGetClearMessagesAndExitCodes() {
        var usage = cli("run", "--name", "x", "--rootfs", rootfs.toString(), "--memory", "lots", "--", "/bin/sh");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("bad size 'lots' for --memory");

        var forbidden = cli("run", "--name", "x", "--rootfs", rootfs.toString(), "--cap", "NET_ADMIN", "--", "/bin/sh");
        assertThat(forbidden.exit()).isEqualTo(1);
        assertThat(forbidden.err()).contains("CAP_NET_ADMIN is not allowed; an app may add only CAP_CHOWN");

        var escape = cli("run", "--name", "x", "--rootfs", rootfs.toString(), "--tmpfs", "/sys/x:1Mi", "--", "/bin/sh");
        assertThat(escape.exit()).isEqualTo(1);
        assertThat(escape.err()).contains("under /sys");

        var missing = cli("inspect", "nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no container named 'nope'");

        var noDaemon = BerthAgent.execute(List.of("--state-dir", work.resolve("elsewhere").toString(), "ps"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        assertThat(noDaemon).isEqualTo(3);
    }

    @Test
    void killingTheDaemonWithSigkillLeavesContainersRunningAndTheNextDaemonAdoptsThem() throws Exception {
        int port = TestHttp.freePort();
        var run = runWeb("web-1", port);
        assertThat(run.exit()).as("%s%ndaemon log:%n%s", run.err(), Files.readString(work.resolve("daemon.log"))).isZero();
        long pid = Long.parseLong(cli("ps").out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[3]);

        daemon.destroyForcibly();   // SIGKILL
        assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(pid)).as("the container outlives its agent").hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());

        daemon = startDaemon();
        assertThat(cli("ps").out()).containsPattern("web-1\\s+web\\s+running\\s+" + pid);
        assertThat(TestHttp.get(port)).as("the published port is served again").contains("web-1");
        assertThat(cli("logs", "web-1").out()).contains("serving");
    }
}
