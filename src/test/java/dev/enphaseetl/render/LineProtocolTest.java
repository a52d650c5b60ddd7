package dev.enphaseetl.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.enphaseetl.model.Reading;

class LineProtocolTest {

    private static Reading reading(String measurement, Map<String, String> tags, Map<String, Double> fields) {
        return new Reading(measurement, new TreeMap<>(tags), new TreeMap<>(fields), 1_700_000_000L);
    }

    @Test
    void plainReadingIsMeasurementTagsFieldsAndSecondTimestamp() {
        String line = LineProtocol.render(reading("system", Map.of("gateway", "122"),
                Map.of("production_w", 1234.5, "net_w", -20.0)));
        assertThat(line).isEqualTo("system,gateway=122 net_w=-20.0,production_w=1234.5 1700000000");
    }

    @Test
    void measurementEscapesCommaAndSpaceButNotEquals() {
        String line = LineProtocol.render(reading("my meas,x=y", Map.of("t", "v"), Map.of("f", 1.0)));
        assertThat(line).startsWith("my\\ meas\\,x=y,t=v ");
    }

    @Test
    void tagKeysTagValuesAndFieldKeysEscapeCommaEqualsAndSpace() {
        String line = LineProtocol.render(reading("m", Map.of("site name", "a,b=c d"), Map.of("field=x y,z", 2.0)));
        assertThat(line).isEqualTo("m,site\\ name=a\\,b\\=c\\ d field\\=x\\ y\\,z=2.0 1700000000");
    }

    @Test
    void quotesAreLiteralInNamesAndTagValues() {
        String line = LineProtocol.render(reading("m", Map.of("site", "O\"Brien's"), Map.of("f", 1.0)));
        assertThat(line).isEqualTo("m,site=O\"Brien's f=1.0 1700000000");
    }

    @Test
    void backslashIsLiteralBeforeOrdinaryCharacters() {
        assertThat(LineProtocol.render(reading("m", Map.of("path", "C:\\pv"), Map.of("f", 1.0))))
                .isEqualTo("m,path=C:\\pv f=1.0 1700000000");
    }

    @Test
    void backslashThatInfluxVersionsReadDifferentlyIsRejected() {
        for (String bad : List.of("dir\\", "a\\,b", "a\\ b", "a\\=b", "a\\\\b")) {
            assertThatThrownBy(() -> LineProtocol.render(reading("m", Map.of("t", bad), Map.of("f", 1.0))))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backslash");
        }
    }

    @Test
    void lineBreaksAreRejectedEverywhere() {
        assertThatThrownBy(() -> LineProtocol.render(reading("m\n", Map.of("t", "v"), Map.of("f", 1.0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThatThrownBy(() -> LineProtocol.render(reading("m", Map.of("t", "a\nb"), Map.of("f", 1.0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThatThrownBy(() -> LineProtocol.render(reading("m", Map.of("t", "v"), Map.of("f\r", 1.0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
    }

    @Test
    void fieldsAreAlwaysFloatsAndRoundTripExactly() {
        for (double v : new double[]{0.0, 5.0, -3.0, 0.1, 1608426.912, 1e-7, 123456789012.5, 2.5e20, -0.025}) {
            String text = LineProtocol.formatFloat(v);
            assertThat(text).as("float literal for %s", v).matches("-?[0-9]+(\\.[0-9]+)?(e-?[0-9]+)?")
                    .satisfiesAnyOf(t -> assertThat(t).contains("."), t -> assertThat(t).contains("e"));
            assertThat(Double.parseDouble(text)).isEqualTo(v);
        }
    }

    @Test
    void nonFiniteValuesNeverReachALine() {
        assertThatThrownBy(() -> LineProtocol.formatFloat(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reading("m", Map.of(), Map.of("f", Double.POSITIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void batchEndsEveryLineWithNewline() {
        Reading r = reading("m", Map.of("t", "v"), Map.of("f", 1.0));
        assertThat(LineProtocol.render(List.of(r, r))).isEqualTo("m,t=v f=1.0 1700000000\nm,t=v f=1.0 1700000000\n");
    }
}
