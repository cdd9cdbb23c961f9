package dev.loginpulse.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson configuration of the contract; thread-safe. */
public final class Json {

    /** Deepest JSON nesting the cleaner reads before it dead-letters a record. */
    public static final int MAX_NESTING_DEPTH = 64;

    /** Longest number literal the cleaner reads (Jackson's default); longer ones make the record {@code NOT_JSON}. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /** Parser factory for untrusted input: shallow nesting, bounded numbers. */
    public static final JsonFactory UNTRUSTED = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .build();

    /** Mapper for the contract's records; tolerates unknown fields so that consumers survive additive changes. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }
}
