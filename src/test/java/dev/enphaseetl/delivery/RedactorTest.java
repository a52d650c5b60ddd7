package dev.enphaseetl.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void removesConfiguredSecretsAndCredentialParameters() {
        Redactor r = new Redactor("hunter2", null, "");
        assertThat(r.redact("auth failed for hunter2 at http://h:8086/write?db=x&u=admin&p=other&precision=s"))
                .isEqualTo("auth failed for *** at http://h:8086/write?db=x&u=***&p=***&precision=s");
        assertThat(r.redact("jdbc:postgresql://h/db?user=u&password=pw"))
                .isEqualTo("jdbc:postgresql://h/db?user=***&password=***");
        assertThat(r.redact(null)).isEmpty();
    }
}
