package dev.berth.platform.notifications.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.notifications.Signature;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.ui.Notices;

/** Shows a new endpoint's signing secret the one time it exists in the clear, with a button to copy it. */
class SigningSecretDialog extends Dialog {

    SigningSecretDialog(String endpoint, String signingSecret) {
        setHeaderTitle("Endpoint '" + endpoint + "' added");
        setCloseOnOutsideClick(false);

        var secret = new TextField("Signing secret");
        secret.setId("signing-secret");
        secret.setValue(signingSecret);
        secret.setReadOnly(true);
        secret.setAutoselect(true);
        secret.setWidthFull();
        var copy = new Button("Copy", VaadinIcon.COPY.create(), e -> {
            // The browser copies from the page, which has the secret already: it does not travel again.
            getElement().executeJs("return navigator.clipboard.writeText($0).then(() => true, () => false)", signingSecret)
                    .then(Boolean.class, copied -> {
                        if (copied) Notices.done("Signing secret copied");
                        else Notices.problem(new Problem.Invalid("The browser did not let the page copy; select the secret"
                                + " and copy it yourself"));
                    });
        });
        copy.setId("copy-signing-secret");
        var row = new HorizontalLayout(secret, copy);
        row.setWidthFull();
        row.setAlignItems(FlexComponent.Alignment.BASELINE);
        row.setFlexGrow(1, secret);

        var once = new Paragraph("Copy it now: it will not be shown again. Berth keeps it sealed and signs every request"
                + " with it.");
        once.setId("signing-secret-note");
        var usage = new Paragraph("Each request carries " + Signature.HEADER + ": sha256=HMAC-SHA256(secret, body) in hex,"
                + " like GitHub's webhooks; compare it with your own HMAC of the raw body before trusting the request.");
        usage.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL);
        add(row, once, usage);
        setWidth("44rem");

        var done = new Button("I have copied it", e -> close());
        done.setId("signing-secret-close");
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(done);
    }
}
