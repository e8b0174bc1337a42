package dev.berth.platform.security;

import dev.berth.platform.access.Caller;
import dev.berth.platform.tokens.ApiToken;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A request authenticated by a personal API token. */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {
    private final long userId;
    private final ApiToken token;
    private final boolean userIsPlatformAdmin;

    public ApiTokenAuthentication(long userId, ApiToken token, boolean userIsPlatformAdmin) {
        // Platform-admin authority only through an unnarrowed token, as Caller.platformAdmin() says.
        super(BerthUser.authorities(userIsPlatformAdmin && token.team() == null));
        this.userId = userId;
        this.token = token;
        this.userIsPlatformAdmin = userIsPlatformAdmin;
        setAuthenticated(true);
    }

    public long userId() {
        return userId;
    }

    public ApiToken token() {
        return token;
    }

    public boolean userIsPlatformAdmin() {
        return userIsPlatformAdmin;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return token.owner();
    }

    @Override
    public String getName() {
        return token.owner();
    }
}
