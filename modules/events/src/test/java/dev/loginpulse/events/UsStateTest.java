package dev.loginpulse.events;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsStateTest {

    @Test
    void fiftyStatesPlusTheDistrictOfColumbiaAndPuertoRico() {
        assertThat(UsState.values()).hasSize(52);
        assertThat(Arrays.stream(UsState.values()).map(UsState::code)).contains("DC", "PR", "RI", "WY")
                .doesNotContain(UsState.UNKNOWN);
        assertThat(UsState.RI.displayName()).isEqualTo("Rhode Island");
    }

    @Test
    void lookupMatchesExactCodesOnly() {
        assertThat(UsState.fromCode("NY")).contains(UsState.NY);
        assertThat(UsState.fromCode("ny")).isEmpty();
        assertThat(UsState.fromCode(" NY")).isEmpty();
        assertThat(UsState.fromCode(null)).isEmpty();
        assertThat(UsState.fromCode("UNK")).isEmpty();
    }
}
