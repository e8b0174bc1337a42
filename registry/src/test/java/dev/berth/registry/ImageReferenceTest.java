package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {

    static final String D = "sha256:abababababababababababababababababababababababababababababababab";

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            // text,                                   registry,              repository,        tag,     digest
            "nginx,                                    registry-1.docker.io,  library/nginx,     latest,  -",
            "nginx:1.27,                               registry-1.docker.io,  library/nginx,     1.27,    -",
            "docker.io/nginx,                          registry-1.docker.io,  library/nginx,     latest,  -",
            "index.docker.io/acme/web,                 registry-1.docker.io,  acme/web,          latest,  -",
            "acme/web:v2,                              registry-1.docker.io,  acme/web,          v2,      -",
            "127.0.0.1:5000/acme/web:1.4,              127.0.0.1:5000,        acme/web,          1.4,     -",
            "localhost/web,                            localhost,             web,               latest,  -",
            "localhost:5000/a/b/c,                     localhost:5000,        a/b/c,             latest,  -",
            "ghcr.io/org/app-name_x.y__z:Tag_1.0-rc,   ghcr.io,               org/app-name_x.y__z, Tag_1.0-rc, -",
            "registry.example.com:443/web@" + D + ",   registry.example.com:443, web,            -,       " + D,
            "registry.example.com/web:1.0@" + D + ",   registry.example.com,  web,               1.0,     " + D,
            "Registry/web,                             Registry,              web,               latest,  -",
            "nginx@" + D + ",                          registry-1.docker.io,  library/nginx,     -,       " + D,
    })
    void parses(String text, String registry, String repository, String tag, String digest) {
        ImageReference ref = ImageReference.parse(text);
        assertThat(ref).isEqualTo(new ImageReference(registry, repository, tag, digest));
        assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''                                  | empty",
            "acme/Web                            | must be lowercase",
            "127.0.0.1:5000/Acme/web             | must be lowercase",
            "[::1]:5000/web                      | IPv6",
            "web:                                | tag after ':' is empty",
            "web@                                | digest after '@' is empty",
            "web@sha256:abc                      | not sha256:<64",
            "web@md5:" + "ab" + "                | not supported",
            "web:-bad                            | tag '-bad'",
            "acme//web                           | repository component ''",
            "acme/-web                           | repository component '-web'",
            "host:99999/web                      | port '99999'",
            "host:port/web                       | port 'port'",
            "' nginx'                            | whitespace",
            "-host.io/web                        | not a valid host name",
    })
    void rejects(String text, String expected) {
        assertThatThrownBy(() -> ImageReference.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected)
                .hasMessageContaining("\"" + text + "\"");
    }

    @org.junit.jupiter.api.Test
    void canonicalFormAndHelpers() {
        ImageReference ref = ImageReference.parse("127.0.0.1:5000/acme/web:1.4");
        assertThat(ref.toString()).isEqualTo("127.0.0.1:5000/acme/web:1.4");
        assertThat(ref.repositoryName()).isEqualTo("127.0.0.1:5000/acme/web");
        assertThat(ref.manifestReference()).isEqualTo("1.4");
        ImageReference pinned = ref.withDigest(D);
        assertThat(pinned.toString()).isEqualTo("127.0.0.1:5000/acme/web:1.4@" + D);
        assertThat(pinned.manifestReference()).isEqualTo(D);
        assertThatThrownBy(() -> ref.withDigest("sha256:nothex")).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void tooLongNameIsRejected() {
        assertThatThrownBy(() -> ImageReference.parse("example.com/" + "a".repeat(250)))
                .hasMessageContaining("longer than 255");
    }
}
