package dev.chirp.transport.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormBodyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "chirp=hi|hi",
        "handle=x&chirp=hi&chirp=second|hi",
        "chirp=a+b%2Bc%26d%3De|a b+c&d=e",
        "chirp=caf%C3%A9+%F0%9F%90%A6|café \uD83D\uDC26",
        "ch%69rp=named+by+escape|named by escape",
        "chirp|''",
        "chirp=|''",
        "chirp=a=b|a=b",
        "''|NONE",
        "chirpy=hi&xchirp=hi|NONE",
        "&&chirp=after+empty+pairs|after empty pairs",
    })
    void readsTheFirstValueOfAField(String body, String expected) throws Exception {
        Optional<String> value = FormBody.field(body.getBytes(StandardCharsets.US_ASCII), "chirp");

        assertEquals(Optional.ofNullable(expected), value, "the field read from " + body);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "chirp=%FF|the chirp is not valid UTF-8 text",
        "chirp=%C3%28|the chirp is not valid UTF-8 text",
        "chirp=%|the form has a broken percent escape",
        "chirp=%4|the form has a broken percent escape",
        "chirp=%G1|the form has a broken percent escape",
    })
    void refusesAFieldThatIsNotWellFormed(String body, String message) {
        FormBody.MalformedException thrown = assertThrows(FormBody.MalformedException.class,
                () -> FormBody.field(body.getBytes(StandardCharsets.US_ASCII), "chirp"));

        assertEquals(message, thrown.getMessage(), "the reason given for " + body);
    }
}
