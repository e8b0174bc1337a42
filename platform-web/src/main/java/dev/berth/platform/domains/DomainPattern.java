package dev.berth.platform.domains;

import dev.berth.gitsync.definition.HostNames;
import dev.berth.platform.problem.Problem;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host name a team may claim: an exact host ({@code shop.example.com}) or a one-label wildcard
 * ({@code *.payments.example.com}: any single label in front, neither the bare
 * {@code payments.example.com} nor deeper names). Hosts follow the same rules as berth.yaml routes.
 * Pure.
 *
 * @param text the pattern as written, lower case
 * @param base the host itself, or what follows {@code *.} for a wildcard
 */
public record DomainPattern(String text, String base) {
    /** The most patterns one team may hold. */
    public static final int MAX = 64;
    private static final String WILDCARD = "*.";

    public boolean wildcard() {
        return text.startsWith(WILDCARD);
    }

    /** Parses one pattern, or says why it is not one. */
    public static DomainPattern parse(String text) {
        String problem = problem(text);
        if (problem != null) throw new Problem.Invalid("'" + text + "' " + problem);
        return of(text);
    }

    private static DomainPattern of(String text) {
        return new DomainPattern(text, text.startsWith(WILDCARD) ? text.substring(WILDCARD.length()) : text);
    }

    private static String problem(String text) {
        String base = text.startsWith(WILDCARD) ? text.substring(WILDCARD.length()) : text;
        if (base.contains("*")) {
            return "has a '*' out of place; a wildcard is '*.' then a domain, such as *.payments.example.com";
        }
        return HostNames.problem(base);
    }

    /**
     * Parses a team's whole list.
     *
     * @throws Problem.Invalid naming the first entry that is wrong ({@code domains[1] 'x' ...}) and why
     */
    public static List<DomainPattern> parseAll(List<String> entries) {
        if (entries == null) {
            throw new Problem.Invalid("domains is required: a list such as [\"*.payments.example.com\"], or [] for none");
        }
        if (entries.size() > MAX) {
            throw new Problem.Invalid("a team may have at most " + MAX + " domains; " + entries.size() + " were given");
        }
        var seen = new HashSet<String>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            if (entry == null || entry.isBlank()) {
                throw new Problem.Invalid("domains[" + i + "] is empty: write a host such as shop.example.com");
            }
            String problem = problem(entry);
            if (problem != null) throw new Problem.Invalid("domains[" + i + "] '" + clip(entry) + "' " + problem);
            if (!seen.add(entry)) throw new Problem.Invalid("domains[" + i + "] '" + entry + "' is listed twice");
        }
        return entries.stream().map(DomainPattern::of).toList();
    }

    /** Whether this pattern covers {@code host}. */
    public boolean matches(String host) {
        if (!wildcard()) return host.equals(text);
        int label = host.length() - base.length() - 1;
        return label > 0 && host.endsWith("." + base) && host.lastIndexOf('.', label - 1) < 0;
    }

    /** Whether some host matches both patterns, so that they cannot belong to two teams. */
    public boolean overlaps(DomainPattern other) {
        if (wildcard() == other.wildcard()) return base.equals(other.base);
        return wildcard() ? matches(other.text) : other.matches(text);
    }

    /** The team whose patterns cover {@code host}, if any (overlaps are refused, so at most one). */
    public static Optional<String> ownerOf(String host, Map<String, List<DomainPattern>> byTeam) {
        return byTeam.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(p -> p.matches(host)))
                .map(Map.Entry::getKey).findFirst();
    }

    private static String clip(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
