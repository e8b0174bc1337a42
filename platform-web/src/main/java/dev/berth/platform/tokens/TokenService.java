package dev.berth.platform.tokens;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.access.Role;
import dev.berth.platform.teams.TeamLookup;
import dev.berth.platform.users.TokenRevocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Personal API tokens. A token can be narrowed to one team, a highest role and an expiry, never
 * widened: it must fit inside what the creating caller (itself perhaps a token) may do, as
 * {@link TokenMinting} decides.
 */
@Service
public class TokenService implements TokenRevocation {
    public static final Duration MAX_LIFETIME = TokenMinting.MAX_LIFETIME;

    private final TokenStore tokens;
    private final TeamLookup teams;
    private final AuditLog audit;
    private final Clock clock;

    public TokenService(TokenStore tokens, TeamLookup teams, AuditLog audit, Clock clock) {
        this.tokens = tokens;
        this.teams = teams;
        this.audit = audit;
        this.clock = clock;
    }

    /** What a new token should be; {@code team}, {@code maxRole} and {@code expiresAt} are optional. */
    public record Request(String name, String team, Role maxRole, Instant expiresAt) {
    }

    public IssuedToken create(Caller caller, Request request, RequestOrigin origin) {
        var now = clock.instant();
        // The token this request is authenticated by bounds the new one's expiry, and the new one
        // is void when the minter is: minted under the same credentials version.
        var minter = caller.token().flatMap(t -> tokens.findByPublicId(t.publicId()));
        Optional<Instant> minterExpiresAt = minter.map(s -> s.token().expiresAt());
        var granted = TokenMinting.decide(caller, minterExpiresAt, request, now);
        String team = granted.team();
        Long teamId = team == null ? null
                : teams.idOf(team);
        var secret = TokenSecret.generate();
        tokens.insert(caller.userId(), secret, granted.name(), teamId, granted.maxRole(), now, granted.expiresAt(),
                minter.map(TokenStore.Stored::credentialsVersion).orElse(null));
        var details = new ApiToken(secret.publicId(), granted.name(), caller.username(), team, granted.maxRole(), now,
                granted.expiresAt(), null, null);
        audit.record(AuditEvent.of(caller, "token.create", "token:" + secret.publicId()).team(team)
                .source(origin.address(), origin.userAgent())
                .detail("name", granted.name()).detail("maxRole", granted.maxRole()).detail("expiresAt", granted.expiresAt()));
        return new IssuedToken(secret.text(), details);
    }

    /**
     * Listing and revoking other tokens is account management: a token narrowed to a team (a
     * VIEWER-scoped one, say) may revoke itself, nothing else.
     */
    private static void requireFullReach(Caller caller, String what) {
        var scope = caller.token().filter(t -> t.team().isPresent());
        if (scope.isPresent()) {
            throw new Problem.Forbidden("the token you are using is narrowed to team '" + scope.get().team().get() + "'"
                    + scope.get().maxRole().map(r -> " as " + r).orElse("") + "; " + what
                    + " needs a token that is not narrowed to a team, or signing in to the dashboard");
        }
    }

    public List<ApiToken> list(Caller caller) {
        requireFullReach(caller, "listing your tokens");
        return tokens.ofUser(caller.userId());
    }

    public void revoke(Caller caller, String publicId, RequestOrigin origin) {
        boolean itself = caller.token().map(t -> t.publicId().equals(publicId)).orElse(false);
        if (!itself) requireFullReach(caller, "revoking another of your tokens");
        if (!tokens.revoke(caller.userId(), publicId, clock.instant())) {
            throw new Problem.NotFound("no active token '" + publicId + "' of yours");
        }
        audit.record(AuditEvent.of(caller, "token.revoke", "token:" + publicId)
                .source(origin.address(), origin.userAgent()));
    }

    /**
     * Revokes all of a user's tokens but the one {@code caller} uses, if any, for a password
     * change or reset; run it in the transaction that changes the password, after it. The kept
     * token is carried over to the new credentials version. Returns the ids revoked, for
     * {@link #auditRevoked}.
     */
    @Override
    public List<String> revokeAllOf(Caller caller, long userId) {
        String keep = caller.userId() == userId ? caller.token().map(Caller.TokenScope::publicId).orElse(null) : null;
        var revoked = tokens.revokeAllOf(userId, keep, clock.instant());
        if (keep != null) tokens.keepAcrossPasswordChange(userId, keep);
        return revoked;
    }

    /** Audits each revocation {@link #revokeAllOf} made, with the reason. */
    @Override
    public void auditRevoked(Caller caller, List<String> revoked, String owner, String reason, RequestOrigin origin) {
        for (String id : revoked) {
            audit.record(AuditEvent.of(caller, "token.revoke", "token:" + id)
                    .source(origin.address(), origin.userAgent())
                    .detail("owner", owner).detail("reason", reason));
        }
    }

    /** Why a presented token was not accepted. */
    public sealed interface Verdict permits Valid, Rejected {
    }

    public record Valid(long userId, ApiToken token) implements Verdict {
    }

    public record Rejected(String reason) implements Verdict {
    }

    /** Checks a presented bearer token. Expiry and revocation are named only to holders of the real secret. */
    public Verdict authenticate(String presented) {
        var parsed = TokenSecret.parse(presented);
        if (parsed.isEmpty()) {
            return new Rejected(presented != null && presented.startsWith("berth-agent_")
                    ? "a host agent's credential cannot call this API; it works only on /agent/ endpoints"
                    : "the bearer token is not a Berth API token");
        }
        var stored = tokens.findByPublicId(parsed.get().publicId());
        if (stored.isEmpty() || !parsed.get().matches(stored.get().secretHash())) {
            return new Rejected("the bearer token is not valid");
        }
        var now = clock.instant();
        var token = stored.get().token();
        // Revoked rows say so themselves; this catches a token minted by one that was in flight
        // while its owner's password changed.
        if (stored.get().predatesPassword()) {
            return new Rejected("the token '" + token.id() + "' was revoked: its owner's password changed");
        }
        return switch (token.status(now)) {
            case REVOKED -> new Rejected("the token '" + token.id() + "' was revoked");
            case EXPIRED -> new Rejected("the token '" + token.id() + "' expired at " + token.expiresAt());
            case ACTIVE -> {
                tokens.touch(token.id(), now);
                yield new Valid(stored.get().userId(), token);
            }
        };
    }
}
