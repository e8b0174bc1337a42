package dev.berth.agent.firewall;

import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.registry.network.Cidr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A table of one test's own, {@code berthtest_<random>}, and the nft calls tests check it with. */
final class TestTable {
    static final Path NFT = Path.of("/usr/sbin/nft");

    private final String name = "berthtest_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40), 36);

    String name() {
        return name;
    }

    /** Opens the firewall on this table; skips (or fails under BERTH_REQUIRE_RUNTIME=1) without root and nft. */
    Firewall open(List<Cidr> subnets) throws IOException {
        String missing = !"root".equals(System.getProperty("user.name")) ? "the firewall tests must run as root"
                : !Files.isExecutable(NFT) ? NFT + " is missing: apt-get install nftables" : null;
        if (missing != null) {
            if ("1".equals(System.getenv("BERTH_REQUIRE_RUNTIME"))) fail(missing + " (BERTH_REQUIRE_RUNTIME=1)");
            Assumptions.abort(missing);
        }
        return Firewall.open(NFT, name, subnets);
    }

    /** Closes the test's network, then deletes the table, even when closing failed. */
    void cleanUp(AutoCloseable network) throws Exception {
        try {
            if (network != null) network.close();
        } finally {
            cleanUp();
        }
    }

    /** Deletes the table if it is there. */
    void cleanUp() throws Exception {
        if (nftOutput("list tables").contains("table inet " + name + "\n")) nft("delete table inet " + name + "\n");
    }

    String list() throws Exception {
        return nftOutput("list table inet " + name);
    }

    String listChain(String chain) throws Exception {
        return nftOutput("list chain inet " + name + " " + chain);
    }

    /** Applies a script the way an administrator would, to change the table behind the firewall's back. */
    static void nft(String script) throws Exception {
        Process p = new ProcessBuilder(NFT.toString(), "-f", "-").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("nft -f failed: " + out);
    }

    static String nftOutput(String command) throws Exception {
        List<String> args = new ArrayList<>(List.of(NFT.toString()));
        args.addAll(List.of(command.split(" ")));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError(command + " failed: " + out);
        return out;
    }
}
