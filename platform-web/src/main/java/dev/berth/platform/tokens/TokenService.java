package dev.berth.platform.tokens;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.Caller;
import dev.berth.platform.security.RequestOrigin;
import dev.berth.platform.teams.Role;
import dev.berth.platform.teams.TeamRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Personal API tokens. A token can be narrowed to one team and a highest role, never widened:
 * its scope must fit inside what the creating caller (itself perhaps a token) may do.
 */
@Service
public class TokenService {
    public static final Duration MAX_LIFETIME = Duration.ofDays(366);

    private final TokenRepository tokens;
    private final TeamRepository teams;
    private final AuditLog audit;
    private final Clock clock;

    public TokenService(TokenRepository tokens, TeamRepository teams, AuditLog audit, Clock clock) {
        this.tokens = tokens;
        this.teams = teams;
        this.audit = audit;
        this.clock = clock;
    }

    /** What a new token should be; {@code team}, {@code maxRole} and {@code expiresAt} are optional. */
    public record Request(String name, String team, Role maxRole, Instant expiresAt) {
    }

    public IssuedToken create(Caller caller, Request request, RequestOrigin origin) {
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 100) throw new Problem.Invalid("a token needs a name of 1 to 100 characters");
        var now = clock.instant();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw new Problem.Invalid("expiresAt " + request.expiresAt() + " is in the past");
        }
        if (request.expiresAt() != null && request.expiresAt().isAfter(now.plus(MAX_LIFETIME))) {
            throw new Problem.Invalid("expiresAt may be at most " + MAX_LIFETIME.toDays() + " days ahead");
        }
        if (request.maxRole() != null && request.team() == null) {
            throw new Problem.Invalid("a highest role needs a team: set 'team' as well as 'role'");
        }
        // Whatever the caller's own token is narrowed to, the new one must be at least as narrow.
        Optional<String> callerTeam = caller.token().flatMap(Caller.TokenScope::team);
        String team = request.team() != null ? request.team() : callerTeam.orElse(null);
        Long teamId = null;
        Role maxRole = request.maxRole();
        if (team != null) {
            Role has = caller.roleIn(team).orElseThrow(() -> new Problem.NotFound("team '" + team + "' not found"));
            if (maxRole != null && !has.atLeast(maxRole)) {
                throw new Problem.Forbidden("you have the " + has + " role in team '" + team
                        + "'; a token cannot be given " + maxRole);
            }
            if (maxRole == null && caller.token().isPresent()) maxRole = has;
            teamId = teams.find(team).orElseThrow(() -> new Problem.NotFound("team '" + team + "' not found")).id();
        }
        var secret = TokenSecret.generate();
        tokens.insert(caller.userId(), secret, name, teamId, maxRole, now, request.expiresAt());
        var details = new ApiToken(secret.publicId(), name, caller.username(), team, maxRole, now,
                request.expiresAt(), null, null);
        audit.record(AuditEvent.of(caller.actor(), "token.create", "token:" + secret.publicId()).team(team)
                .source(origin.address(), origin.userAgent())
                .detail("name", name).detail("maxRole", maxRole).detail("expiresAt", request.expiresAt()));
        return new IssuedToken(secret.text(), details);
    }

    public List<ApiToken> list(Caller caller) {
        return tokens.ofUser(caller.userId());
    }

    public void revoke(Caller caller, String publicId, RequestOrigin origin) {
        if (!tokens.revoke(caller.userId(), publicId, clock.instant())) {
            throw new Problem.NotFound("no active token '" + publicId + "' of yours");
        }
        audit.record(AuditEvent.of(caller.actor(), "token.revoke", "token:" + publicId)
                .source(origin.address(), origin.userAgent()));
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
