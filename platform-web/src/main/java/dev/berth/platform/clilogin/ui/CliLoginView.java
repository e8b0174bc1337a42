package dev.berth.platform.clilogin.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.clilogin.CliLoginService;
import dev.berth.platform.clilogin.LoginRequest;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.ui.Timestamps;
import jakarta.annotation.security.PermitAll;

/**
 * Where a person approves or denies a {@code berth login URL} started in a terminal: the code the
 * terminal shows (prefilled from {@code ?code=}), what asks and from where, then Approve or Deny.
 * Both are Vaadin events, covered by Vaadin's own CSRF token; nothing approves on a GET.
 */
@Route("cli-login")
@PageTitle("Sign in the command line · Berth")
@PermitAll
public class CliLoginView extends VerticalLayout implements BeforeEnterObserver {
    private final transient CliLoginService logins;
    private final transient CallerResolver callers;
    private final TextField code = new TextField("Code");
    private final Div request = new Div();
    private final Paragraph error = new Paragraph();
    private final Paragraph outcome = new Paragraph();
    private final Button approve = new Button("Approve");
    private final Button deny = new Button("Deny");
    /** The code the shown request was found by; Approve and Deny act on it, checked again by the service. */
    private String shownCode;

    public CliLoginView(CliLoginService logins, CallerResolver callers) {
        this.logins = logins;
        this.callers = callers;
        setMaxWidth("44rem");

        var heading = new H2("Sign in the command line");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        var intro = new Paragraph("A berth command line asks to be signed in as you. Check that the code is the one your"
                + " terminal shows, and that you started berth login yourself just now.");
        intro.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.NONE);

        code.setId("cli-login-code");
        code.setPlaceholder("ABCD-EFGH");
        code.setMaxLength(32);
        code.setHelperText("As your terminal shows it");
        code.setWidth("14rem");
        var find = new Button("Look up", e -> find());
        find.setId("cli-login-find");
        code.addKeyPressListener(Key.ENTER, e -> find());
        var lookup = new HorizontalLayout(code, find);
        lookup.setAlignItems(FlexComponent.Alignment.BASELINE);

        request.setId("cli-login-request");
        error.setId("cli-login-error");
        error.addClassNames(LumoUtility.TextColor.ERROR);
        outcome.setId("cli-login-outcome");
        outcome.addClassNames(LumoUtility.FontWeight.SEMIBOLD);
        outcome.setVisible(false);

        approve.setId("cli-login-approve");
        approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        approve.addClickListener(e -> decide(true));
        deny.setId("cli-login-deny");
        deny.addThemeVariants(ButtonVariant.LUMO_ERROR);
        deny.addClickListener(e -> decide(false));
        var decisions = new HorizontalLayout(approve, deny);

        add(heading, intro, lookup, error, request, decisions, outcome);
        show(null);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var given = event.getLocation().getQueryParameters().getSingleParameter("code");
        if (given.isPresent() && !given.get().isBlank()) {
            code.setValue(given.get());
            find();
        }
    }

    private void find() {
        outcome.setText("");
        outcome.setVisible(false);
        try {
            var found = logins.find(callers.current(), code.getValue(), RequestOrigin.current());
            shownCode = code.getValue();
            show(found);
        } catch (Problem p) {
            shownCode = null;
            show(null);
            failed(p);
        }
    }

    private void failed(Problem p) {
        error.setText(p.getMessage());
        error.setVisible(true);
    }

    private void show(LoginRequest found) {
        error.setText("");
        error.setVisible(false);
        request.removeAll();
        approve.setVisible(found != null);
        deny.setVisible(found != null);
        request.setVisible(found != null);
        if (found == null) return;
        code.setValue(found.userCode().display());
        request.add(line("What asks", found.description()),
                line("From address", found.sourceAddress() == null ? "unknown" : found.sourceAddress()),
                line("Asked at (UTC)", Timestamps.format(found.createdAt())),
                line("Code expires at (UTC)", Timestamps.format(found.expiresAt())));
        var grants = new Paragraph("Approving gives it an API token that acts as you, in every team you are in, for "
                + CliLoginService.TOKEN_LIFETIME.toDays() + " days. It is listed on the Tokens page, where you can revoke it.");
        grants.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL);
        request.add(grants);
    }

    private static Paragraph line(String label, String value) {
        var name = new Span(label + ": ");
        name.addClassNames(LumoUtility.TextColor.SECONDARY);
        var text = new Span(value);
        text.addClassNames(LumoUtility.FontWeight.SEMIBOLD);
        var p = new Paragraph(name, text);
        p.addClassNames(LumoUtility.Margin.Vertical.XSMALL);
        return p;
    }

    private void decide(boolean approved) {
        if (shownCode == null) return;
        try {
            var caller = callers.current();
            if (approved) {
                logins.approve(caller, shownCode, RequestOrigin.current());
            } else {
                logins.deny(caller, shownCode, RequestOrigin.current());
            }
            show(null);
            outcome.setVisible(true);
            outcome.setText(approved
                    ? "Approved. You can close this window and return to the terminal."
                    : "Denied. The command line was not signed in; you can close this window.");
        } catch (Problem p) {
            show(null);
            failed(p);
        } finally {
            shownCode = null;
        }
    }
}
