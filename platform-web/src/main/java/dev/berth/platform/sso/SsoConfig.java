package dev.berth.platform.sso;

import java.time.Clock;
import org.springframework.context.annotation.Conditional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Single sign-on's pieces; the provider's are made only when {@code berth.sso.issuer-uri} is set. */
@Configuration
@EnableConfigurationProperties(SsoProperties.class)
public class SsoConfig {

    @Bean
    @Conditional(SsoConfigured.class)
    IssuerRegistration issuerRegistration(SsoProperties properties, Clock clock) {
        return new IssuerRegistration(properties, clock);
    }

    @Bean
    @Conditional(SsoConfigured.class)
    ProviderClients providerClients() {
        return new ProviderClients();
    }

    @Bean
    @Conditional(SsoConfigured.class)
    ProviderSignIn providerSignIn(SsoProperties properties, SignInProvisioning provisioning, ProviderClients clients) {
        return new ProviderSignIn(properties, provisioning, clients);
    }
}
