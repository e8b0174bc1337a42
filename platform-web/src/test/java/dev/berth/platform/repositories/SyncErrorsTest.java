package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SyncErrorsTest {
    static Stream<Arguments> cases() {
        String fetch = "fetching https://git.internal/x.git#main failed: '10.0.0.5' resolves to 10.0.0.5, a private address";
        String transport = "fetching https://h/x.git#main failed: https://h/x.git: cannot open git-upload-pack:"
                + " java.net.ConnectException: Connection refused";
        String image = "commit 0123456789ab: invalid berth.yaml\nberth.yaml: app 'web': image 10.0.0.5:5000/web:1 cannot be"
                + " resolved: 10.0.0.5:5000: fetching manifest 1 failed after 3 attempts: ConnectException: refused";
        String definition = "commit 0123456789ab: invalid berth.yaml\nberth.yaml:5:15: replicas must be at least 0";
        return Stream.of(
                Arguments.of(fetch, "the last fetch failed; a team DEPLOYER or ADMIN can see why (error id " + SyncErrors.id(fetch) + ")"),
                Arguments.of(transport, "the last fetch failed; a team DEPLOYER or ADMIN can see why (error id "
                        + SyncErrors.id(transport) + ")"),
                Arguments.of(image, "commit 0123456789ab: invalid berth.yaml\nberth.yaml: app 'web': image 10.0.0.5:5000/web:1"
                        + " cannot be resolved (error id " + SyncErrors.id(image) + ")"),
                Arguments.of(definition, definition));
    }

    @ParameterizedTest
    @MethodSource
    void cases(String stored, String shown) {
        assertThat(SyncErrors.forViewer(stored)).isEqualTo(shown).doesNotContain("Exception").doesNotContain("refused");
        assertThat(SyncErrors.id(stored)).hasSize(12).isEqualTo(SyncErrors.id(stored));
    }
}
