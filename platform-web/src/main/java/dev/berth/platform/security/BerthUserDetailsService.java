package dev.berth.platform.security;

import dev.berth.platform.users.UserRepository;
import java.time.Clock;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

@Service
public class BerthUserDetailsService implements UserDetailsService {
    private final UserRepository users;
    private final Clock clock;

    public BerthUserDetailsService(UserRepository users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    @Override
    public BerthUser loadUserByUsername(String username) {
        var u = users.find(username).orElseThrow(() -> new UsernameNotFoundException("no such user"));
        return new BerthUser(u.id(), u.username(), u.passwordHash(), u.platformAdmin(),
                LockoutPolicy.isLocked(u.lockedUntil(), clock.instant()));
    }
}
