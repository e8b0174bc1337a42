package dev.berth.platform.tokens.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.tokens.IssuedToken;

/** Shows a new token's secret the one time it exists in the clear. */
class IssuedTokenDialog extends Dialog {

    IssuedTokenDialog(IssuedToken issued) {
        setHeaderTitle("Token '" + issued.details().name() + "' created");
        setCloseOnOutsideClick(false);

        var secret = new TextField("Your new token");
        secret.setId("issued-token");
        secret.setValue(issued.token());
        secret.setReadOnly(true);
        secret.setAutoselect(true);
        secret.setWidthFull();

        var once = new Paragraph("Copy it now: it will not be shown again. Berth keeps only a hash of it;"
                + " if you lose it, revoke it and create a new one.");
        once.setId("issued-token-note");
        var usage = new Paragraph("Send it as 'Authorization: Bearer <token>'.");
        usage.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL);
        add(secret, once, usage);
        setWidth("40rem");

        var done = new Button("I have copied it", e -> close());
        done.setId("issued-token-close");
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(done);
    }
}
