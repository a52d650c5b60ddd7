package dev.enphaseetl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The README and {@code docs/*.md} do not point nowhere, and the README shows no command that nothing runs.
 */
class DocsTest {

    static final Path README = Path.of("README.md");
    static final Path DOCS = Path.of("docs");
    /** {@code [text](target)}; a target with a space or a title is not used in these files. */
    static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```");

    /** The commands the README may show, each with what runs it. */
    static final String QUICK_START = "./mvnw -DskipTests package && java -jar target/quarkus-app/quarkus-run.jar";
    static final String TEST = "./mvnw verify";
    static final String DISTRIBUTION = "tar xzf target/enphase-etl-*.tar.gz -C ~ && ~/enphase-etl-*/bin/enphase-etl";

    @Test
    void everyRelativeLinkInReadmeAndDocsNamesAnExistingFile() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README));
        try (Stream<Path> s = Files.list(DOCS)) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertThat(pages).as("README.md and docs/*.md").hasSizeGreaterThan(5);
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            for (String target : links(Files.readString(page))) {
                if (target.matches("^[a-z][a-z0-9+.-]*:.*") || target.startsWith("#")) {
                    continue; // https:, mailto:, or an anchor within the page
                }
                String path = target.replaceFirst("#.*$", "");
                checked++;
                if (!Files.exists(page.toAbsolutePath().getParent().resolve(path).normalize())) {
                    broken.add(page + ": " + target);
                }
            }
        }
        assertThat(checked).as("relative links checked").isGreaterThan(20);
        assertThat(broken).as("relative links whose file does not exist").isEmpty();
    }

    @Test
    void linkExtractionFindsRelativeAndSkipsNothingElse() {
        assertThat(links("see [a](docs/x.md#y), [b](https://e.org) and [c](../deploy/routes-examples/)"))
                .containsExactly("docs/x.md#y", "https://e.org", "../deploy/routes-examples/");
    }

    /**
     * Every command in a shell block of the README is run by a test or by {@code .ci/run}: the quick start by
     * {@code QuickStartPackagedIT} (after {@code package}, which {@code verify} runs), the distribution's by
     * {@code DistributionPackagedIT} (unpacks the archive, runs {@code bin/enphase-etl}), the test command by
     * {@code .ci/run}.
     */
    @Test
    void everyReadmeCommandIsRunByATestOrCi() throws IOException {
        List<String> commands = new ArrayList<>();
        Matcher m = FENCE.matcher(Files.readString(README));
        while (m.find()) {
            if (m.group(1).equals("bash") || m.group(1).equals("sh") || m.group(1).equals("shell")) {
                m.group(2).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .forEach(commands::add);
            }
        }
        assertThat(commands).as("shell commands shown in README.md").containsExactlyInAnyOrder(QUICK_START,
                DISTRIBUTION,
                TEST);
        assertThat(Files.readString(Path.of(".ci", "run"))).as(".ci/run runs the README's test command")
                .contains("./mvnw -B -ntp verify");
        String quickStartIt = Files.readString(Path.of("src/test/java/dev/enphaseetl/e2e/QuickStartPackagedIT.java"));
        assertThat(quickStartIt).as("QuickStartPackagedIT runs the packaged jar with java -jar")
                .contains("\"-jar\", JAR.toString()").contains("target/quarkus-app/quarkus-run.jar");
        String distributionIt = Files
                .readString(Path.of("src/test/java/dev/enphaseetl/cli/DistributionPackagedIT.java"));
        assertThat(distributionIt).as("DistributionPackagedIT unpacks the archive and runs its bin/enphase-etl")
                .contains("\"tar\", \"xzf\"").contains("resolve(\"bin\").resolve(\"enphase-etl\")")
                .contains("enphase-etl-.*\\\\.tar\\\\.gz");
    }

    static List<String> links(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = LINK.matcher(markdown);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
