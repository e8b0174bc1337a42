package dev.berth.platform.users;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.AccessPolicy;
import dev.berth.platform.security.Caller;
import dev.berth.platform.security.LockoutPolicy;
import dev.berth.platform.security.Permission;
import dev.berth.platform.security.RequestOrigin;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** Creating and listing users; platform admins only. */
@Service
public class UserService {
    private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]{0,62}");
    public static final int MIN_PASSWORD_LENGTH = 12;

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;

    public UserService(UserRepository users, PasswordEncoder passwords, AuditLog audit, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
    }

    public List<UserSummary> list(Caller caller) {
        AccessPolicy.require(caller, Permission.MANAGE_USERS);
        var now = clock.instant();
        return users.all().stream()
                .map(u -> new UserSummary(u.username(), u.platformAdmin(), LockoutPolicy.isLocked(u.lockedUntil(), now), u.createdAt()))
                .toList();
    }

    /** Usernames any signed-in user may pick from when adding members. */
    public List<String> usernames() {
        return users.all().stream().map(UserAccount::username).toList();
    }

    public UserSummary create(Caller caller, String username, String password, boolean platformAdmin, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_USERS);
        var created = createUnchecked(username, password, platformAdmin);
        audit.record(AuditEvent.of(caller.actor(), "user.create", "user:" + username)
                .source(origin.address(), origin.userAgent())
                .detail("platformAdmin", platformAdmin));
        return created;
    }

    /**
     * Changes the caller's own password. The current one must be given, so a stolen session or
     * token alone cannot take over the account.
     */
    public void changeOwnPassword(Caller caller, String currentPassword, String newPassword, RequestOrigin origin) {
        var user = users.find(caller.userId()).orElseThrow(() -> new Problem.NotFound("your account no longer exists"));
        if (currentPassword == null || !passwords.matches(currentPassword, user.passwordHash())) {
            audit.record(AuditEvent.of(caller.actor(), "user.password.change", "user:" + user.username())
                    .source(origin.address(), origin.userAgent())
                    .outcome(AuditEvent.Outcome.FAILURE).detail("reason", "wrong current password"));
            throw new Problem.Forbidden("the current password is wrong");
        }
        validatePassword(newPassword);
        if (newPassword.equals(currentPassword)) throw new Problem.Invalid("the new password is the same as the current one");
        users.setPassword(user.id(), passwords.encode(newPassword));
        audit.record(AuditEvent.of(caller.actor(), "user.password.change", "user:" + user.username())
                .source(origin.address(), origin.userAgent()));
    }

    /** Sets another user's password and lifts any lockout; platform admins only. */
    public void resetPassword(Caller caller, String username, String newPassword, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_USERS);
        validatePassword(newPassword);
        var user = users.find(username).orElseThrow(() -> new Problem.NotFound("user '" + username + "' not found"));
        users.setPassword(user.id(), passwords.encode(newPassword));
        users.unlock(user.id());
        audit.record(AuditEvent.of(caller.actor(), "user.password.reset", "user:" + username)
                .source(origin.address(), origin.userAgent()));
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
