package dev.berth.platform.web.security;

import dev.berth.platform.lockout.LockoutPolicy;
import dev.berth.platform.lockout.LoginThrottle;
import dev.berth.platform.security.BerthUser;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.users.UserAccount;
import dev.berth.platform.users.UserAccounts;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/**
 * Loads the account a password sign-in names, as {@link LoginThrottle} admits the attempt from
 * the request's source address. A refused attempt gets a locked principal, so the password is
 * never checked (no hashing work for a flood) and a locked unknown name answers exactly like a
 * locked real one.
 */
@Service
public class BerthUserDetailsService implements UserDetailsService {
    private final UserAccounts users;
    private final LoginThrottle throttle;

    public BerthUserDetailsService(UserAccounts users, LoginThrottle throttle) {
        this.users = users;
        this.throttle = throttle;
    }

    @Override
    public BerthUser loadUserByUsername(String username) {
        var user = users.find(username);
        var verdict = throttle.admit(user.map(UserAccount::id).orElse(null), RequestOrigin.current().address());
        boolean locked = verdict instanceof LockoutPolicy.Locked;
        if (user.isEmpty()) {
            if (locked) return new BerthUser(-1, username, "", false, true, -1);
            throw new UsernameNotFoundException("no such user");
        }
        var u = user.get();
        // An account made by a single sign-on has no password: a password for it is as wrong as for no account.
        if (!u.hasPassword() && !locked) throw new UsernameNotFoundException("no password");
        return new BerthUser(u.id(), u.username(), u.passwordHash(), u.platformAdmin(), locked, u.credentialsVersion());
    }
}
