package dev.berth.platform.repositories.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.shared.Registration;

/** Asks for a hosted repository's name and deploy branch; the view creates it. */
class NewRepositoryDialog extends Dialog {
    private final TextField name = new TextField("Name");
    private final TextField branch = new TextField("Deploy branch");

    NewRepositoryDialog(String team) {
        setHeaderTitle("New repository in " + team);
        name.setId("repository-name");
        name.setHelperText("A DNS label: lowercase letters, digits and '-', starting with a letter");
        name.setWidth("24rem");
        name.setAutofocus(true);
        branch.setId("repository-branch");
        branch.setValue("main");
        branch.setHelperText("Pushes to this branch are validated and recorded as revisions");
        branch.setWidth("24rem");
        add(name, branch);

        var create = new Button("Create", e -> fireEvent(new CreateEvent(this, name.getValue().strip(), branch.getValue().strip())));
        create.setId("create-repository");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.addClickShortcut(Key.ENTER);
        getFooter().add(new Button("Cancel", e -> close()), create);
    }

    Registration addCreateListener(ComponentEventListener<CreateEvent> listener) {
        return addListener(CreateEvent.class, listener);
    }

    /** The user asked for a repository with this name and branch. */
    static final class CreateEvent extends ComponentEvent<NewRepositoryDialog> {
        private final String name;
        private final String branch;

        CreateEvent(NewRepositoryDialog source, String name, String branch) {
            super(source, true);
            this.name = name;
            this.branch = branch;
        }

        String name() {
            return name;
        }

        String branch() {
            return branch;
        }
    }
}
