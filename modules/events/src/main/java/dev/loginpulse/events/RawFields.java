package dev.loginpulse.events;

import java.io.IOException;
import java.nio.CharBuffer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The known fields of one raw {@link Topics#USER_LOGIN} record, read from its JSON text by {@link #read(CharBuffer)}:
 * the texts as sent and the event time in epoch seconds ({@link Timestamps}). What the values mean is
 * {@link LoginCleaner}'s to judge. One instance reads one record.
 */
final class RawFields {

    static final int USER_ID = 0;
    static final int APP_VERSION = 1;
    static final int DEVICE_TYPE = 2;
    static final int IP = 3;
    static final int LOCALE = 4;
    static final int DEVICE_ID = 5;
    private static final int TIMESTAMP = 6;
    private static final String[] FIELD_NAMES = { "user_id", "app_version", "device_type", "ip", "locale", "device_id",
            "timestamp" };

    /** The text fields by index ({@link #USER_ID}, ...), null where missing or null. */
    final String[] texts = new String[FIELD_NAMES.length];
    /** The event time in epoch seconds, negative if missing. */
    long seconds;
    /** The timestamp as sent, for messages. */
    String timestampText;

    /**
     * Reads the decoded record; returns the rejection if it is not a JSON object or a known field is unusable, else
     * null with the fields set.
     */
    CleaningResult.Rejected read(CharBuffer text) {
        boolean[] seen = new boolean[FIELD_NAMES.length];
        try (JsonParser parser = Json.UNTRUSTED.createParser(text.array(), text.arrayOffset() + text.position(),
                text.remaining())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return Rejections.reject(RejectReason.NOT_JSON, "no JSON value, only whitespace");
            }
            if (first != JsonToken.START_OBJECT) {
                // only a whole JSON value is "JSON, but not an object": an unclosed or too deep array is not JSON
                parser.skipChildren();
                if (parser.nextToken() != null) {
                    return Rejections.reject(RejectReason.NOT_JSON,
                            "content after the top-level " + Rejections.describe(first));
                }
                return Rejections.reject(RejectReason.NOT_AN_OBJECT,
                        "top-level JSON value is " + Rejections.describe(first));
            }
            long[] ts = { -1 };
            String[] tsText = { null };
            // The first problem of a field decides the reason, but only once the object is known to be JSON: a
            // record truncated or broken after it is NOT_JSON.
            CleaningResult.Rejected problem = null;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                int field = fieldIndex(parser.currentName());
                JsonToken valueToken = parser.nextToken();
                if (field < 0 || problem != null) {
                    parser.skipChildren();
                    continue;
                }
                if (seen[field]) {
                    problem = Rejections.reject(RejectReason.DUPLICATE_FIELD,
                            FIELD_NAMES[field] + " appears more than once");
                } else {
                    seen[field] = true;
                    problem = field == TIMESTAMP
                            ? Timestamps.readTimestamp(parser, valueToken, ts, tsText)
                            : readText(parser, valueToken, field, texts);
                }
                parser.skipChildren(); // the rejected value may be an object or array
            }
            if (problem != null) {
                return problem;
            }
            if (hasTrailingContent(parser)) {
                return Rejections.reject(RejectReason.TRAILING_CONTENT, "content after the top-level object");
            }
            seconds = ts[0];
            timestampText = tsText[0];
        } catch (IOException | RuntimeException e) {
            return Rejections.reject(RejectReason.NOT_JSON, Rejections.oneLine(e.getMessage()));
        }
        return null;
    }

    private static CleaningResult.Rejected readText(JsonParser parser, JsonToken token, int field, String[] fields)
            throws IOException {
        switch (token) {
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                if (parser.getTextLength() > LoginCleaner.MAX_FIELD_LENGTH) {
                    return Rejections.reject(RejectReason.FIELD_TOO_LONG, FIELD_NAMES[field] + " has "
                            + parser.getTextLength() + " chars, limit " + LoginCleaner.MAX_FIELD_LENGTH);
                }
                fields[field] = parser.getText();
                return null;
            default:
                return Rejections.reject(RejectReason.INVALID_FIELD_TYPE,
                        FIELD_NAMES[field] + " must be a string, is " + Rejections.describe(token));
        }
    }

    private static boolean hasTrailingContent(JsonParser parser) {
        try {
            return parser.nextToken() != null;
        } catch (IOException e) {
            return true; // something that is not even JSON follows the object
        }
    }

    private static int fieldIndex(String name) {
        for (int i = 0; i < FIELD_NAMES.length; i++) {
            if (FIELD_NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
