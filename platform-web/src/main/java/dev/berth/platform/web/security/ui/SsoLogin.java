package dev.berth.platform.web.security.ui;

import dev.berth.platform.security.BerthUser;
import dev.berth.platform.sso.IssuerRegistration;
import dev.berth.platform.sso.ProviderClients;
import dev.berth.platform.sso.ProviderSignIn;
import dev.berth.platform.sso.SsoProperties;
import dev.berth.platform.sso.ProviderUnavailable;
import dev.berth.platform.sso.SignedInUser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import dev.berth.platform.sso.SsoConfigured;
import org.springframework.context.annotation.Conditional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.client.web.OAuth2LoginAuthenticationFilter;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Single sign-on on the dashboard's chain, when {@code berth.sso.issuer-uri} is set: the
 * authorization code flow with PKCE from {@code /oauth2/authorization/{id}} to the callback
 * {@code /login/oauth2/code/{id}}. Once the provider's answer is verified and the user provisioned,
 * the session holds the same principal as a password sign-in ({@link BerthUser}), so everything
 * after sign-in (the credentials version check, the caller's rights) is the same for both.
 */
@Component
@Conditional(SsoConfigured.class)
class SsoLogin {
    private static final Logger LOG = LoggerFactory.getLogger(SsoLogin.class);
    private final IssuerRegistration registration;
    private final ProviderSignIn signIn;
    private final ProviderClients clients;
    private final String issuer;
    private final SecurityContextRepository contexts = new DelegatingSecurityContextRepository(
            new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());

    SsoLogin(IssuerRegistration registration, ProviderSignIn signIn, ProviderClients clients, SsoProperties properties) {
        this.registration = registration;
        this.signIn = signIn;
        this.clients = clients;
        this.issuer = properties.issuerUri().toString();
    }

    void applyTo(HttpSecurity http, String loginPath) throws Exception {
        var landing = new SavedRequestAwareAuthenticationSuccessHandler();
        // The login view reads the reason from the session; the operator reads it in the log.
        var back = new SimpleUrlAuthenticationFailureHandler(loginPath + "?error");
        // The chain's manager knows passwords only: the callback gets a manager of its own.
        // Its calls to the provider (tokens, keys, user info) give up as discovery does.
        var provider = new OidcAuthorizationCodeAuthenticationProvider(clients.tokens(), signIn);
        provider.setJwtDecoderFactory(clients.idTokens());
        var callback = new ProviderManager(provider);
        http.oauth2Login(o -> {
                    o.addObjectPostProcessor(new ObjectPostProcessor<OAuth2LoginAuthenticationFilter>() {
                        @Override
                        public <O extends OAuth2LoginAuthenticationFilter> O postProcess(O filter) {
                            filter.setAuthenticationManager(callback);
                            return filter;
                        }
                    });
                    o.loginPage(loginPath)
                        .clientRegistrationRepository(registration)
                        .userInfoEndpoint(u -> u.oidcUserService(signIn))
                        .successHandler((request, response, authentication) -> {
                            var account = ((SignedInUser) authentication.getPrincipal()).account();
                            var user = new BerthUser(account.id(), account.username(), null, account.platformAdmin(), false,
                                    account.credentialsVersion());
                            var context = SecurityContextHolder.createEmptyContext();
                            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null,
                                    user.getAuthorities()));
                            SecurityContextHolder.setContext(context);
                            contexts.saveContext(context, request, response);
                            landing.onAuthenticationSuccess(request, response, context.getAuthentication());
                        })
                        .failureHandler((request, response, e) -> {
                            // A provider that went quiet or away is said so, not as Spring's I/O error.
                            AuthenticationException reason = ProviderClients.unreachable(e, issuer)
                                    .<AuthenticationException>map(r -> new ProviderUnavailable(r, e)).orElse(e);
                            LOG.warn("single sign-on failed: {}", reason.getMessage());
                            back.onAuthenticationFailure(request, response, reason);
                        });
                })
                .addFilterBefore(new ProviderReachable(loginPath), OAuth2AuthorizationRequestRedirectFilter.class);
    }

    /**
     * Starting a sign-in first needs the provider's discovery document: when it cannot be had, the
     * sign-in page says why instead of an error page.
     */
    private final class ProviderReachable extends OncePerRequestFilter {
        private final String loginPath;

        ProviderReachable(String loginPath) {
            this.loginPath = loginPath;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !request.getServletPath().startsWith(OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI + "/");
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            try {
                registration.registration();
            } catch (IssuerRegistration.IssuerUnavailableException e) {
                request.getSession().setAttribute(WebAttributes.AUTHENTICATION_EXCEPTION,
                        new ProviderUnavailable(e.getMessage(), e));
                response.sendRedirect(request.getContextPath() + loginPath + "?error");
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
