package dev.berth.platform.tokens;

import dev.berth.platform.problem.Problem;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a new token may be, decided from what creates it. Pure. A token can only ever be narrowed:
 * created by a session or a password, it may reach what its user reaches for up to
 * {@link #MAX_LIFETIME}; created by another token, it may reach no team, no role and no moment the
 * minting token does not. What the request leaves out is inherited from the minting token (its
 * team, its role, its expiry); what it asks for beyond that is refused, naming what is too wide.
 */
public final class TokenMinting {
    public static final Duration MAX_LIFETIME = Duration.ofDays(366);

    private TokenMinting() {
    }

    /** What the new token will be: its team and highest role (null: unnarrowed) and expiry (null: none). */
    public record Granted(String name, String team, Role maxRole, Instant expiresAt) {
    }

    /**
     * @param caller         who asks, with the narrowing of the token they use, if any
     * @param minterExpiresAt when the token the caller uses expires (empty: a session, a password,
     *                       or a token that never expires)
     * @throws Problem.Invalid   when the request itself is malformed
     * @throws Problem.Forbidden when it asks for more than the caller (or its token) has
     * @throws Problem.NotFound  when the caller has no role in the team at all
     */
    public static Granted decide(Caller caller, Optional<Instant> minterExpiresAt, TokenService.Request request, Instant now) {
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 100) throw new Problem.Invalid("a token needs a name of 1 to 100 characters");
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw new Problem.Invalid("expiresAt " + request.expiresAt() + " is in the past");
        }
        if (request.expiresAt() != null && request.expiresAt().isAfter(now.plus(MAX_LIFETIME))) {
            throw new Problem.Invalid("expiresAt may be at most " + MAX_LIFETIME.toDays() + " days ahead");
        }
        if (request.maxRole() != null && request.team() == null) {
            throw new Problem.Invalid("a highest role needs a team: set 'team' as well as 'role'");
        }
        Optional<String> minterTeam = caller.token().flatMap(Caller.TokenScope::team);
        if (minterTeam.isPresent() && request.team() != null && !minterTeam.get().equals(request.team())) {
            throw new Problem.Forbidden("the token you are using is narrowed to team '" + minterTeam.get()
                    + "'; a token it creates cannot reach team '" + request.team() + "'");
        }
        String team = request.team() != null ? request.team() : minterTeam.orElse(null);
        Role maxRole = request.maxRole();
        if (team != null) {
            // roleIn already applies the minting token's own highest role.
            Role has = caller.roleIn(team).orElseThrow(() -> new Problem.NotFound("team '" + team + "' not found"));
            if (maxRole != null && !has.atLeast(maxRole)) {
                throw new Problem.Forbidden(caller.token().isPresent()
                        ? "the token you are using reaches at most " + has + " in team '" + team
                                + "'; a token it creates cannot be given " + maxRole
                        : "you have the " + has + " role in team '" + team + "'; a token cannot be given " + maxRole);
            }
            if (maxRole == null && caller.token().isPresent()) maxRole = has;
        }
        Instant expiresAt = request.expiresAt();
        if (minterExpiresAt.isPresent()) {
            Instant limit = minterExpiresAt.get();
            if (expiresAt == null) {
                expiresAt = limit;
            } else if (expiresAt.isAfter(limit)) {
                throw new Problem.Forbidden("expiresAt " + expiresAt + " is after " + limit
                        + ", when the token you are using expires; a token it creates cannot outlive it");
            }
        }
        return new Granted(name, team, maxRole, expiresAt);
    }
}
