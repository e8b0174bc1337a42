package dev.berth.platform.users;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.lockout.LoginThrottle;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creating and listing users (platform admins only), and passwords. A password change or reset
 * ends the user's sessions (the credentials version moves on; every request checks it against the
 * database, so this holds on every platform instance) and revokes their API tokens.
 */
@Service
public class UserService {
    private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]{0,62}");
    public static final int MIN_PASSWORD_LENGTH = 12;

    private final UserStore users;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;
    private final TokenRevocation tokens;
    private final LoginThrottle throttle;
    private final TransactionTemplate tx;

    public UserService(UserStore users, PasswordEncoder passwords, AuditLog audit, Clock clock, TokenRevocation tokens,
                       LoginThrottle throttle, TransactionTemplate tx) {
        this.tx = tx;
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    public List<UserSummary> list(Caller caller) {
        AccessPolicy.require(caller, Permission.MANAGE_USERS);
        return users.all().stream()
                .map(u -> new UserSummary(u.username(), u.platformAdmin(), throttle.lockedSomewhere(u.id()), u.createdAt()))
                .toList();
    }

    /** Usernames any signed-in user may pick from when adding members. */
    public List<String> usernames() {
        return users.all().stream().map(UserAccount::username).toList();
    }

    public UserSummary create(Caller caller, String username, String password, boolean platformAdmin, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_USERS);
        var created = createUnchecked(username, password, platformAdmin);
        audit.record(AuditEvent.of(caller, "user.create", "user:" + username)
                .source(origin.address(), origin.userAgent())
                .detail("platformAdmin", platformAdmin));
        return created;
    }

    /**
     * Changes the caller's own password. The current one must be given, so a stolen session or
     * token alone cannot take over the account. Every other session ends and every other token
     * is revoked; the credential this request came with (a session or a token) is kept. Returns
     * the new credentials version, which the dashboard carries its session over to.
     */
    public long changeOwnPassword(Caller caller, String currentPassword, String newPassword, RequestOrigin origin) {
        var user = users.find(caller.userId()).orElseThrow(() -> new Problem.NotFound("your account no longer exists"));
        if (!user.hasPassword()) {
            throw new Problem.Invalid("your account signs in through single sign-on and has no password here to change");
        }
        if (currentPassword == null || !passwords.matches(currentPassword, user.passwordHash())) {
            audit.record(AuditEvent.of(caller, "user.password.change", "user:" + user.username())
                    .source(origin.address(), origin.userAgent())
                    .outcome(AuditEvent.Outcome.FAILURE).detail("reason", "wrong current password"));
            throw new Problem.Forbidden("the current password is wrong");
        }
        validatePassword(newPassword);
        if (newPassword.equals(currentPassword)) throw new Problem.Invalid("the new password is the same as the current one");
        var changed = setPassword(caller, user, newPassword);
        tokens.auditRevoked(caller, changed.revoked(), user.username(), "password changed", origin);
        audit.record(AuditEvent.of(caller, "user.password.change", "user:" + user.username())
                .source(origin.address(), origin.userAgent())
                .detail("otherSessions", "ended").detail("tokensRevoked", changed.revoked().size()));
        return changed.version();
    }

    /**
     * Sets another user's password and lifts any lockout; platform admins only. All the user's
     * sessions end and all their tokens are revoked (an admin resetting their own password keeps
     * the token this request came with).
     */
    public void resetPassword(Caller caller, String username, String newPassword, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_USERS);
        validatePassword(newPassword);
        var user = users.find(username).orElseThrow(() -> new Problem.NotFound("user '" + username + "' not found"));
        var changed = setPassword(caller, user, newPassword);
        throttle.forget(user.id());
        tokens.auditRevoked(caller, changed.revoked(), username, "password reset", origin);
        audit.record(AuditEvent.of(caller, "user.password.reset", "user:" + username)
                .source(origin.address(), origin.userAgent())
                .detail("sessions", "ended").detail("tokensRevoked", changed.revoked().size()));
    }

    private record Changed(long version, List<String> revoked) {
    }

    /**
     * The new password, the new credentials version (which ends sessions) and the revoked
     * tokens, all or nothing.
     */
    private Changed setPassword(Caller caller, UserAccount user, String newPassword) {
        String hash = passwords.encode(newPassword);
        return tx.execute(s -> {
            long version = users.setPassword(user.id(), hash);
            return new Changed(version, tokens.revokeAllOf(caller, user.id()));
        });
    }

    /** Creates a user without an access check; for the first-start bootstrap. */
    UserSummary createUnchecked(String username, String password, boolean platformAdmin) {
        validateUsername(username);
        validatePassword(password);
        var now = clock.instant();
        users.insert(username, passwords.encode(password), platformAdmin, now)
                .orElseThrow(() -> new Problem.Conflict("user '" + username + "' already exists"));
        return new UserSummary(username, platformAdmin, false, now);
    }

    /**
     * Creates a user without a password, for a first sign-in through the identity provider, which
     * vouched for the person (no access check); empty when the name is taken.
     */
    public Optional<UserAccount> createWithoutPassword(String username) {
        validateUsername(username);
        return users.insert(username, null, false, clock.instant()).flatMap(users::find);
    }

    static void validateUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new Problem.Invalid("username '" + username + "' is not valid: use 1-63 lowercase letters, digits,"
                    + " '.', '_' or '-', starting with a letter");
        }
        // "me" names the caller in /api/v1/users/me/...
        if (username.equals("me")) throw new Problem.Invalid("the username 'me' is reserved");
    }

    static void validatePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new Problem.Invalid("the password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > 512) throw new Problem.Invalid("the password must have at most 512 characters");
    }
}
