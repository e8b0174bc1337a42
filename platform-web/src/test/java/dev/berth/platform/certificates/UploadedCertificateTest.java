package dev.berth.platform.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The checks on an uploaded certificate and key, each refusal naming what is wrong and never the key. */
class UploadedCertificateTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final KeyPair KEYS = Pem.newKeyPair();
    private static final KeyPair OTHER = Pem.newKeyPair();
    private static final String KEY = Pem.privateKey(KEYS.getPrivate());

    private static String chain(List<String> names, Instant notBefore, Instant notAfter) {
        return Pem.certificates(List.of(TestCertificates.selfSigned(KEYS, names, notBefore, notAfter)));
    }

    private static final String GOOD = chain(List.of("shop.example.com"), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)));

    @Test
    void aMatchingValidCertificateIsAccepted() {
        var checked = UploadedCertificate.check("shop.example.com", GOOD, KEY, NOW);
        assertThat(checked.issuer()).isEqualTo("Test Upload CA");
        assertThat(checked.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(90)));
        assertThat(checked.toString()).doesNotContain("PRIVATE").contains("key hidden");
        var wildcard = chain(List.of("*.example.com"), NOW.minusSeconds(60), NOW.plusSeconds(3600));
        assertThat(UploadedCertificate.check("shop.example.com", wildcard, KEY, NOW).host()).isEqualTo("shop.example.com");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("no chain", "", KEY, "'certificate' is missing: send the PEM chain, the certificate for shop.example.com first"),
                Arguments.of("no key", GOOD, " ", "'key' is missing: send the certificate's private key as PKCS#8 PEM"),
                Arguments.of("chain not PEM", "hello", KEY, "the chain holds no '-----BEGIN CERTIFICATE-----' block"),
                Arguments.of("chain not parseable", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", KEY,
                        "certificate 1 of the chain cannot be read"),
                Arguments.of("key not PKCS#8", GOOD, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----",
                        "the key is not a PKCS#8 PEM block ('-----BEGIN PRIVATE KEY-----'); convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem"),
                Arguments.of("key not a key", GOOD, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
                        "the key is neither an EC nor an RSA PKCS#8 key"),
                Arguments.of("another key", GOOD, Pem.privateKey(OTHER.getPrivate()),
                        "the key does not match the certificate (the first in the chain, CN=Test Upload CA)"),
                Arguments.of("another host", chain(List.of("www.example.com", "*.shop.example.com"), NOW.minusSeconds(60),
                        NOW.plusSeconds(3600)), KEY, "the certificate does not cover shop.example.com; it names www.example.com, *.shop.example.com"),
                Arguments.of("no names", chain(List.of(), NOW.minusSeconds(60), NOW.plusSeconds(3600)), KEY,
                        "the certificate does not cover shop.example.com; it names no DNS name"),
                Arguments.of("expired", chain(List.of("shop.example.com"), NOW.minus(Duration.ofDays(90)), NOW.minusSeconds(1)), KEY,
                        "the certificate for shop.example.com expired at 2026-06-01T11:59:59Z"),
                Arguments.of("not yet valid", chain(List.of("shop.example.com"), NOW.plusSeconds(3600), NOW.plus(Duration.ofDays(9))),
                        KEY, "the certificate for shop.example.com is not valid before 2026-06-01T13:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aWrongUploadIsRefusedSayingWhy(String name, String chain, String key, String message) {
        assertThatThrownBy(() -> UploadedCertificate.check("shop.example.com", chain, key, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining(KEY.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void aWildcardCoversOneLabelOnly() {
        assertThat(UploadedCertificate.covers("*.example.com", "shop.example.com")).isTrue();
        assertThat(UploadedCertificate.covers("*.example.com", "a.shop.example.com")).isFalse();
        assertThat(UploadedCertificate.covers("*.example.com", "example.com")).isFalse();
        assertThat(UploadedCertificate.covers("Shop.Example.com", "shop.example.com")).isTrue();
    }
}
