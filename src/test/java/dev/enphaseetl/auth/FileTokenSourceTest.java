package dev.enphaseetl.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.testing.MutableClock;

class FileTokenSourceTest {

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));

    String jwt(int days) {
        return TestJwts.make("owner", clock.instant(), clock.instant().plus(Duration.ofDays(days)), null);
    }

    void write(Path f, String text, int mtimeOffsetSeconds) throws Exception {
        Files.writeString(f, text);
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")
                .plusSeconds(mtimeOffsetSeconds)));
    }

    @Test
    void reReadsTheFileWhenItChangesAtMostEveryInterval() throws Exception {
        Path f = tmp.resolve("gw.jwt");
        String a = jwt(300);
        String b = jwt(365);
        write(f, a + "\n", 0);
        FileTokenSource s = new FileTokenSource(f, clock, Duration.ofSeconds(30));
        assertThat(s.current().sameAs(a)).isTrue();

        write(f, b, 10);
        assertThat(s.current().sameAs(a)).as("not checked again before 30 s").isTrue();
        clock.advance(Duration.ofSeconds(31));
        assertThat(s.current().sameAs(b)).isTrue();

        write(f, "garbage", 20);
        clock.advance(Duration.ofSeconds(31));
        assertThat(s.current().sameAs(b)).as("a broken file keeps the last good token").isTrue();
    }

    @Test
    void renewReadsAtOnceAndSaysWhetherTheTokenChanged() throws Exception {
        Path f = tmp.resolve("gw.jwt");
        String a = jwt(300);
        write(f, a, 0);
        FileTokenSource s = new FileTokenSource(f, clock, Duration.ofMinutes(5));
        s.current();
        assertThat(s.renew("rejected")).isEmpty();
        String b = jwt(365);
        write(f, b, 1);
        assertThat(s.renew("rejected")).hasValueSatisfying(t -> assertThat(t.sameAs(b)).isTrue());
    }

    @Test
    void missingOrBrokenFileIsAClearError() throws Exception {
        Path f = tmp.resolve("none.jwt");
        assertThatThrownBy(() -> new FileTokenSource(f, clock, Duration.ofSeconds(1)).current())
                .isInstanceOf(TokenUnavailableException.class).hasMessageContaining("does not exist");
        Files.writeString(f, "<html>login</html>");
        assertThatThrownBy(() -> new FileTokenSource(f, clock, Duration.ofSeconds(1)).current())
                .hasMessageContaining("does not hold a usable token").hasMessageNotContaining("login</html>");
    }
}
