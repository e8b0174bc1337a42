package dev.berth.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * For a test class whose context is not the shared one (its own properties, say). Spring
 * Security keeps the current authentication behind a JVM-wide holder, and Vaadin's security setup
 * installs its own holder there when a context starts. This context and the shared one each need
 * theirs while their tests run: this one's is swapped in before the class, and the one that was
 * there before (before this context started, if that is just now) back after it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(OwnSecurityHolder.Swap.class)
@ContextConfiguration(initializers = OwnSecurityHolder.HolderBeforeStart.class)
public @interface OwnSecurityHolder {

    /** Swaps this class's context's holder in for the class, and the other back after. */
    final class Swap implements BeforeAllCallback, AfterAllCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Swap.class);

        @Override
        public void beforeAll(ExtensionContext context) {
            var mine = SpringExtension.getApplicationContext(context).getBean(SecurityContextHolderStrategy.class);
            var current = SecurityContextHolder.getContextHolderStrategy();
            var other = current == mine ? HolderBeforeStart.holder : current;
            if (other != null) context.getStore(NS).put("other", other);
            SecurityContextHolder.setContextHolderStrategy(mine);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            var other = context.getStore(NS).get("other", SecurityContextHolderStrategy.class);
            if (other != null) SecurityContextHolder.setContextHolderStrategy(other);
        }
    }

    /** Notes the JVM-wide security holder just before this context starts and replaces it. */
    class HolderBeforeStart implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        static volatile SecurityContextHolderStrategy holder;

        @Override
        public void initialize(ConfigurableApplicationContext applicationContext) {
            holder = SecurityContextHolder.getContextHolderStrategy();
        }
    }
}
