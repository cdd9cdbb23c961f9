package dev.loginpulse.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class UsStateTest {

    /** An independent list: the 50 states, the District of Columbia and Puerto Rico. */
    static final Set<String> EXPECTED_CODES = Set.of(
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA",
            "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
            "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
            "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
            "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
            "DC", "PR");

    static Set<String> codes() {
        return Arrays.stream(UsState.values()).map(UsState::code).collect(Collectors.toSet());
    }

    @Test
    void fiftyStatesPlusTheDistrictOfColumbiaAndPuertoRicoMakeFiftyTwoCodes() {
        assertThat(EXPECTED_CODES).hasSize(52);
        assertThat(UsState.values()).hasSize(52);
        assertThat(codes()).isEqualTo(EXPECTED_CODES);
    }

    @Test
    void withoutDistrictOfColumbiaAndPuertoRicoThereAreFiftyStates() {
        assertThat(codes().stream().filter(code -> !code.equals("DC") && !code.equals("PR"))).hasSize(50);
    }

    @Test
    void unknownIsUnkAndNotAStateCode() {
        assertThat(UsState.UNKNOWN).isEqualTo("UNK");
        assertThat(codes()).doesNotContain(UsState.UNKNOWN);
        assertThat(UsState.fromCode(UsState.UNKNOWN)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(UsState.class)
    void codeIsTheTwoUpperCaseLetterEnumName(UsState state) {
        assertThat(state.code()).isEqualTo(state.name()).matches("[A-Z]{2}");
    }

    @ParameterizedTest
    @EnumSource(UsState.class)
    void fromCodeFindsEveryState(UsState state) {
        assertThat(UsState.fromCode(state.code())).contains(state);
    }

    @ParameterizedTest
    @EnumSource(UsState.class)
    void fromCodeDoesNotFindTheLowerCaseOrPaddedCode(UsState state) {
        assertThat(UsState.fromCode(state.code().toLowerCase(Locale.ROOT))).isEmpty();
        assertThat(UsState.fromCode(" " + state.code())).isEmpty();
        assertThat(UsState.fromCode(state.code() + " ")).isEmpty();
        assertThat(UsState.fromCode(state.displayName())).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = { "ny", "Ny", "nY", " NY", "NY ", "\tNY\n", "\u00A0NY", "N Y", "NYC", "N", "USA", "UNK", "XX",
            "New York", "us-ny", "ＮＹ" })
    void fromCodeMatchesExactCodesOnly(String code) {
        assertThat(UsState.fromCode(code)).isEmpty();
    }

    @Test
    void displayNamesAreTheEnglishNames() {
        assertThat(UsState.RI.displayName()).isEqualTo("Rhode Island");
        assertThat(UsState.NY.displayName()).isEqualTo("New York");
        assertThat(UsState.DC.displayName()).isEqualTo("District of Columbia");
        assertThat(UsState.PR.displayName()).isEqualTo("Puerto Rico");
        assertThat(UsState.WV.displayName()).isEqualTo("West Virginia");
    }

    @Test
    void displayNamesAreDistinctAndNotBlank() {
        assertThat(Arrays.stream(UsState.values()).map(UsState::displayName))
                .doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).isNotBlank().doesNotStartWith(" ").doesNotEndWith(" "));
    }
}
