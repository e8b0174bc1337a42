package dev.berth.platform.operations.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.operations.DatabaseOutage;
import dev.berth.platform.operations.DatabaseProbe;
import java.time.Duration;

/**
 * What the dashboard shows instead of Vaadin's internal error when a page could not be opened
 * because the database is unreachable. Outside the frame, whose navigation reads the database too.
 * While it shows, it asks the database every few seconds (on a connection of the probe's own, not
 * the pool's) and reloads the page once it answers, so a dashboard left open comes back by itself.
 */
public abstract class DatabaseUnavailablePage extends VerticalLayout {
    static final Duration RETRY = Duration.ofSeconds(3);
    private Registration polling;
    private final H2 heading = new H2("The platform cannot reach its database");
    private final Paragraph message =
            new Paragraph("Running apps are not affected. This page comes back by itself when the database does.");

    protected DatabaseUnavailablePage(DatabaseProbe probe) {
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        message.setId("database-unavailable");
        add(heading, message);
        getElement().setAttribute("title", DatabaseOutage.SENTENCE);
        addAttachListener(attached -> {
            var ui = attached.getUI();
            ui.setPollInterval((int) RETRY.toMillis());
            if (polling != null) polling.remove();
            polling = ui.addPollListener(poll -> {
                if (probe.answers()) ui.getPage().reload();
            });
        });
        addDetachListener(detached -> {
            detached.getUI().setPollInterval(-1);
            if (polling != null) polling.remove();
            polling = null;
        });
    }

    /**
     * The database answers but no connection was free in time: says {@code sentence} (see
     * {@link DatabaseOutage#overloaded}) instead; the page still comes back by itself.
     */
    protected void sayOverloaded(String sentence) {
        heading.setText("The platform is overloaded");
        message.setText(Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1)
                + ". This page comes back by itself in a few seconds.");
        message.setId("platform-overloaded");
        getElement().setAttribute("title", sentence);
    }
}
