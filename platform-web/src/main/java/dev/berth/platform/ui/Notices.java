package dev.berth.platform.ui;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import dev.berth.platform.problem.Problem;

/** Tells the user how an action went. A refused action shows the problem's sentence, never a stack trace. */
public final class Notices {
    private Notices() {
    }

    public static void problem(Problem problem) {
        var notification = new Notification(problem.getMessage(), 8000, Notification.Position.TOP_CENTER);
        notification.addThemeVariants(NotificationVariant.LUMO_ERROR);
        notification.open();
    }

    public static void done(String message) {
        var notification = new Notification(message, 3000, Notification.Position.BOTTOM_END);
        notification.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        notification.open();
    }
}
