package dev.berth.platform.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.berth.platform.sso.PasswordSignInRefused;
import dev.berth.platform.sso.ProviderUnavailable;
import dev.berth.platform.sso.SsoProperties;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.WebAttributes;

/**
 * The sign-in page: the password form and, when single sign-on is set up, a button to the identity
 * provider. A failed sign-in says why when the reason is the person's to act on (passwords off, the
 * provider away or refusing); a wrong password stays a plain "wrong username or password".
 */
@Route(value = "login", autoLayout = false)
@PageTitle("Sign in · Berth")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {
    static final String WRONG_PASSWORD = "Wrong username or password. After 5 failed attempts in 15 minutes an account"
            + " is locked for 15 minutes.";
    private final LoginForm form = new LoginForm();
    private final LoginI18n i18n = LoginI18n.createDefault();

    public LoginView(SsoProperties sso) {
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        i18n.getForm().setTitle("Sign in");
        i18n.getErrorMessage().setTitle("Sign-in failed");
        i18n.getErrorMessage().setMessage(WRONG_PASSWORD);
        form.setI18n(i18n);
        form.setForgotPasswordButtonVisible(false);
        form.setAction("login");
        var title = new H1("Berth");
        var tagline = new Paragraph("Immutable containers, deployed with git push.");
        tagline.getStyle().set("color", "var(--lumo-secondary-text-color, #666)");
        add(title, tagline);
        if (sso.configured()) {
            var button = new Button("Sign in with " + sso.displayName(), VaadinIcon.SIGN_IN.create());
            button.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            button.setWidth("18em");
            // A full page load, not a route: the server answers it with the redirect to the provider.
            var link = new Anchor("oauth2/authorization/" + sso.registrationId(), button);
            link.setRouterIgnore(true);
            link.setId("sso-sign-in");
            add(link);
        }
        add(form);
        if (!sso.localPasswords()) {
            var note = new Paragraph("Password sign-in is kept for the break-glass admin only.");
            note.setId("passwords-off");
            note.getStyle().set("color", "var(--lumo-secondary-text-color, #666)").set("font-size", "var(--lumo-font-size-s)");
            add(note);
        }
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        boolean failed = event.getLocation().getQueryParameters().getParameters().containsKey("error");
        if (failed) {
            i18n.getErrorMessage().setMessage(reason());
            form.setI18n(i18n);
        }
        form.setError(failed);
    }

    /** Why the last sign-in failed, read once from the session where Spring Security left it. */
    private static String reason() {
        var session = VaadinSession.getCurrent() == null ? null : VaadinSession.getCurrent().getSession();
        if (session == null) return WRONG_PASSWORD;
        Object last = session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        session.removeAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        return switch (last) {
            case PasswordSignInRefused refused -> refused.getMessage();
            case ProviderUnavailable unavailable -> unavailable.getMessage();
            case OAuth2AuthenticationException oauth -> "Single sign-on failed: " + (oauth.getError().getDescription() != null
                    ? oauth.getError().getDescription() : oauth.getError().getErrorCode());
            case null, default -> WRONG_PASSWORD;
        };
    }
}
