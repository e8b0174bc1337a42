package dev.berth.platform.hosts.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import dev.berth.platform.hosts.Host;
import java.util.function.Consumer;

/**
 * Confirms draining, undraining or removing a host, with an optional reason for the audit log. The
 * confirm button names the action and the host, so nobody removes a host they did not mean.
 */
class HostActionDialog extends Dialog {
    /** What the dialog confirms, and what it tells the person about it. */
    enum Action {
        DRAIN("Drain", "Drain", "It gets no new replicas, and its replicas move to other hosts, each stopped once its "
                + "replacement is healthy. Undrain it to take replicas again.", false),
        UNDRAIN("Undrain", "Undrain", "It takes new replicas again. Replicas already moved stay where they are.", false),
        REMOVE("Remove", "Remove", "Its agent's credential stops working at once and its replicas are placed on other "
                + "hosts, without waiting for replacements: drain it first to move them gently. To join it again, "
                + "use a new join token. This cannot be undone.", true);

        final String title;
        final String button;
        final String explanation;
        final boolean dangerous;

        Action(String title, String button, String explanation, boolean dangerous) {
            this.title = title;
            this.button = button;
            this.explanation = explanation;
            this.dangerous = dangerous;
        }
    }

    HostActionDialog(Action action, Host host, Consumer<String> confirmed) {
        setHeaderTitle(action.title + " " + host.hostname() + "?");
        var explanation = new Paragraph(action.explanation);
        explanation.setId("host-action-explanation");
        var reason = new TextField("Reason (for the audit log)");
        reason.setId("host-action-reason");
        reason.setWidth("32rem");
        reason.setMaxLength(500);
        add(explanation, reason);
        var confirm = new Button(action.button + " " + host.hostname(), e -> {
            close();
            confirmed.accept(reason.getValue().strip());
        });
        confirm.setId("host-action-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        if (action.dangerous) confirm.addThemeVariants(ButtonVariant.LUMO_ERROR);
        var cancel = new Button("Cancel", e -> close());
        cancel.setId("host-action-cancel");
        getFooter().add(cancel, confirm);
    }
}
