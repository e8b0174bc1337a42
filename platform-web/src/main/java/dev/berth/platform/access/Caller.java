package dev.berth.platform.access;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is making a request and what they may do right now: the user's current memberships,
 * narrowed by the API token they used, if any. Computed per request, so a token never keeps
 * rights its user has lost.
 */
public record Caller(long userId, String username, boolean userIsPlatformAdmin, Map<String, Role> memberships,
                     Optional<TokenScope> token) {

    public Caller {
        memberships = Map.copyOf(memberships);
    }

    /** The narrowing an API token applies: its id, and optionally one team and a highest role. */
    public record TokenScope(String publicId, Optional<String> team, Optional<Role> maxRole) {
    }

    /** Platform-admin rights survive only through an unnarrowed token. */
    public boolean platformAdmin() {
        return userIsPlatformAdmin && token.flatMap(TokenScope::team).isEmpty();
    }

    /** The effective role in a team, if any. Platform admins act as ADMIN of every team. */
    public Optional<Role> roleIn(String team) {
        Optional<Role> base = userIsPlatformAdmin ? Optional.of(Role.ADMIN) : Optional.ofNullable(memberships.get(team));
        if (token.isEmpty()) return base;
        TokenScope scope = token.get();
        if (scope.team().isPresent() && !scope.team().get().equals(team)) return Optional.empty();
        return base.map(r -> scope.maxRole().map(max -> Role.lower(r, max)).orElse(r));
    }

    public boolean hasRole(String team, Role needed) {
        return roleIn(team).map(r -> r.atLeast(needed)).orElse(false);
    }

    /** Teams where the caller has at least {@code needed}, among those the caller is a member of. */
    public Set<String> teamsWith(Role needed) {
        return memberships.keySet().stream().filter(t -> hasRole(t, needed)).collect(Collectors.toUnmodifiableSet());
    }
}
