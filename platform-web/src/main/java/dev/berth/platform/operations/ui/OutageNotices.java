package dev.berth.platform.operations.ui;

import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.server.DefaultErrorHandler;
import com.vaadin.flow.server.ErrorEvent;
import com.vaadin.flow.server.ErrorHandler;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import dev.berth.platform.operations.DatabaseOutage;
import dev.berth.platform.operations.PoolTimeouts;
import org.springframework.stereotype.Component;

/**
 * An action or live update in an open dashboard that failed because the database is unreachable
 * shows one notification saying so (not one per failed tick); other errors go to Vaadin's handler.
 * A pool timeout while the database answers ({@link PoolTimeouts}) says the platform is overloaded
 * instead, in the words of the 503 and {@link PoolTimeoutView}.
 * A request refused before it reached the dashboard (503 from the outage filter) is retried by the
 * browser, whose connection indicator then says {@link #RECONNECTING}.
 */
@Component
public class OutageNotices implements VaadinServiceInitListener {
    private final PoolTimeouts poolTimeouts;

    OutageNotices(PoolTimeouts poolTimeouts) {
        this.poolTimeouts = poolTimeouts;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addSessionInitListener(s -> s.getSession().setErrorHandler(new Handler(poolTimeouts)));
        // A signed-in dashboard's every request checks its session against the database, so while the
        // database is away the browser's requests get the outage filter's 503 and Vaadin's client
        // retries them every few seconds, saying so in its connection indicator: in our words, since
        // the likeliest reason is this one. The retried request goes through once the database is back.
        event.getSource().addUIInitListener(u -> u.getUI().getReconnectDialogConfiguration().setDialogText(RECONNECTING));
    }

    /** What the connection indicator says while the dashboard's requests are being retried. */
    static final String RECONNECTING = "The platform or its database cannot be reached; running apps are not affected."
            + " Trying again…";

    /** What the notification says while the database is unreachable. */
    static final String UNREACHABLE = "The platform cannot reach its database; running apps are not affected."
            + " Try again in a few seconds.";

    /** A notification's words and its element id. */
    record Notice(String text, String id) {
    }

    /**
     * The notice of a failure that {@link DatabaseOutage#in} calls the database's: the overload
     * sentence when the pool timed out while the database answered ({@code overloaded}), with the
     * wait the pool told of; the outage sentence otherwise.
     */
    static Notice notice(Throwable failure, boolean overloaded) {
        if (!overloaded) return new Notice(UNREACHABLE, "database-unavailable-notice");
        String sentence = DatabaseOutage.overloaded(DatabaseOutage.poolTimeout(failure));
        return new Notice(Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1) + ".", "platform-overloaded-notice");
    }

    private static final class Handler implements ErrorHandler {
        private final ErrorHandler fallback = new DefaultErrorHandler();
        private final PoolTimeouts poolTimeouts;

        Handler(PoolTimeouts poolTimeouts) {
            this.poolTimeouts = poolTimeouts;
        }

        @Override
        public void error(ErrorEvent event) {
            var ui = UI.getCurrent();
            Throwable failure = event.getThrowable();
            if (ui == null || !DatabaseOutage.in(failure)) {
                fallback.error(event);
                return;
            }
            var shown = ComponentUtil.getData(ui, Notification.class);
            if (shown != null && shown.isOpened()) return;
            var said = notice(failure, poolTimeouts.overloaded(failure));
            var notice = new Notification(said.text(), 10_000, Notification.Position.TOP_CENTER);
            notice.addThemeVariants(NotificationVariant.LUMO_ERROR);
            notice.setId(said.id());
            ComponentUtil.setData(ui, Notification.class, notice);
            notice.open();
        }
    }
}
