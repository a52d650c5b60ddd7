package dev.enphaseetl.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LegacyPasswordsTest {

    /*
     * Vectors computed with an independent Python transcription of the published algorithm
     * (github.com/sarnau/EnphaseEnergy passwordCalc.py); 122112123456 is the example serial used there.
     */
    @Test
    void installerPasswordFromSerial() {
        assertThat(LegacyPasswords.installerPassword("122112123456")).isEqualTo("d525d2jh");
        assertThat(LegacyPasswords.installerPassword("121547060495")).isEqualTo("e76hed92");
        assertThat(LegacyPasswords.installerPassword("202312345678")).isEqualTo("ee9c7957");
        assertThat(LegacyPasswords.installerPassword("122100000004")).isEqualTo("27edk2Cj"); // maps both 0 and 1
    }

    @Test
    void envoyPasswordIsTheLastSixCharacters() {
        assertThat(LegacyPasswords.envoyPassword("122112123456")).isEqualTo("123456");
        assertThatThrownBy(() -> LegacyPasswords.envoyPassword("123")).isInstanceOf(IllegalArgumentException.class);
    }
}
