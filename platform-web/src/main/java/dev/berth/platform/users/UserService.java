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
    }

    static void validatePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new Problem.Invalid("the password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > 512) throw new Problem.Invalid("the password must have at most 512 characters");
    }
}
