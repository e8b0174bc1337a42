package dev.berth.platform.hosts.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.hosts.HostService;
import dev.berth.platform.ui.Monospace;
import dev.berth.platform.ui.Timestamps;

/** Shows a new join token once, with the command that joins a host with it. */
class JoinTokenDialog extends Dialog {
    JoinTokenDialog(HostService.IssuedJoinToken issued, String platformUrl) {
        setHeaderTitle("Join a host");
        var token = new TextField("Join token");
        token.setId("join-token");
        token.setValue(issued.token());
        token.setReadOnly(true);
        token.setWidth("36rem");
        Monospace.apply(token);
        var command = new Pre("berth-agent daemon --platform " + platformUrl + " --join-token " + issued.token());
        command.setId("join-command");
        command.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.Padding.SMALL, LumoUtility.Background.CONTRAST_5);
        var note = new Paragraph("Run this as root on the new host. The token works once, until "
                + Timestamps.format(issued.expiresAt()) + " UTC, and will not be shown again.");
        note.setId("join-token-note");
        add(token, command, note);
        var done = new Button("Done", e -> close());
        done.setId("join-token-close");
        getFooter().add(done);
    }
}
