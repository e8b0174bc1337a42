package dev.berth.platform.certificates.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.certificates.CertificateState;
import dev.berth.platform.certificates.CertificateState.Source;
import dev.berth.platform.certificates.CertificateState.Status;
import dev.berth.platform.ui.Timestamps;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificatesPanelTest {
    private static final Instant AT = Instant.parse("2026-12-05T19:00:00Z");

    @Test
    void theLastErrorShowsWithWhenItHappened() {
        var failed = new CertificateState("shop.example.com", Source.ACME, Status.FAILED, null, null,
                "DNS for shop.example.com points to 203.0.113.9, not to an edge host (edges: 127.0.0.1)", AT);
        assertThat(CertificatesPanel.problem(failed)).isEqualTo("DNS for shop.example.com points to 203.0.113.9, not to an"
                + " edge host (edges: 127.0.0.1) (" + Timestamps.format(AT) + ")");
        var issued = new CertificateState("www.example.com", Source.ACME, Status.ISSUED, "Pebble Intermediate CA", AT, null, AT);
        assertThat(CertificatesPanel.problem(issued)).isEmpty();

        var panel = new CertificatesPanel(null, null);
        panel.display(List.of(failed, issued));
        assertThat(panel.shown()).containsExactly(failed, issued);
    }
}
