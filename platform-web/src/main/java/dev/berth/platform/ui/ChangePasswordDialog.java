package dev.berth.platform.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.server.VaadinSession;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.security.BerthUser;
import dev.berth.platform.users.UserService;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/** Lets the signed-in user change their own password, from the frame's header; the current one is required. */
class ChangePasswordDialog extends Dialog {
    private final PasswordField current = new PasswordField("Current password");
    private final PasswordField next = new PasswordField("New password");
    private final PasswordField repeat = new PasswordField("New password again");

    ChangePasswordDialog(UserService users, CallerResolver callers) {
        setHeaderTitle("Change password");
        current.setId("current-password");
        current.setAutofocus(true);
        next.setId("new-password");
        next.setHelperText("At least " + UserService.MIN_PASSWORD_LENGTH + " characters");
        repeat.setId("repeat-password");
        var form = new FormLayout(current, next, repeat);
        form.setMaxWidth("24rem");
        add(form);

        var save = new Button("Change password", e -> {
            if (!next.getValue().equals(repeat.getValue())) {
                repeat.setInvalid(true);
                repeat.setErrorMessage("The two new passwords differ");
                return;
            }
            try {
                long version = users.changeOwnPassword(callers.current(), current.getValue(), next.getValue(),
                        RequestOrigin.current());
                // This session stays signed in; every other one has ended.
                BerthUser.carryOver(version).ifPresent(context -> VaadinSession.getCurrent().getSession()
                        .setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context));
                close();
                Notices.done("Your password was changed; your other sessions and tokens were ended");
            } catch (Problem p) {
                Notices.problem(p);
            }
        });
        save.setId("save-password");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), save);
    }
}
