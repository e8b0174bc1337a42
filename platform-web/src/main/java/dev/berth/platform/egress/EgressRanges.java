package dev.berth.platform.egress;

import dev.berth.platform.problem.Problem;
import dev.berth.registry.network.AddressClass;
import dev.berth.registry.network.Addresses;
import dev.berth.registry.network.Cidr;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an allow-list as an admin wrote it: each entry a range in canonical form, none reaching
 * this host's loopback, the unspecified address or multicast, at most {@link #MAX} of them. Pure.
 */
public final class EgressRanges {
    /** The most ranges one team may have. */
    public static final int MAX = 64;
    /** Classes no allow-list may open: they are never another server. */
    private static final Set<AddressClass> NEVER = EnumSet.of(AddressClass.LOOPBACK, AddressClass.UNSPECIFIED,
            AddressClass.MULTICAST);

    private EgressRanges() {
    }

    /**
     * The ranges in the order given, without repeats.
     *
     * @throws Problem.Invalid naming the first entry that is wrong and why
     */
    public static List<Cidr> parse(List<String> entries) {
        if (entries == null) throw new Problem.Invalid("ranges is required: a list such as [\"10.20.0.0/16\"], or [] for none");
        if (entries.size() > MAX) {
            throw new Problem.Invalid("a team may have at most " + MAX + " allowed ranges; " + entries.size() + " were given");
        }
        var out = new LinkedHashSet<Cidr>();
        for (int i = 0; i < entries.size(); i++) out.add(one(i, entries.get(i)));
        return List.copyOf(out);
    }

    private static Cidr one(int index, String entry) {
        String where = "ranges[" + index + "] '" + entry + "'";
        if (entry == null || entry.isBlank()) throw new Problem.Invalid("ranges[" + index + "] is empty: write a range such as 10.20.0.0/16");
        if (!entry.strip().contains("/")) {
            throw new Problem.Invalid(where + " has no prefix length: write " + entry.strip() + "/32 for one IPv4 address"
                    + " or " + entry.strip() + "/128 for one IPv6 address");
        }
        Cidr range;
        try {
            range = Cidr.parse(entry);
        } catch (IllegalArgumentException e) {
            throw new Problem.Invalid(where + " is not a range: " + e.getMessage());
        }
        Cidr network = range.withoutHostBits();
        if (!network.equals(range)) {
            throw new Problem.Invalid(where + " has bits set past its /" + range.prefix() + " prefix; did you mean " + text(network) + "?");
        }
        var never = EnumSet.copyOf(NEVER);
        never.retainAll(Addresses.nonPublicClassesIn(range));
        if (!never.isEmpty()) {
            throw new Problem.Invalid(where + " includes " + never.iterator().next().phrase() + " range; an app's"
                    + " allow-list names other servers only (loopback, unspecified and multicast addresses are never allowed)");
        }
        return range;
    }

    /** Whether some range of {@code allowed} holds every address of {@code range}. */
    public static boolean covered(List<Cidr> allowed, Cidr range) {
        return allowed.stream().anyMatch(a -> a.contains(range));
    }

    /** Whether every address of {@code range} is public, so that no allow-list is needed to reach it. */
    public static boolean entirelyPublic(Cidr range) {
        return Addresses.nonPublicClassesIn(range).isEmpty();
    }

    /** The canonical text: {@code 10.20.0.0/16}, {@code fd00:1::/64} (RFC 5952: lowercase, the longest zero run as {@code ::}). */
    public static String text(Cidr range) {
        byte[] a = range.network();
        if (a.length == 4) return range.toString();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        var parts = new ArrayList<String>();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                parts.add(i == 0 ? ":" : "");
                if (i + bestLength == 8) parts.add("");
                i += bestLength - 1;
            } else {
                parts.add(Integer.toHexString(groups[i]));
            }
        }
        return String.join(":", parts) + "/" + range.prefix();
    }
}
