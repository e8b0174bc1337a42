package dev.berth.platform.operations.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.berth.platform.operations.DatabaseProbe;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.dao.DataAccessResourceFailureException;

/** A page failed because a database connection broke under it (PostgreSQL stopped mid-query). */
@AnonymousAllowed
public class LostConnectionView extends DatabaseUnavailablePage implements HasErrorParameter<DataAccessResourceFailureException> {
    public LostConnectionView(DatabaseProbe probe) {
        super(probe);
    }

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<DataAccessResourceFailureException> parameter) {
        return HttpServletResponse.SC_SERVICE_UNAVAILABLE;
    }
}
