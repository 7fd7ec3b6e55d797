package io.weir.spi;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Clients match on vendor codes and SQLSTATEs: each code keeps its own, whatever branches added codes. */
class ErrorCodeTest {
    @Test
    void everyCodeHasItsOwnVendorCode() {
        Map<Integer, Long> uses = Arrays.stream(ErrorCode.values())
                .collect(Collectors.groupingBy(ErrorCode::vendorCode, Collectors.counting()));
        assertThat(uses).allSatisfy((vendorCode, count) -> assertThat(count).as("codes with vendor code %d", vendorCode)
                .isEqualTo(1L));
    }

    @Test
    void sqlStatesAreFiveCharactersOfTheStandardAlphabet() {
        assertThat(ErrorCode.values()).allSatisfy(code -> assertThat(code.sqlState()).matches("[0-9A-Z]{5}"));
    }

    @Test
    void publishedCodesStayAsDocumented() {
        Map<ErrorCode, String> published = Map.of(
                ErrorCode.QUERY_CANCELLED, "57014/1021",
                ErrorCode.STATE_LIMIT_EXCEEDED, "53200/1024",
                ErrorCode.DEPENDENT_OBJECTS_EXIST, "2BP01/1025",
                ErrorCode.DEPENDENCY_DROPPED, "42S02/1026",
                ErrorCode.QUERY_STOP_TIMEOUT, "57000/1040",
                ErrorCode.AUTHENTICATION_FAILED, "28P01/1045",
                ErrorCode.INVALID_AUTHORIZATION, "28000/1046",
                ErrorCode.INSUFFICIENT_PRIVILEGE, "42501/1047");
        Function<ErrorCode, String> actual = code -> code.sqlState() + "/" + code.vendorCode();
        published.forEach((code, expected) -> assertThat(actual.apply(code)).as(code.name()).isEqualTo(expected));
    }
}
