package dev.berth.platform.repositories.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.shared.Registration;
import dev.berth.platform.repositories.RepositoryService;

/** Asks where an external repository lives and how to reach it; the view registers it. */
class ExternalRepositoryDialog extends Dialog {
    private final TextField name = new TextField("Name");
    private final TextField url = new TextField("URL");
    private final TextField branch = new TextField("Branch");
    private final TextField path = new TextField("Definition path");
    private final TextField username = new TextField("Username");
    private final PasswordField token = new PasswordField("Token");
    private final IntegerField poll = new IntegerField("Fetch every (seconds)");

    ExternalRepositoryDialog(String team) {
        setHeaderTitle("Register an external repository in " + team);
        name.setId("external-name");
        url.setId("external-url");
        url.setHelperText("https://… or, for platform admins, a path on the platform's host");
        url.setWidthFull();
        branch.setId("external-branch");
        branch.setValue("main");
        path.setId("external-path");
        path.setValue("berth.yaml");
        username.setId("external-username");
        token.setId("external-token");
        token.setHelperText("Stored encrypted; never shown again");
        poll.setId("external-poll");
        poll.setValue(60);
        poll.setMin(10);
        var form = new FormLayout(name, url, branch, path, username, token, poll);
        form.setColspan(url, 2);
        form.setMaxWidth("40rem");
        add(form);
        var register = new Button("Register", e -> fireEvent(new RegisterEvent(this, name.getValue().strip(),
                new RepositoryService.ExternalSource(url.getValue().strip(), branch.getValue().strip(), path.getValue().strip(),
                        username.getValue().strip(), token.getValue(), poll.getValue()))));
        register.setId("register-external");
        register.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), register);
    }

    Registration addRegisterListener(ComponentEventListener<RegisterEvent> listener) {
        return addListener(RegisterEvent.class, listener);
    }

    /** The user asked to register this source under this name. */
    static final class RegisterEvent extends ComponentEvent<ExternalRepositoryDialog> {
        private final String name;
        private final RepositoryService.ExternalSource source;

        RegisterEvent(ExternalRepositoryDialog dialog, String name, RepositoryService.ExternalSource source) {
            super(dialog, true);
            this.name = name;
            this.source = source;
        }

        String name() {
            return name;
        }

        RepositoryService.ExternalSource source() {
            return source;
        }
    }
}
