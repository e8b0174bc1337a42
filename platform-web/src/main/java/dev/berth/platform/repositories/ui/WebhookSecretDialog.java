package dev.berth.platform.repositories.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import dev.berth.platform.repositories.RepositoryService;
import dev.berth.platform.ui.Monospace;

/** Shows a new external repository's webhook URL and secret, the one time the secret is shown. */
class WebhookSecretDialog extends Dialog {
    WebhookSecretDialog(RepositoryService.Registered registered) {
        setHeaderTitle("Webhook for " + registered.repository().name());
        var url = new TextField("Payload URL");
        url.setId("webhook-url");
        url.setValue(registered.repository().remote().webhookUrl());
        url.setReadOnly(true);
        url.setWidth("36rem");
        var secret = new TextField("Secret");
        secret.setId("webhook-secret");
        secret.setValue(registered.webhookSecret());
        secret.setReadOnly(true);
        secret.setWidth("36rem");
        Monospace.apply(url);
        Monospace.apply(secret);
        var note = new Paragraph("Add a push webhook in GitHub, Gitea or GitLab with this URL and secret (JSON payload)."
                + " The secret will not be shown again. Without a webhook, Berth still fetches on its schedule.");
        note.setId("webhook-note");
        add(url, secret, note);
        var close = new Button("Done", e -> close());
        close.setId("webhook-close");
        getFooter().add(close);
    }
}
