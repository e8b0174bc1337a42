package dev.berth.platform.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.network.AddressPolicy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where webhooks may go: refusals are decided before any connection; loopback is reached only when allowed. */
class WebhookSenderTest {
    private static final AddressPolicy NOTHING_ALLOWED = AddressPolicy.of(List.of(), Set.of(), "the test's setting");
    private static final AddressPolicy LOOPBACK_ALLOWED = AddressPolicy.of(List.of("127.0.0.0/8"), Set.of(), "the test's setting");

    @ParameterizedTest
    @CsvSource({"http://10.0.0.1/hook, a private", "http://169.254.169.254/latest/meta-data, a link-local",
            "https://127.0.0.1:9/hook, a loopback", "http://[::1]:9/hook, a loopback", "http://localhost:9/, a loopback name",
            "http://0.0.0.0:9/, an unspecified", "http://[::ffff:10.1.2.3]/, a private"})
    void refusesNonPublicAddressesWithoutConnecting(String url, String kind) throws Exception {
        // The address is a literal (or localhost): the guard decides without DNS and nothing is sent anywhere.
        try (var sender = new WebhookSender(NOTHING_ALLOWED)) {
            var outcome = sender.post(URI.create(url), "{}".getBytes(StandardCharsets.UTF_8), Map.of());
            assertThat(outcome).isInstanceOfSatisfying(WebhookSender.Outcome.Refused.class, r -> assertThat(r.reason())
                    .contains(kind).contains("unless an administrator allows them").contains("the test's setting"));
            assertThat(sender.refusal(URI.create(url))).contains(kind);
        }
    }

    @Test
    void aNameThatResolvesElsewhereByDeliveryTimeIsRefusedThen() throws Exception {
        var answer = new java.util.concurrent.atomic.AtomicReference<>("198.51.100.7");
        var guard = new dev.berth.registry.network.TargetGuard(NOTHING_ALLOWED,
                host -> new java.net.InetAddress[] {java.net.InetAddress.getByName(answer.get())});
        try (var sender = new WebhookSender(guard)) {
            URI url = URI.create("https://hooks.example.com/berth");
            // Public when it was saved (only checked, never connected to)...
            assertThat(sender.refusal(url)).isNull();
            // ...the metadata address when delivered: refused before any connection.
            answer.set("169.254.169.254");
            assertThat(sender.post(url, new byte[0], Map.of())).isInstanceOfSatisfying(WebhookSender.Outcome.Refused.class,
                    r -> assertThat(r.reason()).contains("resolves to 169.254.169.254, a link-local address"));
        }
    }

    @Test
    void aLoopbackReceiverHearsNothingUnlessLoopbackIsAllowed() throws Exception {
        try (var receiver = new Receiver(); var refused = new WebhookSender(NOTHING_ALLOWED);
             var allowed = new WebhookSender(LOOPBACK_ALLOWED)) {
            byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            assertThat(refused.post(receiver.url("/hook"), body, Map.of())).isInstanceOf(WebhookSender.Outcome.Refused.class);
            assertThat(receiver.received()).isEmpty();

            var outcome = allowed.post(receiver.url("/hook"), body, Map.of(Signature.HEADER, Signature.of("s", body)));
            assertThat(outcome).isEqualTo(new WebhookSender.Outcome.Answered(200, "answer 200"));
            assertThat(receiver.received()).singleElement().satisfies(r -> {
                assertThat(r.body()).isEqualTo(body);
                assertThat(r.header(Signature.HEADER)).isEqualTo(Signature.of("s", body));
            });
        }
    }

    @Test
    void aRedirectIsAFailureAndIsNotFollowed() throws Exception {
        try (var receiver = new Receiver(); var sender = new WebhookSender(LOOPBACK_ALLOWED)) {
            receiver.answer(302);
            var outcome = sender.post(receiver.url("/"), new byte[0], Map.of());
            assertThat(outcome).isInstanceOfSatisfying(WebhookSender.Outcome.Answered.class, a -> {
                assertThat(a.code()).isEqualTo(302);
                assertThat(a.delivered()).isFalse();
            });
            assertThat(receiver.received()).hasSize(1);
        }
    }
}
