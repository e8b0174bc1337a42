package dev.berth.platform.ui;

import dev.berth.platform.access.Permission;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who sees a view's {@code @Menu} entry in the navigation: callers holding at least one of these
 * permissions, platform-wide or in some team ({@link dev.berth.platform.access.AccessPolicy#allowedSomewhere}).
 * A menu view without it is listed for everyone Vaadin lets open it. It only hides the entry: the
 * view itself still decides what an unexpected visitor sees.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MenuAudience {
    Permission[] value();
}
