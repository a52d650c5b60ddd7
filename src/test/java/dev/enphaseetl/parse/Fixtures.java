package dev.enphaseetl.parse;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Paths to and loaders of the fixtures under src/test/resources/fixtures. */
final class Fixtures {

    static final Path ROOT = Path.of("src/test/resources/fixtures");
    static final Path CAPTURES = ROOT.resolve("captures");
    static final Path EXPECTED = ROOT.resolve("expected");
    static final Path SEED = ROOT.resolve("seed");
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {}

    static List<Path> captureFolders() throws IOException {
        try (Stream<Path> s = Files.list(CAPTURES)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    static List<Map<String, String>> csv(String name) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(EXPECTED.resolve(name), StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            for (CSVRecord rec : p) {
                rows.add(rec.toMap());
            }
        }
        return rows;
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    static JsonNode seedJson(String file) throws IOException {
        return MAPPER.readTree(SEED.resolve(file).toFile());
    }

    /**
     * Whether {@code actual} equals the reference cell the way the reference client wrote it: rounded half-even (on
     * the exact binary value, like Python's round) to as many decimals as the cell shows.
     */
    static boolean matches(String expectedCell, double actual) {
        BigDecimal expected = new BigDecimal(expectedCell.strip());
        int scale = Math.max(0, expected.scale());
        return new BigDecimal(actual).setScale(scale, RoundingMode.HALF_EVEN).compareTo(expected) == 0;
    }
}
