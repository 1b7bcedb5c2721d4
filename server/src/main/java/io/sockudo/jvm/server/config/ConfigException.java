package io.sockudo.jvm.server.config;

/**
 * A configuration problem that stops start-up. The message always names the key (for example
 * {@code port: expected an integer in 0..65535 but was "abc"}) or the environment variable at fault.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, starting with the key or environment variable name.
     */
    public ConfigException(final String message)
    {
        super(message);
    }
}
