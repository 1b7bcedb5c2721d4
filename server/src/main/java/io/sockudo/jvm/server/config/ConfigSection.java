package io.sockudo.jvm.server.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A typed, strict view over one table of the parsed configuration (plain {@code Map}/{@code List}/{@code String}/
 * {@code Long}/{@code Double}/{@code Boolean} values). Every read names the key's full dotted path in its error, and
 * the section remembers which keys were read so the rest can be reported as unknown.
 */
final class ConfigSection
{
    private static final Map<String, Object> EMPTY = Map.of();

    private final String path;
    private final Map<String, Object> values;
    private final Set<String> seen = new HashSet<>();

    ConfigSection(final String path, final Map<String, Object> values)
    {
        this.path = path;
        this.values = null == values ? EMPTY : values;
    }

    String path()
    {
        return path;
    }

    String keyOf(final String name)
    {
        return path.isEmpty() ? name : path + "." + name;
    }

    boolean has(final String name)
    {
        return values.containsKey(name);
    }

    /** Marks a key as known without reading it. */
    void accept(final String name)
    {
        seen.add(name);
    }

    /** Returns the raw value (null if absent) and marks the key as known. */
    Object raw(final String name)
    {
        seen.add(name);
        return values.get(name);
    }

    String string(final String name, final String defaultValue)
    {
        final Object value = raw(name);
        if (null == value)
        {
            return defaultValue;
        }
        if (!(value instanceof String))
        {
            throw expected(keyOf(name), "a string", value);
        }
        return (String)value;
    }

    boolean bool(final String name, final boolean defaultValue)
    {
        final Boolean value = optionalBool(name);
        return null == value ? defaultValue : value;
    }

    Boolean optionalBool(final String name)
    {
        final Object value = raw(name);
        if (null == value)
        {
            return null;
        }
        if (!(value instanceof Boolean))
        {
            throw expected(keyOf(name), "a boolean", value);
        }
        return (Boolean)value;
    }

    /** A TOML integer in {@code min..max}; strings and floats are type errors. */
    int integer(final String name, final int defaultValue, final int min, final int max)
    {
        final Object value = raw(name);
        if (null == value)
        {
            return defaultValue;
        }
        if (!(value instanceof Long))
        {
            throw expected(keyOf(name), integerRange(min, max), value);
        }
        final long number = (Long)value;
        if (number < min || number > max)
        {
            throw expected(keyOf(name), integerRange(min, max), value);
        }
        return (int)number;
    }

    /** An app limit: a TOML integer or a numeric string such as {@code "100"}, in {@code min..max}. */
    int number(final String name, final int defaultValue, final int min, final int max)
    {
        final Object value = raw(name);
        if (null == value)
        {
            return defaultValue;
        }
        final String what = integerRange(min, max) + " (or a numeric string)";
        final long number;
        if (value instanceof Long)
        {
            number = (Long)value;
        }
        else if (value instanceof String)
        {
            try
            {
                number = Long.parseLong(((String)value).trim());
            }
            catch (final NumberFormatException ex)
            {
                throw expected(keyOf(name), what, value);
            }
        }
        else
        {
            throw expected(keyOf(name), what, value);
        }
        if (number < min || number > max)
        {
            throw expected(keyOf(name), what, value);
        }
        return (int)number;
    }

    List<String> strings(final String name, final List<String> defaultValue)
    {
        final Object value = raw(name);
        if (null == value)
        {
            return defaultValue;
        }
        if (!(value instanceof List))
        {
            throw expected(keyOf(name), "an array of strings", value);
        }
        final List<?> list = (List<?>)value;
        final List<String> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++)
        {
            final Object item = list.get(i);
            if (!(item instanceof String))
            {
                throw expected(keyOf(name) + "[" + i + "]", "a string", item);
            }
            result.add((String)item);
        }
        return List.copyOf(result);
    }

    /** A sub-table, or null when absent. */
    ConfigSection table(final String name)
    {
        final Map<String, Object> map = rawTable(name);
        return null == map ? null : new ConfigSection(keyOf(name), map);
    }

    /** A sub-table, or an empty section when absent. */
    ConfigSection tableOrEmpty(final String name)
    {
        final ConfigSection section = table(name);
        return null == section ? new ConfigSection(keyOf(name), EMPTY) : section;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> rawTable(final String name)
    {
        final Object value = raw(name);
        if (null == value)
        {
            return null;
        }
        if (!(value instanceof Map))
        {
            throw expected(keyOf(name), "a table", value);
        }
        return (Map<String, Object>)value;
    }

    /** An array of tables ({@code [[name]]} or an inline array), empty when absent. */
    List<ConfigSection> tables(final String name)
    {
        final List<Map<String, Object>> maps = rawTables(name);
        final List<ConfigSection> result = new ArrayList<>(maps.size());
        for (int i = 0; i < maps.size(); i++)
        {
            result.add(new ConfigSection(keyOf(name) + "[" + i + "]", maps.get(i)));
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rawTables(final String name)
    {
        final Object value = raw(name);
        if (null == value)
        {
            return List.of();
        }
        if (!(value instanceof List))
        {
            throw expected(keyOf(name), "an array of tables", value);
        }
        final List<?> list = (List<?>)value;
        final List<Map<String, Object>> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++)
        {
            final Object item = list.get(i);
            if (!(item instanceof Map))
            {
                throw expected(keyOf(name) + "[" + i + "]", "a table", item);
            }
            result.add((Map<String, Object>)item);
        }
        return result;
    }

    /** Warns once per key of this table that nobody read or accepted. */
    void warnUnknown(final ConfigWarnings warnings)
    {
        for (final String name : values.keySet())
        {
            if (!seen.contains(name))
            {
                warnings.warn("unknown config key '" + keyOf(name) + "' ignored");
            }
        }
    }

    static String integerRange(final int min, final int max)
    {
        return "an integer in " + min + ".." + max;
    }

    static ConfigException expected(final String key, final String what, final Object actual)
    {
        return ConfigException.expected(key, what, actual);
    }

    static String describe(final Object value)
    {
        return ConfigException.describe(value);
    }
}
