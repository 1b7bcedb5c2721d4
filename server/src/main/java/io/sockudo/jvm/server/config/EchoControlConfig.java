package io.sockudo.jvm.server.config;

/**
 * The {@code [echo_control]} section: whether a V2 socket receives its own client events.
 */
public final class EchoControlConfig
{
    /** {@code echo_control.enabled}, env {@code ECHO_CONTROL_ENABLED}; off forces echo on. */
    public boolean enabled = true;
    /** {@code echo_control.default_echo_messages}, env {@code ECHO_CONTROL_DEFAULT_ECHO_MESSAGES}. */
    public boolean defaultEchoMessages = true;
}
