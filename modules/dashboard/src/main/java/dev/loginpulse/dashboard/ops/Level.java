package dev.loginpulse.dashboard.ops;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How a figure of the operations view is shown: {@code ok}, {@code warn} (amber) or {@code critical} (red). */
@RegisterForReflection // its JSON form comes from json(), found by reflection (also in a native executable)
public enum Level {
    OK,
    WARN,
    CRITICAL;

    /** The worse of the two. */
    public Level max(Level other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
