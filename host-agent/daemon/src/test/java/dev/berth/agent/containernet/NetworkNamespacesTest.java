package dev.berth.agent.containernet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.sys.SyscallPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The namespaces the agent makes for a networked container, both ways a holder is started: pinned,
 * the user namespace with the app's mapping owning the network namespace, loopback up, and nothing
 * left (no mount, no file) once removed. Looked at from outside with util-linux's nsenter.
 */
class NetworkNamespacesTest {
    private static final IdRange IDS = new IdRange(IdRange.FIRST + 7 * IdRange.SIZE, IdRange.SIZE);
    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        Assumptions.assumeTrue(SyscallPort.effectiveUid() == 0, "needs root");
        root = Files.createTempDirectory("berth-netns-test").resolve("network");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (root == null) return;
        new NetworkNamespaces(root).remove("web");
        try (Stream<Path> paths = Files.walk(root.getParent())) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @ParameterizedTest(name = "in-process holder: {0}")
    @ValueSource(booleans = {true, false})
    void aContainersNamespacesArePinnedOwnedByItsUserNamespaceAndRemovedWithoutATrace(boolean inProcess) throws Exception {
        Assumptions.assumeTrue(!inProcess || SyscallPort.canHoldNamespaces(), "in-process holders need x86-64");
        var namespaces = new NetworkNamespaces(root, inProcess);
        namespaces.create("web", IDS);
        namespaces.loopbackUp("web");

        assertThat(namespaces.pinned("web")).isTrue();
        assertThat(namespaces.names()).containsExactly("web");
        String net = namespaces.path("web").toString();
        String user = namespaces.userPath("web").toString();
        assertThat(nsenter(net, "--user=" + user, "cat", "/proc/self/uid_map").strip().split("\\s+"))
                .containsExactly("0", Long.toString(IDS.hostStart()), Long.toString(IDS.size()));
        assertThat(nsenter(net, "--net=" + net, "ip", "-o", "addr", "show", "lo")).contains("127.0.0.1/8");
        assertThat(nsenter(net, "--net=" + net, "ip", "-o", "link", "show", "lo")).contains("LOOPBACK,UP");
        // Root of the user namespace may enter the network namespace only if that user namespace owns it (runc exec does so);
        // the file is opened outside, as the directory is closed to the container's ids.
        assertThat(nsenter(net, "--user=" + user, "nsenter", "--net=/proc/self/fd/3", "ip", "-o", "link", "show", "lo")).contains("lo");

        namespaces.remove("web");
        assertThat(namespaces.pinned("web")).isFalse();
        assertThat(namespaces.names()).isEmpty();
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(l -> l.contains(root.toString()));
        namespaces.remove("web"); // safe to repeat
    }

    @Test
    void adoptedNamespacesArePinnedUnderTheNewNameAndUnpinnedFromTheSpare() throws Exception {
        var spares = new NetworkNamespaces(root.resolve("spare"));
        var namespaces = new NetworkNamespaces(root);
        spares.create("Spare-1", IDS);
        Object inode = Files.getAttribute(spares.path("Spare-1"), "unix:ino");
        try {
            namespaces.adopt(spares, "Spare-1", "web");
            assertThat(spares.names()).isEmpty();
            assertThat(namespaces.pinned("web")).isTrue();
            assertThat(Files.getAttribute(namespaces.path("web"), "unix:ino")).as("the very same namespace").isEqualTo(inode);
            String net = namespaces.path("web").toString();
            assertThat(nsenter(net, "--user=" + namespaces.userPath("web"), "cat", "/proc/self/uid_map").strip().split("\\s+"))
                    .containsExactly("0", Long.toString(IDS.hostStart()), Long.toString(IDS.size()));
        } finally {
            spares.remove("Spare-1");
        }
        namespaces.remove("web");
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(l -> l.contains(root.toString()));
    }

    @Test
    void aHolderBlocksEveryAsynchronousSignalSoNoneRunsTheJvmsHandlerOnItsStack() throws Exception {
        Assumptions.assumeTrue(SyscallPort.canHoldNamespaces(), "in-process holders need x86-64");
        try (var holder = SyscallPort.holdNamespaces(SyscallPort.CLONE_NEWUSER | SyscallPort.CLONE_NEWNET)) {
            long blocked = signalMask(holder.pid(), "SigBlk");
            for (int signal : List.of(1, 2, 3, 10, 12, 13, 14, 15, 17)) { // HUP INT QUIT USR1 USR2 PIPE ALRM TERM CHLD
                assertThat(blocked & (1L << (signal - 1))).as("signal %d blocked in the holder (SigBlk %x)", signal, blocked).isNotZero();
            }
            for (int signal : List.of(4, 7, 8, 11)) { // ILL BUS FPE SEGV: the JVM's own faults
                assertThat(blocked & (1L << (signal - 1))).as("signal %d left open (SigBlk %x)", signal, blocked).isZero();
            }
            // A Ctrl-C that reaches it stays pending; it still waits.
            new ProcessBuilder("kill", "-INT", Long.toString(holder.pid())).start().waitFor();
            Thread.sleep(50);
            assertThat(signalMask(holder.pid(), "ShdPnd") | signalMask(holder.pid(), "SigPnd")).as("SIGINT pending").isNotZero();
            assertThat(Files.readString(Path.of("/proc", Long.toString(holder.pid()), "stat"))).doesNotContain(") Z ");
        }
        // The caller's own mask is back as it was: this thread handles what it handled before.
        assertThat(signalMask(ProcessHandle.current().pid(), "SigBlk") & (1L << 1)).as("SIGINT not blocked in the JVM's main thread").isZero();
    }

    /** One hexadecimal mask line of {@code /proc/PID/status}. */
    private static long signalMask(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(l -> l.startsWith(field + ":"))
                .map(l -> Long.parseUnsignedLong(l.substring(field.length() + 1).strip(), 16)).findFirst().orElseThrow();
    }

    /** nsenter with {@code args}, the network namespace {@code net} open as fd 3 (for an nsenter inside the user namespace). */
    private static String nsenter(String net, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of("sh", "-c", "exec 3<\"$0\"; exec nsenter \"$@\"", net));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
