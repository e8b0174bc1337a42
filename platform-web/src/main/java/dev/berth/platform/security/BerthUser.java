package dev.berth.platform.security;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The principal of a password login. Team roles are not authorities: they are read per request.
 * {@code credentialsVersion} is the account's version when the password was checked; a session
 * whose principal carries an older one than the database ended with a password change or reset.
 */
public record BerthUser(long id, String username, String passwordHash, boolean platformAdmin, boolean locked,
                        long credentialsVersion)
        implements UserDetails {

    static List<GrantedAuthority> authorities(boolean platformAdmin) {
        return platformAdmin
                ? List.of(new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_PLATFORM_ADMIN"))
                : List.of(new SimpleGrantedAuthority("ROLE_USER"));
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return authorities(platformAdmin);
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    public boolean isAccountNonLocked() {
        return !locked;
    }

    /** The same sign-in, carried on to a new credentials version (after changing one's own password). */
    public BerthUser withCredentialsVersion(long version) {
        return new BerthUser(id, username, passwordHash, platformAdmin, locked, version);
    }

    @Override
    public String toString() {
        return "BerthUser[" + username + "]";
    }

    /**
     * Carries the current sign-in over to a new credentials version, after the user changed their
     * own password: this session stays, the others end. Returns the context to store in the
     * session (the holder is updated already); empty if the current sign-in is not a password one.
     */
    public static Optional<SecurityContext> carryOver(long version) {
        var auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !(auth.getPrincipal() instanceof BerthUser user)) return Optional.empty();
        var renewed = UsernamePasswordAuthenticationToken.authenticated(user.withCredentialsVersion(version), null,
                auth.getAuthorities());
        renewed.setDetails(auth.getDetails());
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(renewed);
        SecurityContextHolder.setContext(context);
        return Optional.of(context);
    }
}
