package dev.berth.gitsync.definition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostNamesTest {
    @Test
    void appliesTheRouteHostRules() {
        assertThat(HostNames.problem("shop.example.com")).isNull();
        assertThat(HostNames.problem("Shop.example.com")).isEqualTo(RouteText.hostProblem("Shop.example.com"))
                .startsWith("must be written in lower case");
        assertThat(HostNames.problem("*.example.com")).startsWith("is a wildcard");
    }
}
