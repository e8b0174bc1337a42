package dev.berth.platform.ui;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The dashboard's chain: session login through the Vaadin login view, CSRF (Spring's token for
 * the login and logout forms, Vaadin's own for its internal requests), session fixation
 * protection and secure headers. Ordered after the API chains, it takes every other request.
 */
@Configuration
public class UiSecurityConfig {

    @Bean
    @Order(10)
    SecurityFilterChain dashboard(HttpSecurity http, AuthenticationManager manager) throws Exception {
        http.authenticationManager(manager)
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .headers(h -> h
                        .contentSecurityPolicy(c -> c.policyDirectives(
                                "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class, "/login"))
                .build();
    }
}
