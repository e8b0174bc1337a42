package dev.berth.platform.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.problem.Problem;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DomainPatternTest {
    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "shop.example.com,       shop.example.com,        true",
            "shop.example.com,       www.shop.example.com,    false",
            "shop.example.com,       example.com,             false",
            "*.payments.example.com, api.payments.example.com, true",
            "*.payments.example.com, payments.example.com,    false",
            "*.payments.example.com, a.b.payments.example.com, false",
            "*.payments.example.com, xpayments.example.com,   false",
            "*.payments.example.com, .payments.example.com,   false",
            "*.example.com,          shop.example.com,        true",
    })
    void matches(String pattern, String host, boolean expected) {
        assertThat(DomainPattern.parse(pattern).matches(host)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} overlaps {1}: {2}")
    @CsvSource({
            "*.a.example.com,   x.a.example.com,   true",
            "x.a.example.com,   *.a.example.com,   true",
            "*.a.example.com,   *.a.example.com,   true",
            "x.a.example.com,   x.a.example.com,   true",
            "*.a.example.com,   a.example.com,     false",
            "*.a.example.com,   y.x.a.example.com, false",
            "*.a.example.com,   *.x.a.example.com, false",
            "*.a.example.com,   *.b.example.com,   false",
            "x.a.example.com,   y.a.example.com,   false",
    })
    void overlaps(String one, String other, boolean expected) {
        assertThat(DomainPattern.parse(one).overlaps(DomainPattern.parse(other))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Shop.example.com        | domains[0] 'Shop.example.com' must be written in lower case: shop.example.com",
            "*.*.example.com         | domains[0] '*.*.example.com' has a '*' out of place",
            "shop.*.example.com      | domains[0] 'shop.*.example.com' has a '*' out of place",
            "*example.com            | domains[0] '*example.com' has a '*' out of place",
            "*.com                   | domains[0] '*.com' needs at least two labels",
            "10.0.0.1                | domains[0] '10.0.0.1' is an IP address",
            "shop.example.com:443    | domains[0] 'shop.example.com:443' has a port",
            "shop.example.com.       | domains[0] 'shop.example.com.' ends with a dot",
            "*.localhost             | domains[0] '*.localhost' is localhost",
            "shop..example.com       | domains[0] 'shop..example.com' has an empty label",
            "-shop.example.com       | domains[0] '-shop.example.com' has the label '-shop'",
    })
    void aWrongEntryIsNamedWithWhy(String entry, String message) {
        assertThatThrownBy(() -> DomainPattern.parseAll(List.of(entry)))
                .isInstanceOf(Problem.Invalid.class).hasMessageStartingWith(message);
    }

    @Test
    void theListItselfIsChecked() {
        assertThat(DomainPattern.parseAll(List.of("shop.example.com", "*.payments.example.com")))
                .extracting(DomainPattern::text, DomainPattern::wildcard)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shop.example.com", false),
                        org.assertj.core.groups.Tuple.tuple("*.payments.example.com", true));
        assertThatThrownBy(() -> DomainPattern.parseAll(null)).hasMessageStartingWith("domains is required");
        assertThatThrownBy(() -> DomainPattern.parseAll(Collections.nCopies(65, "a.example.com"))).hasMessageContaining("at most 64");
        assertThatThrownBy(() -> DomainPattern.parseAll(List.of("a.example.com", " ")))
                .hasMessage("domains[1] is empty: write a host such as shop.example.com");
        assertThatThrownBy(() -> DomainPattern.parseAll(List.of("a.example.com", "a.example.com")))
                .hasMessage("domains[1] 'a.example.com' is listed twice");
    }

    @Test
    void theOwnerOfAHostIsTheTeamWhosePatternCoversIt() {
        var byTeam = new LinkedHashMap<String, List<DomainPattern>>();
        byTeam.put("shop", List.of(DomainPattern.parse("shop.example.com")));
        byTeam.put("payments", List.of(DomainPattern.parse("*.payments.example.com")));
        assertThat(DomainPattern.ownerOf("shop.example.com", byTeam)).contains("shop");
        assertThat(DomainPattern.ownerOf("api.payments.example.com", byTeam)).contains("payments");
        assertThat(DomainPattern.ownerOf("payments.example.com", byTeam)).isEmpty();
    }
}
