package dev.berth.platform.web.security;

import dev.berth.platform.lockout.LockoutPolicy;
import dev.berth.platform.operations.OutageEntryPoint;
import dev.berth.platform.problem.ProblemWriter;
import dev.berth.platform.security.FailureAudit;
import dev.berth.platform.sso.PasswordSignInRefused;
import dev.berth.platform.sso.SsoProperties;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.hosts.AgentAuthentication;
import dev.berth.platform.web.security.AgentCredentialFilter;
import dev.berth.platform.hosts.HostService;
import dev.berth.platform.tokens.TokenService;
import dev.berth.platform.users.UserAccounts;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * The machine-facing filter chains: host agents (their own credentials only), the API (bearer
 * tokens; Basic only to mint a token), actuator and OpenAPI docs. The git chain is
 * {@link GitSecurityConfig}, the dashboard's {@code web.security.ui.UiSecurityConfig}.
 */
@Configuration
@EnableWebSecurity
public class SecurityConfig {
    static final String BEARER_HINT = "authenticate with 'Authorization: Bearer <token>'; "
            + "get a token with POST /api/v1/tokens using your username and password as Basic auth";

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    LockoutPolicy lockoutPolicy() {
        return LockoutPolicy.DEFAULT;
    }

    @Bean
    AuthenticationManager authenticationManager(BerthUserDetailsService users, PasswordEncoder encoder,
                                                ApplicationEventPublisher events, SsoProperties sso, FailureAudit failures) {
        var provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(encoder);
        var manager = new ProviderManager(new PasswordPolicyProvider(sso, failures), provider);
        manager.setAuthenticationEventPublisher(new DefaultAuthenticationEventPublisher(events));
        return manager;
    }

    /**
     * Requests the firewall refuses before any chain is chosen ({@code //}, {@code ;}, {@code %2e}
     * and the like under any path) answer a 400 problem like every other error, saying what was
     * refused in a fixed phrase: neither the path nor the firewall's message, which may quote the
     * hostile input, is echoed back.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
        return (request, response, rejected) -> {
            if (response.isCommitted()) return;
            response.reset();
            problems.write(response, 400, "Bad Request", RefusedRequest.detail(request.getMethod(), request.getRequestURI()), null);
        };
    }

    @Bean
    ApiTokenFilter apiTokenFilter(TokenService tokens, UserAccounts users, FailureAudit failures, ProblemWriter problems) {
        return new ApiTokenFilter(tokens, users, failures, problems);
    }

    /** Keeps Boot from also registering the filter for every request outside the security chains. */
    @Bean
    FilterRegistrationBean<ApiTokenFilter> apiTokenFilterRegistration(ApiTokenFilter filter) {
        var registration = new FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    AgentCredentialFilter agentCredentialFilter(HostService hosts, FailureAudit failures, ProblemWriter problems) {
        return new AgentCredentialFilter(hosts, failures, problems);
    }

    @Bean
    FilterRegistrationBean<AgentCredentialFilter> agentCredentialFilterRegistration(AgentCredentialFilter filter) {
        var registration = new FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    /**
     * Host agents, which connect out to the platform. Registration is authenticated by the join
     * token in its body; everything else needs an agent credential, which is all this chain reads:
     * no user tokens, no Basic, no sessions. Agent credentials in turn mean nothing on the API chains.
     */
    @Bean
    @Order(-1)
    SecurityFilterChain agents(HttpSecurity http, AgentCredentialFilter agents, ProblemWriter problems) throws Exception {
        return http.securityMatcher(pathPattern("/agent/**"))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                .addFilterBefore(agents, BasicAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        .requestMatchers(pathPattern(HttpMethod.POST, "/agent/v1/register")).permitAll()
                        .anyRequest().hasRole(AgentAuthentication.ROLE))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> problems.unauthorized(req, res,
                                "authenticate with 'Authorization: Bearer berth-agent_...', the credential registration returned"))
                        .accessDeniedHandler((req, res, ex) -> problems.write(req, res, 403, "Forbidden",
                                "only host agents may call " + req.getMethod() + " " + req.getRequestURI())))
                .build();
    }

    /** Forges call webhooks without Berth credentials; the repository's webhook secret authenticates them. */
    @Bean
    @Order(0)
    SecurityFilterChain webhooks(HttpSecurity http) throws Exception {
        return http.securityMatcher(pathPattern(HttpMethod.POST, "/api/v1/repositories/*/webhook"))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain tokenMinting(HttpSecurity http, ApiTokenFilter tokens, AuthenticationManager manager,
                                     ProblemWriter problems) throws Exception {
        return stateless(http.securityMatcher(pathPattern(HttpMethod.POST, "/api/v1/tokens")), tokens, manager, problems)
                .httpBasic(b -> b.authenticationEntryPoint(OutageEntryPoint.around((req, res, e) -> problems.unauthorized(req, res,
                        e instanceof PasswordSignInRefused ? e.getMessage() : "wrong username or password, or the account is locked"))))
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, ApiTokenFilter tokens, AuthenticationManager manager,
                            ProblemWriter problems) throws Exception {
        return stateless(http.securityMatcher(pathPattern("/api/**")), tokens, manager, problems)
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain actuator(HttpSecurity http, ApiTokenFilter tokens, AuthenticationManager manager,
                                 ProblemWriter problems) throws Exception {
        return stateless(http.securityMatcher(pathPattern("/actuator/**")), tokens, manager, problems)
                .authorizeHttpRequests(a -> a
                        .requestMatchers(pathPattern("/actuator/health"), pathPattern("/actuator/health/**")).permitAll()
                        .anyRequest().hasRole("PLATFORM_ADMIN"))
                .build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain apiDocs(HttpSecurity http) throws Exception {
        return http.securityMatcher("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .build();
    }

    /**
     * A response some chain or servlet already decided (a 401, a 404 from the git servlet, an
     * unexpected 500) is rendered by an error dispatch. Without this chain that dispatch would fall
     * into the dashboard's chain and come back as a redirect to the login page, hiding the status.
     */
    @Bean
    @Order(6)
    SecurityFilterChain errorDispatches(HttpSecurity http) throws Exception {
        return http.securityMatcher(request -> request.getDispatcherType() == jakarta.servlet.DispatcherType.ERROR)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .build();
    }

    /**
     * No sessions and no cookies are read on these chains, so there is nothing for CSRF to ride
     * on: every request carries its own credentials.
     */
    private static HttpSecurity stateless(HttpSecurity http, ApiTokenFilter tokens, AuthenticationManager manager,
                                          ProblemWriter problems) throws Exception {
        return http
                .authenticationManager(manager)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                .addFilterBefore(tokens, BasicAuthenticationFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> problems.unauthorized(req, res, BEARER_HINT))
                        .accessDeniedHandler((req, res, ex) -> problems.write(req, res, 403, "Forbidden",
                                "you do not have the rights for " + req.getMethod() + " " + req.getRequestURI())));
    }
}
