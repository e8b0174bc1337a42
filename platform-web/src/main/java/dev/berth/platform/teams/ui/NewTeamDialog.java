package dev.berth.platform.teams.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.shared.Registration;

/** Asks for a new team's name and emits it; the view creates the team and closes the dialog on success. */
class NewTeamDialog extends Dialog {
    private final TextField name = new TextField("Name");

    NewTeamDialog() {
        setHeaderTitle("New team");
        name.setId("team-name");
        name.setHelperText("A DNS label: lowercase letters, digits and '-', starting with a letter");
        name.setWidth("24rem");
        name.setAutofocus(true);
        add(name);

        var create = new Button("Create", e -> fireEvent(new CreateEvent(this, name.getValue().strip())));
        create.setId("create-team");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.addClickShortcut(Key.ENTER);
        getFooter().add(new Button("Cancel", e -> close()), create);
    }

    Registration addCreateListener(ComponentEventListener<CreateEvent> listener) {
        return addListener(CreateEvent.class, listener);
    }

    /** The user asked for a team with this name. */
    static final class CreateEvent extends ComponentEvent<NewTeamDialog> {
        private final String name;

        CreateEvent(NewTeamDialog source, String name) {
            super(source, true);
            this.name = name;
        }

        String name() {
            return name;
        }
    }
}
