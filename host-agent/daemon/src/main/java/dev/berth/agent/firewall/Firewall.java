package dev.berth.agent.firewall;

import dev.berth.registry.network.Addresses;
import dev.berth.registry.network.Cidr;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The agent's one nftables table: what its containers may reach (see {@link ContainerRules}),
 * every drop counted, nothing else on the host touched. Each change is one nft transaction; the
 * methods are synchronized because a change first reads what the table holds.
 *
 * <p>What a container gets: packets from its host interface (CNI {@code ptp}) jump to its own
 * chains. Forwarded, they may reach its DNS resolvers (when it may reach anything), its allowed
 * destinations (TCP and UDP) and, with public egress, every address that is neither non-public
 * (the ranges of registry's {@link Addresses}) nor in the agent's container subnets. To the host
 * itself only DNS to its resolvers passes. Everything else is counted per destination and dropped.
 * Nothing opens a connection into a container subnet; containers leave masqueraded.
 */
public final class Firewall {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Nft nft;
    private final String table;
    private final FirewallRules rules;

    private Firewall(Nft nft, String table) {
        this.nft = nft;
        this.table = table;
        this.rules = new FirewallRules(table);
    }

    /**
     * Creates the table {@code inet <table>} if missing, or brings its base chains back to what
     * they must be, keeping the containers' chains.
     *
     * @param containerSubnets the ranges this agent gives its containers: new connections into them are dropped
     */
    public static Firewall open(Path nft, String table, List<Cidr> containerSubnets) throws IOException {
        var firewall = new Firewall(new Nft(nft, TIMEOUT), TableObjects.table(table));
        synchronized (firewall) {
            firewall.nft.apply(firewall.rules.base(containerSubnets, Addresses.nonPublicRanges(), firewall.listing()));
        }
        return firewall;
    }

    /** Installs or replaces one container's rules, in one nftables transaction. */
    public synchronized void apply(ContainerRules rules) throws IOException {
        nft.apply(this.rules.apply(rules, listing()));
    }

    /** Removes one container's rules; nothing happens when it has none. */
    public synchronized void remove(String container) throws IOException {
        String script = rules.remove(container, listing());
        if (!script.isEmpty()) nft.apply(script);
    }

    /** The containers that have rules in the table, for repair after a crash. */
    public synchronized Set<String> containers() throws IOException {
        return listing().containers();
    }

    /** Every refused destination of every container, with the kernel's counts. */
    public synchronized List<Refusal> refusals() throws IOException {
        Nft.Output out = nft.run("-j", "list", "table", "inet", table);
        if (!out.ok()) throw new IOException("nft could not list table inet " + table + ": " + out.message());
        return parse(out.stdout()).refusals();
    }

    /** The rules that apply to one container, as nftables lists them (for the isolation report). */
    public String describe(String container) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Deletes the whole table (an agent leaving the host, tests). */
    public synchronized void delete() throws IOException {
        if (listingOrNull() != null) nft.apply("delete table inet " + table + "\n");
    }

    /** What the table holds, without the contents of its sets; empty when it does not exist. */
    private TableListing listing() throws IOException {
        TableListing listing = listingOrNull();
        return listing == null ? TableListing.EMPTY : listing;
    }

    private TableListing listingOrNull() throws IOException {
        Nft.Output out = nft.run("-j", "-t", "list", "table", "inet", table);
        if (!out.ok()) {
            if (out.stderr().contains("No such file or directory")) return null;
            throw new IOException("nft could not list table inet " + table + ": " + out.message());
        }
        TableListing terse = parse(out.stdout());
        // The terse listing leaves out set contents, the verdict maps' entries among them.
        var maps = new java.util.LinkedHashMap<String, java.util.Map<String, String>>();
        for (String map : List.of(TableObjects.FORWARD_MAP, TableObjects.INPUT_MAP)) {
            if (!terse.sets().contains(map) && !terse.maps().containsKey(map)) continue;
            Nft.Output listed = nft.run("-j", "list", "map", "inet", table, map);
            if (!listed.ok()) throw new IOException("nft could not list map " + map + " of table inet " + table + ": " + listed.message());
            maps.putAll(parse(listed.stdout()).maps());
        }
        return new TableListing(terse.chains(), terse.sets(), maps, List.of());
    }

    private TableListing parse(String json) throws IOException {
        try {
            return TableListing.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IOException("listing table inet " + table + ": " + e.getMessage());
        }
    }
}
