package dev.berth.agent.firewall;

import dev.berth.registry.network.Addresses;
import dev.berth.registry.network.Cidr;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's one nftables table: what its containers may reach (see {@link ContainerRules}),
 * every drop counted, nothing else on the host touched. Each change is one nft transaction; the
 * methods are synchronized because a change depends on what the table holds. This object is the
 * table's one writer: it reads the verdict maps when it opens and then keeps track of its own
 * changes, so that {@link #apply} (on every container start) is a single nft run. Should another
 * writer have changed the maps, the apply that trips over it reads them again and retries.
 *
 * <p>What a container gets: packets from its host interface (CNI {@code ptp}) jump to its own
 * chains. Forwarded, they may reach its DNS resolvers (when it may reach anything), its allowed
 * destinations (TCP and UDP) and, with public egress, every address that is neither non-public
 * (the ranges of registry's {@link Addresses}) nor in the agent's container subnets. To the host
 * itself only DNS to its resolvers passes. Everything else is counted per destination and dropped.
 * Nothing opens a connection into a container subnet (so an allowed destination inside one never
 * passes) but what a published port forwards to a container ({@link #forward}); containers leave
 * masqueraded (the ptp plugin's own ipMasq stays off). Forwarding itself
 * ({@code net.ipv4.ip_forward}) is the caller's to check.
 */
public final class Firewall {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> INTERFACE_MAPS = List.of(TableObjects.FORWARD_MAP, TableObjects.INPUT_MAP);

    private final Nft nft;
    private final String table;
    private final FirewallRules rules;
    private final ForwardRules forwardRules;
    /** The published ports forwarded now, as this object last wrote them (the table starts without any). */
    private final Map<PortForward.Key, PortForward> forwards = new LinkedHashMap<>();
    /** The verdict maps' entries as this object last wrote or read them (chains and sets left out). */
    private TableListing known = TableListing.EMPTY;

    private Firewall(Nft nft, String table) {
        this.nft = nft;
        this.table = table;
        this.rules = new FirewallRules(table);
        this.forwardRules = new ForwardRules(table);
    }

    /**
     * Creates the table {@code inet <table>} if missing, or brings its base chains back to what
     * they must be, keeping the containers' chains.
     *
     * @param containerSubnets the ranges this agent gives its containers: new connections into them are dropped
     */
    public static Firewall open(Path nft, String table, List<Cidr> containerSubnets) throws IOException {
        var firewall = new Firewall(new Nft(nft, TIMEOUT), TableObjects.table(table));
        TableListing now = firewall.listing(true);
        firewall.nft.apply(firewall.rules.base(containerSubnets, Addresses.nonPublicRanges(), now));
        firewall.known = now; // the base script keeps the maps' entries
        return firewall;
    }

    /**
     * Installs or replaces one container's rules, in one nftables transaction. Its refusal counts
     * survive a replacement; its old host interface stops being its own.
     *
     * @throws IllegalArgumentException when the name is not a runc id, the interface name not a Linux one, or a port out of range
     */
    public synchronized void apply(ContainerRules rules) throws IOException {
        // Only the maps matter here (chains and sets are added idempotently), and this object made
        // every change to them since it read them: one nft run, no listing, on a container's start.
        try {
            nft.apply(this.rules.apply(rules, known));
        } catch (IOException refused) {
            // Someone else changed the maps (an entry to delete is gone, or the interface jumps
            // elsewhere): read them back and try once more; a real refusal fails again the same way.
            known = mapsOnly();
            nft.apply(this.rules.apply(rules, known));
        }
        known = known.withContainer(TableObjects.hostInterface(rules.hostInterface()),
                TableObjects.forwardChain(rules.container()), TableObjects.inputChain(rules.container()));
    }

    /**
     * Forwards published ports to containers' addresses, or stops (a forward with nothing
     * serving), all in one nftables transaction: a new connection sees every change or none, and
     * connections already forwarded carry on. Ports not named keep what they had. Opening the
     * firewall starts with no forwards.
     */
    public synchronized void forward(List<PortForward> changes) throws IOException {
        if (changes.isEmpty()) return;
        var after = new LinkedHashMap<>(forwards);
        for (PortForward f : changes) {
            if (f.members().isEmpty()) after.remove(f.key());
            else after.put(f.key(), f);
        }
        nft.apply(forwardRules.apply(changes, forwards, after.values()));
        forwards.clear();
        forwards.putAll(after);
    }

    /**
     * Lets exactly {@code paths} through between this host's containers (connects the kernel
     * forwards), and their replies, in one transaction; every other path stays refused. Opening
     * the firewall starts with none.
     */
    public synchronized void connects(java.util.Collection<ConnectPath> paths) throws IOException {
        nft.apply(rules.connectPaths(paths));
    }

    /** Removes one container's rules; nothing happens when it has none. */
    public synchronized void remove(String container) throws IOException {
        TableListing now = listing(true);
        String script = rules.remove(container, now);
        if (!script.isEmpty()) nft.apply(script);
        known = mapsOf(now.withoutContainer(TableObjects.forwardChain(container), TableObjects.inputChain(container)));
    }

    /** The containers that have rules in the table, for repair after a crash. */
    public synchronized Set<String> containers() throws IOException {
        return listing(false).containers();
    }

    /**
     * Every refused destination of every container, with the kernel's counts. Each container
     * counts up to 1024 destinations per family, with ports and without; beyond that its drops
     * are still counted, in the rule's own counter ({@link #describe}), but no longer per destination.
     */
    public synchronized List<Refusal> refusals() throws IOException {
        Nft.Output out = nft.run("-j", "list", "table", "inet", table);
        if (!out.ok()) throw new IOException("nft could not list table inet " + table + ": " + out.message());
        return parse(out.stdout()).refusals();
    }

    /** The rules that apply to one container, as nftables lists them (for the isolation report). */
    public synchronized String describe(String container) throws IOException {
        TableListing now = listing(true);
        String forward = TableObjects.forwardChain(container);
        String input = TableObjects.inputChain(container);
        if (!now.chains().contains(forward)) {
            return "container " + container + " has no rules in table inet " + table
                    + ": its packets are dropped when they come from a container subnet\n";
        }
        return FirewallRules.description(container, now.interfacesJumpingTo(TableObjects.FORWARD_MAP, forward),
                listChain(forward), listChain(input));
    }

    private String listChain(String chain) throws IOException {
        Nft.Output out = nft.run("list", "chain", "inet", table, chain);
        if (!out.ok()) throw new IOException("nft could not list chain " + chain + " of table inet " + table + ": " + out.message());
        return out.stdout();
    }

    /** Deletes the whole table (an agent leaving the host, tests). */
    public synchronized void delete() throws IOException {
        if (listingOrNull(false) != null) nft.apply("delete table inet " + table + "\n");
        known = TableListing.EMPTY;
        forwards.clear();
    }

    private TableListing mapsOnly() throws IOException {
        return new TableListing(Set.of(), Set.of(), maps(INTERFACE_MAPS), List.of());
    }

    private static TableListing mapsOf(TableListing listing) {
        return new TableListing(Set.of(), Set.of(), listing.maps(), List.of());
    }

    /** What the table holds, without the contents of its sets but the maps' if asked; empty when it does not exist. */
    private TableListing listing(boolean withMaps) throws IOException {
        TableListing listing = listingOrNull(withMaps);
        return listing == null ? TableListing.EMPTY : listing;
    }

    private TableListing listingOrNull(boolean withMaps) throws IOException {
        Nft.Output out = nft.run("-j", "-t", "list", "table", "inet", table);
        if (!out.ok()) {
            if (absent(out)) return null;
            throw new IOException("nft could not list table inet " + table + ": " + out.message());
        }
        TableListing terse = parse(out.stdout());
        // The terse listing leaves out set contents, the verdict maps' entries among them.
        // Only the interface maps: the published ports' maps are this object's alone to write ({@link #forward}).
        var maps = withMaps ? maps(terse.maps().keySet().stream().filter(INTERFACE_MAPS::contains).toList()) : terse.maps();
        return new TableListing(terse.chains(), terse.sets(), maps, List.of());
    }

    /** The entries of the verdict maps {@code names}; a missing one is left out. */
    private Map<String, Map<String, String>> maps(List<String> names) throws IOException {
        var maps = new LinkedHashMap<String, Map<String, String>>();
        for (String map : names) {
            Nft.Output listed = nft.run("-j", "list", "map", "inet", table, map);
            if (absent(listed)) continue;
            if (!listed.ok()) throw new IOException("nft could not list map " + map + " of table inet " + table + ": " + listed.message());
            maps.putAll(parse(listed.stdout()).maps());
        }
        return maps;
    }

    /** nft's word for a table, chain or map that does not exist (its messages are not translated: the environment is empty). */
    private static boolean absent(Nft.Output out) {
        return !out.ok() && out.stderr().contains("No such file or directory");
    }

    private TableListing parse(String json) throws IOException {
        try {
            return TableListing.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IOException("listing table inet " + table + ": " + e.getMessage());
        }
    }
}
