package dev.berth.platform.operations.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.berth.platform.operations.DatabaseOutage;
import dev.berth.platform.operations.DatabaseProbe;
import dev.berth.platform.operations.PoolTimeouts;
import jakarta.servlet.http.HttpServletResponse;
import java.sql.SQLTransientConnectionException;

/**
 * A page failed because no database connection could be had: the pool's timeout, found anywhere in
 * the exception's causes (Vaadin looks through them), whichever Spring exception wraps it. When
 * the database answers all the same ({@link PoolTimeouts}), the platform is overloaded and says so.
 */
@AnonymousAllowed
public class PoolTimeoutView extends DatabaseUnavailablePage implements HasErrorParameter<SQLTransientConnectionException> {
    private final PoolTimeouts poolTimeouts;

    public PoolTimeoutView(DatabaseProbe probe, PoolTimeouts poolTimeouts) {
        super(probe);
        this.poolTimeouts = poolTimeouts;
    }

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<SQLTransientConnectionException> parameter) {
        Throwable failure = parameter.getCaughtException();
        if (poolTimeouts.overloaded(failure)) sayOverloaded(DatabaseOutage.overloaded(DatabaseOutage.poolTimeout(failure)));
        return HttpServletResponse.SC_SERVICE_UNAVAILABLE;
    }
}
