package dev.berth.platform.web.security.ui;

import dev.berth.platform.ui.LoginView;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import dev.berth.platform.web.security.SessionCredentials;
import dev.berth.platform.users.UserAccounts;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * The dashboard's chain: session login through the Vaadin login view, CSRF (Spring's token for
 * the login and logout forms, Vaadin's own for its internal requests), session fixation
 * protection and secure headers. Ordered after the API chains, it takes every other request.
 */
@Configuration
public class UiSecurityConfig {
    static final String LOGIN_PATH = "/login";

    @Bean
    @Order(10)
    SecurityFilterChain dashboard(HttpSecurity http, AuthenticationManager manager, UserAccounts users,
                                  ObjectProvider<SsoLogin> sso) throws Exception {
        // Single sign-on, when configured: the provider's button on the login view, its callback here.
        var ssoLogin = sso.getIfAvailable();
        if (ssoLogin != null) ssoLogin.applyTo(http, LOGIN_PATH);
        http.authenticationManager(manager)
                .addFilterBefore(new LoginCsrfFilter(LOGIN_PATH), UsernamePasswordAuthenticationFilter.class)
                // A session whose password changed since is over, before anything else reads it.
                .addFilterAfter(new SessionCredentials(users), SecurityContextHolderFilter.class)
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .headers(h -> {
                    // Written up front: Vaadin's own responses (the login page, say) commit
                    // without passing the wrapper that would write them lazily.
                    h.addObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                        @Override
                        public <O extends HeaderWriterFilter> O postProcess(O filter) {
                            filter.setShouldWriteHeadersEagerly(true);
                            return filter;
                        }
                    });
                    h.contentSecurityPolicy(c -> c.policyDirectives(
                                    "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"))
                            .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN));
                });
        // The App page's charts load uPlot from its webjar at run time (Boot serves /webjars/**):
        // signed-in users only, and nothing else of the webjars.
        http.authorizeHttpRequests(a -> a.requestMatchers(pathPattern(HttpMethod.GET, "/webjars/uplot/**")).authenticated());
        // The second argument is where sign-out lands: back on the sign-in page.
        return http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class, LOGIN_PATH))
                .build();
    }
}
