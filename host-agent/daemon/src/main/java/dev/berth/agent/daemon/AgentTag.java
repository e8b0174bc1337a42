package dev.berth.agent.daemon;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short name for the agent of one state directory, naming what it owns host-wide (its cgroup
 * parent, its nftables table), so two agents on one host never share them.
 *
 * @param value {@code agent-} and the first 6 bytes of the state directory's SHA-256, in hex
 */
record AgentTag(String value) {

    /** The tag of the agent of {@code stateDir}, which is given absolute and normalized, as the agent holds it. Pure. */
    static AgentTag of(Path stateDir) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(stateDir.toString().getBytes(StandardCharsets.UTF_8));
            return new AgentTag("agent-" + HexFormat.of().formatHex(digest, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The agent's nftables table: {@code berth_} and its tag (nft names take no '-'). */
    String firewallTable() {
        return "berth_" + value.replace('-', '_');
    }

    /** The parent of the agent's containers' cgroups, as runc takes it. */
    String cgroupParent() {
        return "/berth/" + value;
    }
}
