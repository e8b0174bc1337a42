package dev.berth.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogCursorTest {

    /** read: "-" for nothing, else "rotated|file from+length". */
    @ParameterizedTest(name = "offset {0}, size {1}, rotated {2} → {3}")
    @CsvSource(delimiter = '|', value = {
            "0 | 0 | -1 | -",
            "0 | 10 | -1 | file 0+10",
            "10 | 10 | -1 | -",
            "10 | 25 | -1 | file 10+15",
            "0 | 200 | -1 | file 0+100",
            "150 | 400 | -1 | file 150+100",
            "100 | 20 | 130 | rotated 100+30",
            "100 | 20 | 500 | rotated 100+100",
            "100 | 20 | 100 | file 0+20",
            "100 | 0 | 100 | file 0+0",
            "100 | 20 | -1 | file 0+20",
            "100 | 300 | -1 | file 100+100"})
    void theNextReadFollowsGrowthAndRotation(long offset, long size, long rotatedSize, String expected) {
        var read = new LogCursor("/x/output.log", offset).next(size, rotatedSize, 100);
        String actual = read == null ? "-" : (read.rotated() ? "rotated " : "file ") + read.from() + "+" + read.length();
        assertThat(actual).isEqualTo(expected);
    }

    /** text: what the bytes are; cut: how many of them make whole characters. */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "'' | 0",
            "abc | 3",
            "ab€ | 5",
            "ab€[-1] | 2",
            "ab€[-2] | 2",
            "a😀 | 5",
            "a😀[-1] | 1",
            "a😀[-3] | 1",
            "aé | 3",
            "aé[-1] | 1"})
    void chunksEndOnWholeCharacters(String text, int expected) {
        int drop = 0;
        if (text.endsWith("]")) {
            drop = Integer.parseInt(text.substring(text.indexOf("[-") + 2, text.length() - 1));
            text = text.substring(0, text.indexOf("[-"));
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(LogCursor.wholeCharacters(bytes, bytes.length - drop)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void malformedBytesAreLeftToTheDecoder() {
        byte[] invalid = {'a', (byte) 0xff};
        assertThat(LogCursor.wholeCharacters(invalid, 2)).isEqualTo(2);
        byte[] strayContinuations = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};
        assertThat(LogCursor.wholeCharacters(strayContinuations, 5)).isEqualTo(5);
    }
}
