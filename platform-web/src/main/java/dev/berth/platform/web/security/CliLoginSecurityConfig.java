package dev.berth.platform.web.security;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * The command line's sign-in through the browser: starting a request and polling for its token
 * are anonymous by design (the CLI has no credential yet; the device code in the body is its
 * proof). Nothing here reads a session or a cookie, so CSRF has nothing to ride on; the approval
 * itself happens on the dashboard, under its chain.
 */
@Configuration
public class CliLoginSecurityConfig {
    @Bean
    // Before the API chain (2), which would ask these for a token; an order no other chain uses.
    @Order(-2)
    SecurityFilterChain cliLogin(HttpSecurity http) throws Exception {
        return http.securityMatcher(new OrRequestMatcher(pathPattern(HttpMethod.POST, "/api/v1/cli/login-requests"),
                        pathPattern(HttpMethod.POST, "/api/v1/cli/login-requests/token")))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .build();
    }
}
