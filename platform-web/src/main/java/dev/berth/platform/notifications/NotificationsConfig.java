package dev.berth.platform.notifications;

import dev.berth.registry.network.AddressPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one webhook sender, under the platform's policy for where users' settings may lead. */
@Configuration
class NotificationsConfig {
    @Bean(destroyMethod = "close")
    WebhookSender webhookSender(AddressPolicy targetPolicy) {
        return new WebhookSender(targetPolicy);
    }
}
