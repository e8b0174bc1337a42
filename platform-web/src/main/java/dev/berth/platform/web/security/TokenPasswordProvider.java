package dev.berth.platform.web.security;

import dev.berth.platform.security.ApiTokenAuthentication;
import dev.berth.platform.tokens.TokenService;
import dev.berth.platform.users.UserAccounts;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * Lets an API token stand in for the password in Basic auth, as git clients send it. The token
 * must belong to the named user. A password that does not look like a token is left to the
 * password provider, so only real password guesses count towards a lockout.
 */
public class TokenPasswordProvider implements AuthenticationProvider {
    private final TokenService tokens;
    private final UserAccounts users;

    public TokenPasswordProvider(TokenService tokens, UserAccounts users) {
        this.tokens = tokens;
        this.users = users;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String secret = String.valueOf(authentication.getCredentials());
        if (!secret.startsWith("berth_")) return null;
        return switch (tokens.authenticate(secret)) {
            case TokenService.Valid v -> {
                var user = users.find(v.userId()).orElseThrow(() -> new BadCredentialsException("token owner not found"));
                if (!user.username().equals(authentication.getName())) {
                    throw new BadCredentialsException("this token belongs to another user");
                }
                yield new ApiTokenAuthentication(v.userId(), v.token(), user.platformAdmin());
            }
            case TokenService.Rejected r -> throw new BadCredentialsException(r.reason());
        };
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
