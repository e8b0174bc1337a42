package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.shared.Registration;
import dev.berth.platform.repositories.Revision;
import java.util.List;

/**
 * Confirms a rollback: which earlier revision, and why. The confirm button names the revision, so
 * nobody rolls back to something they did not mean.
 */
class RollbackDialog extends Dialog {
    /** The person confirmed a rollback to {@code revision} for {@code reason}. */
    static final class ConfirmEvent extends ComponentEvent<RollbackDialog> {
        private final long revision;
        private final String reason;

        ConfirmEvent(RollbackDialog source, long revision, String reason) {
            super(source, false);
            this.revision = revision;
            this.reason = reason;
        }

        long revision() {
            return revision;
        }

        String reason() {
            return reason;
        }
    }

    private final ComboBox<Revision> revision = new ComboBox<>("Revision");
    private final TextField reason = new TextField("Reason");
    private final Button confirm = new Button("Roll back");

    RollbackDialog(String app, List<Revision> candidates, long current) {
        setHeaderTitle("Roll back " + app);
        var earlier = candidates.stream().filter(r -> r.id() != current).toList();
        revision.setId("rollback-revision");
        revision.setItems(earlier);
        revision.setItemLabelGenerator(r -> "#" + r.id() + " · " + AppsView.shortCommit(r.commit()) + " · " + r.subject());
        revision.setWidth("32rem");
        reason.setId("rollback-reason");
        reason.setWidth("32rem");
        reason.setPlaceholder("What went wrong with revision #" + current);
        reason.setMaxLength(500);
        confirm.setId("rollback-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        confirm.setEnabled(false);
        revision.addValueChangeListener(e -> update());
        reason.addValueChangeListener(e -> update());
        reason.setValueChangeMode(com.vaadin.flow.data.value.ValueChangeMode.EAGER);
        confirm.addClickListener(e -> fireEvent(new ConfirmEvent(this, revision.getValue().id(), reason.getValue().strip())));
        var note = new Paragraph(earlier.isEmpty()
                ? "There is no earlier revision of this app to roll back to."
                : "The app rolls out the chosen revision with its own strategy, and stays on it until a push changes the app."
                        + " Who, why and when go to the audit log.");
        note.setId("rollback-note");
        add(revision, reason, note);
        var cancel = new Button("Cancel", e -> close());
        getFooter().add(cancel, confirm);
    }

    private void update() {
        boolean ready = revision.getValue() != null && !reason.getValue().isBlank();
        confirm.setEnabled(ready);
        confirm.setText(revision.getValue() == null ? "Roll back" : "Roll back to #" + revision.getValue().id());
    }

    Registration addConfirmListener(ComponentEventListener<ConfirmEvent> listener) {
        return addListener(ConfirmEvent.class, listener);
    }
}
