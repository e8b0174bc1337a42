package dev.berth.platform.repositories.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.repositories.Repository;
import dev.berth.platform.repositories.RepositoryService;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.ui.Monospace;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;

/** A repository's signature requirement and trusted keys; team ADMINs change them, others read them. */
class SigningPanel extends Details {
    private final transient RepositoryService repositories;
    private final transient CallerResolver callers;
    private final Repository repository;
    private final Checkbox required = new Checkbox("Accept only commits signed by a trusted key");
    private final Grid<RepositoryService.TrustedKeyView> keys = new Grid<>();
    private final TextArea armored = new TextArea("Add a public key");

    SigningPanel(RepositoryService repositories, CallerResolver callers, Repository repository) {
        this.repositories = repositories;
        this.callers = callers;
        this.repository = repository;
        setId("signing");
        boolean admin = AccessPolicy.decide(callers.current(), Permission.MANAGE_REPOSITORY, repository.team())
                instanceof AccessPolicy.Allowed;
        required.setId("require-signed");
        required.setEnabled(admin);
        required.addValueChangeListener(e -> {
            if (!e.isFromClient()) return;
            try {
                repositories.requireSigned(callers.current(), repository.team(), repository.name(), e.getValue(), RequestOrigin.current());
                Notices.done(e.getValue() ? "Only signed commits are accepted now" : "Unsigned commits are accepted again");
            } catch (Problem p) {
                Notices.problem(p);
            }
            refresh();
        });
        keys.setId("trusted-keys");
        keys.addThemeVariants(GridVariant.LUMO_COMPACT);
        keys.setAllRowsVisible(true);
        keys.addComponentColumn(k -> Monospace.apply(new com.vaadin.flow.component.html.Span(k.fingerprint()))).setHeader("Fingerprint").setAutoWidth(true);
        keys.addColumn(RepositoryService.TrustedKeyView::signer).setHeader("Signer").setFlexGrow(1);
        keys.addColumn(k -> k.addedBy() + ", " + Timestamps.format(k.addedAt())).setHeader("Added").setAutoWidth(true);
        if (admin) {
            keys.addComponentColumn(k -> {
                var remove = new Button("Remove", e -> {
                    try {
                        repositories.distrustKey(callers.current(), repository.team(), repository.name(), k.fingerprint(), RequestOrigin.current());
                    } catch (Problem p) {
                        Notices.problem(p);
                    }
                    refresh();
                });
                remove.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
                return remove;
            }).setAutoWidth(true).setFlexGrow(0);
        }
        keys.setEmptyStateText("No trusted keys yet.");
        var content = new VerticalLayout(required, keys);
        content.setPadding(false);
        content.setWidthFull();
        keys.setWidthFull();
        setWidthFull();
        if (admin) {
            armored.setId("trusted-key-armored");
            armored.setPlaceholder("-----BEGIN PGP PUBLIC KEY BLOCK-----  (gpg --armor --export KEYID)");
            armored.setWidthFull();
            armored.setHeight("8em"); // a key block is long; the field scrolls instead of pushing the page down
            var add = new Button("Trust key", e -> {
                try {
                    var key = repositories.trustKey(callers.current(), repository.team(), repository.name(), armored.getValue(),
                            RequestOrigin.current());
                    armored.clear();
                    Notices.done("Trusting " + key.signer());
                } catch (Problem p) {
                    Notices.problem(p);
                }
                refresh();
            });
            add.setId("trust-key");
            content.add(armored, add);
        }
        add(content);
        refresh();
    }

    private void refresh() {
        var signing = repositories.signing(callers.current(), repository.team(), repository.name());
        required.setValue(signing.required());
        keys.setItems(signing.keys());
        setSummaryText("Signed commits: " + (signing.required() ? "required" : "not required") + " · "
                + signing.keys().size() + (signing.keys().size() == 1 ? " trusted key" : " trusted keys"));
    }
}
