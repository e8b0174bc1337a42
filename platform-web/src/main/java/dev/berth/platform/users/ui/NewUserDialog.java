package dev.berth.platform.users.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.shared.Registration;
import dev.berth.platform.users.UserService;

/** Collects a new user's name, first password and admin flag, and emits them. */
class NewUserDialog extends Dialog {
    private final TextField username = new TextField("Username");
    private final PasswordField password = new PasswordField("Password");
    private final Checkbox platformAdmin = new Checkbox("Platform admin");

    NewUserDialog() {
        setHeaderTitle("New user");
        username.setId("user-username");
        username.setHelperText("Lowercase letters, digits, '.', '_' or '-', starting with a letter");
        username.setAutofocus(true);
        password.setId("user-password");
        password.setHelperText("At least " + UserService.MIN_PASSWORD_LENGTH + " characters");
        platformAdmin.setId("user-platform-admin");
        platformAdmin.setTooltipText("Platform admins manage users and teams and read the whole audit log");

        var form = new FormLayout(username, password, platformAdmin);
        form.setMaxWidth("30rem");
        add(form);

        var create = new Button("Create user", e -> fireEvent(
                new CreateEvent(this, username.getValue().strip(), password.getValue(), platformAdmin.getValue())));
        create.setId("create-user");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), create);
    }

    Registration addCreateListener(ComponentEventListener<CreateEvent> listener) {
        return addListener(CreateEvent.class, listener);
    }

    /** The user asked for this account. Not a record: the password must not end up in a toString. */
    static final class CreateEvent extends ComponentEvent<NewUserDialog> {
        private final String username;
        private final String password;
        private final boolean platformAdmin;

        CreateEvent(NewUserDialog source, String username, String password, boolean platformAdmin) {
            super(source, true);
            this.username = username;
            this.password = password;
            this.platformAdmin = platformAdmin;
        }

        String username() {
            return username;
        }

        String password() {
            return password;
        }

        boolean platformAdmin() {
            return platformAdmin;
        }
    }
}
