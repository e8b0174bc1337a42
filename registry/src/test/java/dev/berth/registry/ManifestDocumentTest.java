package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestDocumentTest {

    static final String A = "sha256:" + "aa".repeat(32);
    static final String B = "sha256:" + "bb".repeat(32);
    static final String C = "sha256:" + "cc".repeat(32);

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String image(String mediaTypeField) {
        return """
                {"schemaVersion":2,%s
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":12},
                 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":34},
                           {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":56}]}"""
                .formatted(mediaTypeField, A, B, C);
    }

    static String index(String mediaType) {
        return """
                {"schemaVersion":2,"mediaType":"%s","manifests":[
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,"platform":{"os":"linux","architecture":"arm","variant":"v7"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":2,"platform":{"os":"linux","architecture":"amd64"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":3,"platform":{"os":"unknown","architecture":"unknown"}}]}"""
                .formatted(mediaType, A, B, C);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "'\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",', -, application/vnd.oci.image.manifest.v1+json",
            "'\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",', application/json, application/vnd.docker.distribution.manifest.v2+json",
            "'', 'application/vnd.oci.image.manifest.v1+json; charset=utf-8', application/vnd.oci.image.manifest.v1+json",
            "'', -, application/vnd.oci.image.manifest.v1+json",
    })
    void imageManifests(String field, String contentType, String expected) {
        var doc = (ManifestDocument.Image) ManifestDocument.parse(bytes(image(field)), contentType);
        assertThat(doc.mediaType()).isEqualTo(expected);
        assertThat(doc.config().digest()).isEqualTo(A);
        assertThat(doc.config().size()).isEqualTo(12);
        assertThat(doc.layers()).extracting(Descriptor::digest).containsExactly(B, C);
        assertThat(doc.layers()).extracting(Descriptor::platform).containsOnlyNulls();
    }

    @ParameterizedTest
    @CsvSource({"application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"})
    void indexSelectsThePlatform(String mediaType) {
        var doc = (ManifestDocument.Index) ManifestDocument.parse(bytes(index(mediaType)), null);
        assertThat(doc.mediaType()).isEqualTo(mediaType);
        assertThat(doc.select(new Platform("linux", "amd64", null))).get().extracting(Descriptor::digest).isEqualTo(B);
        assertThat(doc.select(new Platform("linux", "arm", null))).get().extracting(Descriptor::digest).isEqualTo(A);
        assertThat(doc.select(new Platform("linux", "arm", "v7"))).get().extracting(Descriptor::digest).isEqualTo(A);
        assertThat(doc.select(new Platform("linux", "arm", "v6"))).isEmpty();
        assertThat(doc.select(new Platform("linux", "s390x", null))).isEmpty();
        assertThat(doc.platforms()).containsExactly("linux/arm/v7", "linux/amd64");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]} | application/vnd.docker.distribution.manifest.v1+prettyjws | manifest media type application/vnd.docker.distribution.manifest.v1+prettyjws (Docker schema 1) is not supported",
            "{\"schemaVersion\":1,\"name\":\"x\"} | application/json | application/vnd.docker.distribution.manifest.v1+json (Docker schema 1)",
            "{\"mediaType\":\"application/vnd.example.thing+json\"} | application/vnd.example.thing+json | manifest media type application/vnd.example.thing+json is not supported",
            "{\"schemaVersion\":2} | text/plain | manifest media type text/plain is not supported",
            "{\"schemaVersion\":2} | - | manifest has no media type",
            "not json | application/vnd.oci.image.manifest.v1+json | not valid JSON",
            "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]} | - | no config descriptor",
            "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"digest\":\"sha256:00\",\"size\":1},\"layers\":[]} | - | config: digest 'sha256:00'",
            "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"size\":1},\"layers\":[]} | - | config lacks a digest",
    })
    void refuses(String body, String contentType, String message) {
        assertThatThrownBy(() -> ManifestDocument.parse(bytes(body), "-".equals(contentType) ? null : contentType))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void acceptHeaderListsExactlyTheSupportedTypes() {
        assertThat(MediaTypes.ACCEPT.split(", ")).containsExactlyInAnyOrder(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
                MediaTypes.DOCKER_LIST, MediaTypes.DOCKER_MANIFEST);
    }
}
