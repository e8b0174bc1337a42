package dev.berth.platform.clilogin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class UserCodeTest {
    @Test
    void theAlphabetHas32LettersWithoutTheAmbiguousOnes() {
        assertThat(UserCode.ALPHABET.chars().distinct().count()).isEqualTo(32);
        assertThat(UserCode.ALPHABET).doesNotContain("0", "O", "1", "I");
        // 32^8 = 2^40 codes.
        assertThat(Math.pow(UserCode.ALPHABET.length(), UserCode.LENGTH)).isGreaterThanOrEqualTo(Math.pow(32, 8));
    }

    @Test
    void aTypedCodeIsReadInAnyCaseWithOrWithoutTheDash() {
        assertThat(UserCode.parse("abcd-efgh")).contains(new UserCode("ABCDEFGH"));
        assertThat(UserCode.parse(" ABCD EFGH ")).contains(new UserCode("ABCDEFGH"));
        assertThat(UserCode.parse("ABCDEFGH").orElseThrow().display()).isEqualTo("ABCD-EFGH");
    }

    @Test
    void whatCannotBeACodeIsRefused() {
        assertThat(UserCode.parse("ABCD-EFG")).isEmpty();
        assertThat(UserCode.parse("ABCD-EFGHJ")).isEmpty();
        assertThat(UserCode.parse("ABCD-EFG0")).as("0 is not in the alphabet").isEmpty();
        assertThat(UserCode.parse(null)).isEmpty();
        assertThat(UserCode.parse("A".repeat(40))).isEmpty();
    }

    @Test
    void generatedCodesAreWellFormedAndVary() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 200; i++) {
            var code = UserCode.generate();
            assertThat(UserCode.parse(code.display())).contains(code);
            seen.add(code.value());
        }
        assertThat(seen).hasSizeGreaterThan(190);
    }

    @Test
    void deviceCodesCarry256BitsAndHideThemselves() {
        var code = DeviceCode.generate();
        assertThat(code.text()).hasSize(43);
        assertThat(DeviceCode.parse(code.text())).contains(code);
        assertThat(DeviceCode.parse(code.text() + "x")).isEmpty();
        assertThat(code.hash()).hasSize(32);
        assertThat(code.toString()).doesNotContain(code.text());
    }
}
