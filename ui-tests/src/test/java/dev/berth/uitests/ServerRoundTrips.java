package dev.berth.uitests;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinRequestInterceptor;
import com.vaadin.flow.server.VaadinResponse;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The server's side of every dashboard round trip, for {@link DashboardBenchmark}: from the moment
 * Vaadin starts handling a request (HTTP or a WebSocket push message; both pass through
 * {@code VaadinService.requestStart}) until it ended it, its response written. A request during
 * which the router navigated is labelled with the view it navigated to. Added to a platform with
 * {@code --spring.main.sources=dev.berth.uitests.ServerRoundTrips}.
 */
@Configuration(proxyBeanMethods = false)
public class ServerRoundTrips {
    private static final String STARTED = ServerRoundTrips.class.getName() + ".started";
    private static final String NAVIGATED = ServerRoundTrips.class.getName() + ".navigated";

    /** One request: the view it navigated to (null when it did not navigate) and how long the server took. */
    record Sample(String navigatedTo, long nanos) {
        double millis() {
            return nanos / 1e6;
        }
    }

    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();

    @Bean
    VaadinServiceInitListener roundTripTiming() {
        return event -> {
            event.getSource().addUIInitListener(init -> init.getUI().addAfterNavigationListener(ServerRoundTrips::navigated));
            event.addVaadinRequestInterceptor(new VaadinRequestInterceptor() {
                @Override
                public void requestStart(VaadinRequest request, VaadinResponse response) {
                    request.setAttribute(STARTED, System.nanoTime());
                }

                @Override
                public void handleException(VaadinRequest request, VaadinResponse response, VaadinSession session, Exception e) {
                }

                @Override
                public void requestEnd(VaadinRequest request, VaadinResponse response, VaadinSession session) {
                    if (request.getAttribute(STARTED) instanceof Long started) {
                        samples.add(new Sample((String) request.getAttribute(NAVIGATED), System.nanoTime() - started));
                    }
                }
            });
        };
    }

    private static void navigated(AfterNavigationEvent event) {
        var request = VaadinRequest.getCurrent();
        var view = UI.getCurrent() == null ? null : UI.getCurrent().getCurrentView();
        if (request != null && view != null) request.setAttribute(NAVIGATED, view.getClass().getSimpleName());
    }

    /** Takes every sample recorded since the last call. */
    List<Sample> drain() {
        var out = new ArrayList<Sample>();
        for (Sample s; (s = samples.poll()) != null; ) out.add(s);
        return out;
    }
}
