package dev.berth.platform.security;

import dev.berth.platform.access.Caller;
import dev.berth.platform.teams.TeamLookup;
import dev.berth.platform.users.UserAccounts;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Turns the authenticated principal into a {@link Caller} with current memberships. */
@Service
public class CallerResolver {
    private final TeamLookup teams;
    private final UserAccounts users;

    public CallerResolver(TeamLookup teams, UserAccounts users) {
        this.teams = teams;
        this.users = users;
    }

    /** The caller of the current request; fails if nobody is signed in. */
    public Caller current() {
        return resolve(SecurityContextHolder.getContext().getAuthentication())
                .orElseThrow(() -> new UsernameNotFoundException("not signed in"));
    }

    public Optional<Caller> resolve(Authentication auth) {
        if (auth == null || !auth.isAuthenticated()) return Optional.empty();
        return switch (auth) {
            case ApiTokenAuthentication t -> Optional.of(new Caller(t.userId(), t.getName(), t.userIsPlatformAdmin(),
                    teams.membershipsOf(t.userId()),
                    Optional.of(new Caller.TokenScope(t.token().id(), Optional.ofNullable(t.token().team()),
                            Optional.ofNullable(t.token().maxRole())))));
            default -> {
                if (!(auth.getPrincipal() instanceof BerthUser u)) yield Optional.empty();
                // Re-read the admin flag: a session must not outlive a demotion, nor a password
                // change or reset (its credentials version is then behind).
                yield ofUser(u.id(), u.credentialsVersion());
            }
        };
    }

    /**
     * The user {@code userId} as a signed-in session of theirs would be now, if their credentials
     * are still at {@code credentialsVersion} (no password change or reset since); else empty.
     * For acting later on a decision a session made (a command-line sign-in it approved).
     */
    public Optional<Caller> ofUser(long userId, long credentialsVersion) {
        return users.find(userId).filter(fresh -> fresh.credentialsVersion() == credentialsVersion)
                .map(fresh -> new Caller(fresh.id(), fresh.username(), fresh.platformAdmin(),
                        teams.membershipsOf(fresh.id()), Optional.empty()));
    }
}
