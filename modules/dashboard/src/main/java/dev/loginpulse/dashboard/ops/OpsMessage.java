package dev.loginpulse.dashboard.ops;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A message on {@code /ws/ops}: {@code {"type": "snapshot", "ops": {...}}}, every one the whole picture.
 *
 * @param type always {@link #SNAPSHOT}
 * @param ops the operations view
 */
public record OpsMessage(@JsonProperty("type") String type, @JsonProperty("ops") OpsSnapshot ops) {

    public static final String SNAPSHOT = "snapshot";
}
