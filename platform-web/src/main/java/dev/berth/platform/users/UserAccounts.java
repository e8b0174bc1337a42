package dev.berth.platform.users;

import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Reads accounts for the features that act on a user (sign-in, sessions, tokens, team members)
 * without access checks: they decide who may see what. Accounts change only through
 * {@link UserService}.
 */
@Service
public class UserAccounts {
    private final UserStore store;

    UserAccounts(UserStore store) {
        this.store = store;
    }

    public Optional<UserAccount> find(String username) {
        return store.find(username);
    }

    public Optional<UserAccount> find(long id) {
        return store.find(id);
    }

    /** The current credentials version, or empty if the user is gone. */
    public Optional<Long> credentialsVersion(long userId) {
        return store.credentialsVersion(userId);
    }
}
