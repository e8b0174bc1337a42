package dev.berth.agent.firewall;

import dev.berth.registry.network.Cidr;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The agent's one nftables table: what its containers may reach (see {@link ContainerRules}),
 * every drop counted, nothing else on the host touched. Skeleton: implemented by issue 12's
 * data-plane work.
 */
public final class Firewall {
    private Firewall() {
    }

    /**
     * Creates the table {@code inet <table>} if missing, or brings its base chains back to what
     * they must be, keeping the containers' chains.
     *
     * @param containerSubnets the ranges this agent gives its containers: new connections into them are dropped
     */
    public static Firewall open(Path nft, String table, List<Cidr> containerSubnets) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Installs or replaces one container's rules, in one nftables transaction. */
    public void apply(ContainerRules rules) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Removes one container's rules; nothing happens when it has none. */
    public void remove(String container) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** The containers that have rules in the table, for repair after a crash. */
    public Set<String> containers() throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Every refused destination of every container, with the kernel's counts. */
    public List<Refusal> refusals() throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** The rules that apply to one container, as nftables lists them (for the isolation report). */
    public String describe(String container) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Deletes the whole table (an agent leaving the host, tests). */
    public void delete() throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
