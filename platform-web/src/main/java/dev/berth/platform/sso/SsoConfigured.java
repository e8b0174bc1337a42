package dev.berth.platform.sso;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/** Matches when {@code berth.sso.issuer-uri} is set to something (an empty value, as from an empty environment variable, is not set). */
public class SsoConfigured implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return StringUtils.hasText(context.getEnvironment().getProperty("berth.sso.issuer-uri"));
    }
}
