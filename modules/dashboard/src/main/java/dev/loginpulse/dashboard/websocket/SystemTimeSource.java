package dev.loginpulse.dashboard.websocket;

import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/** The {@link TimeSource} of a running dashboard: {@link System#nanoTime()}. */
@DefaultBean
@Singleton
public class SystemTimeSource implements TimeSource {

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
