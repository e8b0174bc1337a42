package dev.berth.gitsync.definition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.20.0.5                               | 10.20.0.5
            0.0.0.0                                 | 0.0.0.0
            255.255.255.255                         | 255.255.255.255
            ::                                      | ::
            ::1                                     | ::1
            1::                                     | 1::
            FD00:0000:0:0:0:0:0:0001                | fd00::1
            2001:db8:0:0:1:0:0:1                    | 2001:db8::1:0:0:1
            2001:0:0:1:0:0:0:1                      | 2001:0:0:1::1
            2001:db8:0:1:1:1:1:1                    | 2001:db8:0:1:1:1:1:1
            1:2:3:4:5:6:7:8                         | 1:2:3:4:5:6:7:8
            ::ffff:10.0.0.1                         | ::ffff:a00:1
            64:ff9b::192.0.2.33                     | 64:ff9b::c000:221
            1:2:3:4:5:6:1.2.3.4                     | 1:2:3:4:5:6:102:304
            """)
    void readsAndWritesCanonically(String text, String canonical) {
        assertThat(IpLiteral.format(IpLiteral.parse(text))).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0", "10.0.0.256", "010.0.0.1", "10.0.0.1.", "1.2.3.4 ", "localhost", "0x7f.0.0.1",
            "2130706433", ":", ":::", "1:::2", "1::2::3", ":1::", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
            "1::2:3:4:5:6:7:8", "12345::", "g::", "::1.2.3", "1.2.3.4::", "::1.2.3.4:5", "fe80::1%eth0", "[::1]"})
    void refusesWhatIsNotALiteral(String text) {
        assertThat(IpLiteral.parse(text)).isNull();
    }
}
