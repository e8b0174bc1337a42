package dev.berth.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.router.ErrorParameter;
import dev.berth.platform.MutableClock;
import dev.berth.platform.operations.ui.PoolTimeoutView;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** The dashboard's page for a pool timeout says which it was: the platform overloaded, or its database away. */
class PoolTimeoutViewTest {
    private boolean answers;

    private PoolTimeoutView view(SQLTransientConnectionException failure) {
        // The probe is only asked by the page's polling, once attached in a browser; the pool timeouts' check stands in here.
        var view = new PoolTimeoutView(new DatabaseProbe(null), new PoolTimeouts(() -> answers, new SimpleMeterRegistry(), new MutableClock()));
        assertThat(view.setErrorParameter(null, new ErrorParameter<>(SQLTransientConnectionException.class, failure))).isEqualTo(503);
        return view;
    }

    @Test
    void whileTheDatabaseAnswersThePlatformIsOverloaded() {
        answers = true;
        String text = view(new SQLTransientConnectionException("berth - Connection is not available, request timed out after 5000ms"))
                .getElement().getTextRecursively();
        assertThat(text).contains("The platform is overloaded")
                .contains("The platform is overloaded: no database connection was free within 5 s; try again")
                .doesNotContain("cannot reach its database");
    }

    @Test
    void whileItIsAwayItIsAnOutage() {
        answers = false;
        assertThat(view(new SQLTransientConnectionException("berth - Connection is not available, request timed out after 5000ms"))
                .getElement().getTextRecursively()).contains("The platform cannot reach its database").doesNotContain("overloaded");
        answers = true;
        var refused = new SQLTransientConnectionException("berth - Connection is not available, request timed out after 5000ms", "08001",
                new SQLException("Connection refused", "08001"));
        assertThat(view(refused).getElement().getTextRecursively()).as("the pool's own word that connecting failed")
                .contains("The platform cannot reach its database");
    }
}
