package dev.berth.identityprovider;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.servlet.Session;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A real OpenID provider for tests: Spring Authorization Server in its own Spring context on
 * 127.0.0.1 and a free port (its package is outside dev.berth.platform, so the platform's
 * component scan never finds it), with its own login form. It holds one confidential client that must
 * use PKCE, and users whose ID tokens carry {@code preferred_username} and a {@code groups} claim
 * the test may change between sign-ins. Its session cookie is not JSESSIONID: cookies ignore ports,
 * and the platform under test runs on the same address.
 */
public final class TestIdentityProvider implements AutoCloseable {
    public static final String CLIENT_ID = "berth";
    public static final String CLIENT_SECRET = "berth-client-secret-for-tests";

    private final ConfigurableApplicationContext context;
    public final String issuer;

    private TestIdentityProvider(ConfigurableApplicationContext context) {
        this.context = context;
        this.issuer = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** Starts the provider; {@link #registerClient} once the platform's address is known. */
    public static TestIdentityProvider start() {
        var context = new SpringApplicationBuilder(Config.class)
                .web(WebApplicationType.SERVLET)
                .properties("spring.main.banner-mode=off", "spring.config.location=optional:classpath:/no-such-config/",
                        "spring.main.allow-bean-definition-overriding=false")
                .run();
        return new TestIdentityProvider(context);
    }

    /** The client Berth signs in as, redirecting back to {@code redirectUri}. */
    public void registerClient(String redirectUri) {
        context.getBean(InMemoryRegisteredClientRepository.class).save(RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(CLIENT_ID)
                .clientSecret("{noop}" + CLIENT_SECRET)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(redirectUri)
                .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE).scope(OidcScopes.EMAIL)
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .build());
    }

    /** A person who can sign in at the provider, in these groups. */
    public void addUser(String username, String password, Set<String> groups) {
        context.getBean(InMemoryUserDetailsManager.class).createUser(User.withUsername(username).password("{noop}" + password)
                .roles("USER").build());
        setGroups(username, groups);
    }

    /** The groups the person's next ID token lists. */
    public void setGroups(String username, Set<String> groups) {
        context.getBean(Groups.class).byUser().put(username, Set.copyOf(groups));
    }

    /**
     * While down, the provider answers its discovery document with 503, as one behind a proxy whose
     * backend is away would; everything else keeps working.
     */
    public void setDiscoveryDown(boolean down) {
        context.getBean(Outage.class).down().set(down);
    }

    @Override
    public void close() {
        context.close();
    }

    /** Who is in which groups at the provider, as the test sets it. */
    record Groups(Map<String, Set<String>> byUser) {
    }

    /** Whether discovery answers 503 ({@link #setDiscoveryDown}). */
    record Outage(java.util.concurrent.atomic.AtomicBoolean down) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    static class Config {
        @Bean
        Outage outage() {
            return new Outage(new java.util.concurrent.atomic.AtomicBoolean());
        }

        /** Ahead of the security filters, which answer discovery. */
        @Bean
        FilterRegistrationBean<OncePerRequestFilter> discoveryOutage(Outage outage) {
            var registration = new FilterRegistrationBean<OncePerRequestFilter>(new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                        throws ServletException, IOException {
                    if (outage.down().get() && request.getRequestURI().equals("/.well-known/openid-configuration")) {
                        response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                        return;
                    }
                    chain.doFilter(request, response);
                }
            });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }

        @Bean
        TomcatServletWebServerFactory webServer() throws Exception {
            var factory = new TomcatServletWebServerFactory(0);
            factory.setAddress(InetAddress.getByName("127.0.0.1"));
            // Filters run only for a request some servlet is mapped to; every endpoint here is a filter.
            factory.setRegisterDefaultServlet(true);
            var session = new Session();
            session.getCookie().setName("IDPSESSION");
            factory.setSession(session);
            return factory;
        }

        @Bean
        @Order(1)
        SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
            http.oauth2AuthorizationServer(as -> {
                        http.securityMatcher(as.getEndpointsMatcher());
                        as.oidc(Customizer.withDefaults());
                    })
                    .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                    // The user info endpoint takes the access token the provider issued.
                    .oauth2ResourceServer(rs -> rs.jwt(Customizer.withDefaults()))
                    .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                            new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
            return http.build();
        }

        @Bean
        @Order(2)
        SecurityFilterChain signIn(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
                    .formLogin(Customizer.withDefaults())
                    .build();
        }

        /**
         * The JVM-wide holder, whichever it is at each call. The platform under test starts after this
         * context and Vaadin then replaces the holder; the provider's filters would keep the one they
         * found at start while its authorization endpoint reads the current one, and see nobody signed in.
         */
        @Bean
        SecurityContextHolderStrategy securityContextHolderStrategy() {
            return new SecurityContextHolderStrategy() {
                @Override
                public void clearContext() {
                    SecurityContextHolder.getContextHolderStrategy().clearContext();
                }

                @Override
                public SecurityContext getContext() {
                    return SecurityContextHolder.getContextHolderStrategy().getContext();
                }

                @Override
                public void setContext(SecurityContext context) {
                    SecurityContextHolder.getContextHolderStrategy().setContext(context);
                }

                @Override
                public SecurityContext createEmptyContext() {
                    return SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
                }
            };
        }

        @Bean
        InMemoryUserDetailsManager people() {
            return new InMemoryUserDetailsManager();
        }

        @Bean
        Groups groups() {
            return new Groups(new ConcurrentHashMap<>());
        }

        @Bean
        InMemoryRegisteredClientRepository clients() {
            // The repository wants a client at start; registerClient adds the platform's beside it once its callback is known.
            return new InMemoryRegisteredClientRepository(RegisteredClient.withId("not-yet-registered").clientId("not-yet-registered")
                    .clientSecret("{noop}not-yet-registered").authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).build());
        }

        @Bean
        OAuth2TokenCustomizer<JwtEncodingContext> claims(Groups groups) {
            return context -> {
                if (!OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) return;
                String name = context.getPrincipal().getName();
                context.getClaims().claim("preferred_username", name)
                        .claim("groups", List.copyOf(groups.byUser().getOrDefault(name, Set.of())));
            };
        }

        @Bean
        JWKSource<com.nimbusds.jose.proc.SecurityContext> keys() throws Exception {
            var generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            var pair = generator.generateKeyPair();
            var key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID(UUID.randomUUID().toString()).build();
            return new ImmutableJWKSet<>(new JWKSet(key));
        }

        @Bean
        JwtDecoder jwtDecoder(JWKSource<com.nimbusds.jose.proc.SecurityContext> keys) {
            return OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
        }

        @Bean
        AuthorizationServerSettings settings() {
            return AuthorizationServerSettings.builder().build();
        }
    }
}
