package dev.loginpulse.events;

import com.fasterxml.jackson.core.JsonToken;

/** How {@link LoginCleaner} words its rejections: the reason with a short, one-line detail. */
final class Rejections {

    private Rejections() {
    }

    static CleaningResult.Rejected reject(RejectReason reason, String detail) {
        return new CleaningResult.Rejected(reason, detail);
    }

    static String describe(JsonToken token) {
        if (token == null) {
            return "absent";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    static String oneLine(String message) {
        if (message == null) {
            return "unparseable";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
