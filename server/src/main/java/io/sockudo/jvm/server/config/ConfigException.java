package io.sockudo.jvm.server.config;

import java.util.List;
import java.util.Map;

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

    /**
     * The usual "expected X but was Y" problem.
     *
     * @param key the full key (or env var)
     * @param what what the key takes
     * @param actual the value found
     * @return the exception to throw
     */
    public static ConfigException expected(final String key, final String what, final Object actual)
    {
        return new ConfigException(key + ": expected " + what + " but was " + describe(actual));
    }

    /**
     * Describes a raw config value for a message: strings quoted, tables and arrays by kind.
     *
     * @param value the value (may be null)
     * @return the description
     */
    public static String describe(final Object value)
    {
        if (null == value)
        {
            return "nothing";
        }
        if (value instanceof String)
        {
            return "\"" + ((String)value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (value instanceof Map)
        {
            return "a table";
        }
        if (value instanceof List)
        {
            return "an array";
        }
        return String.valueOf(value);
    }
}
