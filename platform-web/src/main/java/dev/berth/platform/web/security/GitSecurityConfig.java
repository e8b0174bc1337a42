package dev.berth.platform.web.security;

import dev.berth.platform.operations.OutageEntryPoint;
import dev.berth.platform.problem.ProblemWriter;
import dev.berth.platform.repositories.GitRequests;
import dev.berth.platform.security.FailureAudit;
import dev.berth.platform.sso.SsoProperties;
import dev.berth.platform.tokens.TokenService;
import dev.berth.platform.users.UserAccounts;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The git chain: Basic auth with a password or an API token in front of the git servlet, for
 * every request {@link GitRequests#isGit} claims. What a caller may fetch or push is decided
 * after it, by the repositories' own access filter.
 */
@Configuration
public class GitSecurityConfig {
    static final String REALM = "Berth";

    @Bean
    @Order(5)
    SecurityFilterChain git(HttpSecurity http, UserDetailsService users, PasswordEncoder encoder, TokenService tokens,
                            UserAccounts accounts, ApplicationEventPublisher events, ProblemWriter problems,
                            Clock clock, SsoProperties sso, FailureAudit failures) throws Exception {
        var passwords = new DaoAuthenticationProvider(users);
        // git authenticates every request of a push: a password verified a moment ago is not hashed again
        passwords.setPasswordEncoder(new VerifiedPasswords(encoder, clock));
        var manager = new ProviderManager(new TokenPasswordProvider(tokens, accounts),
                new PasswordPolicyProvider(sso, failures), passwords);
        manager.setAuthenticationEventPublisher(new DefaultAuthenticationEventPublisher(events));
        // Every request the container routes to the git servlet, however its path is spelled, and every
        // raw path under /git/ (GitRouteFilter has already refused the spellings where the two differ).
        return http.securityMatcher(GitRequests::isGit)
                .authenticationManager(manager)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                // The challenge is written here rather than with sendError: an error dispatch would pass
                // through the dashboard's chain and turn git's 401 into a redirect to the login page.
                .httpBasic(b -> b.authenticationEntryPoint(OutageEntryPoint.around((request, response, e) -> {
                    response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
                    problems.write(request, response, 401, "Unauthorized",
                            "authentication required: your Berth username with your password or an API token");
                })))
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .build();
    }
}
