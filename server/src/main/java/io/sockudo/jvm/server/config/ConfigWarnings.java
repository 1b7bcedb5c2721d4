package io.sockudo.jvm.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the warnings of one configuration load and logs each one as it arrives.
 */
final class ConfigWarnings
{
    private static final System.Logger LOG = System.getLogger("io.sockudo.jvm.server.config");

    private final List<String> messages = new ArrayList<>();

    void warn(final String message)
    {
        messages.add(message);
        LOG.log(System.Logger.Level.WARNING, message);
    }

    void info(final String message)
    {
        LOG.log(System.Logger.Level.INFO, message);
    }

    List<String> messages()
    {
        return messages;
    }
}
