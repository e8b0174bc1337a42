package dev.berth.platform.operations.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.berth.platform.operations.DatabaseProbe;
import jakarta.servlet.http.HttpServletResponse;
import java.sql.SQLTransientConnectionException;

/**
 * A page failed because no database connection could be had: the pool's timeout, found anywhere in
 * the exception's causes (Vaadin looks through them), whichever Spring exception wraps it.
 */
@AnonymousAllowed
public class PoolTimeoutView extends DatabaseUnavailablePage implements HasErrorParameter<SQLTransientConnectionException> {
    public PoolTimeoutView(DatabaseProbe probe) {
        super(probe);
    }

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<SQLTransientConnectionException> parameter) {
        return HttpServletResponse.SC_SERVICE_UNAVAILABLE;
    }
}
