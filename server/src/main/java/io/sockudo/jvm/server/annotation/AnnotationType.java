package io.sockudo.jvm.server.annotation;

/**
 * Parser of the type grammar {@code namespace:summarizer.version} (spec 1.2). The type string is kept verbatim as
 * the projection key, so {@code reactions:total.v01} is valid and differs from {@code reactions:total.v1}.
 */
final class AnnotationType
{
    /** Longest type in UTF-8 bytes. */
    static final int MAX_TYPE_BYTES = 256;
    private static final String GRAMMAR = "annotation type must use namespace:summarizer.version";

    private AnnotationType()
    {
    }

    /**
     * Parses a type.
     *
     * @param type the type text.
     * @return a {@link Summarizer} when valid, else the error message (a {@link String}).
     */
    static Object parse(final String type)
    {
        if (type == null || Text.isBlank(type))
        {
            return "annotation type must not be empty";
        }
        if (Text.hasWhiteSpace(type))
        {
            return "annotation type must not contain whitespace";
        }
        if (Text.utf8Length(type) > MAX_TYPE_BYTES)
        {
            return "annotation type must be at most " + MAX_TYPE_BYTES + " bytes";
        }
        final int colon = type.indexOf(':');
        if (colon < 0)
        {
            return GRAMMAR;
        }
        if (colon == 0)
        {
            return "annotation namespace must not be empty";
        }
        // The namespace is part of a type that passed the whitespace and length rules, so it passes them too.
        final String rest = type.substring(colon + 1);
        final int dotV = rest.lastIndexOf(".v");
        if (dotV < 0)
        {
            return GRAMMAR;
        }
        final String method = rest.substring(0, dotV);
        final Summarizer summarizer = Summarizer.ofMethod(method);
        if (summarizer == null)
        {
            return "unsupported annotation summarizer: " + method;
        }
        final String versionText = rest.substring(dotV + 2);
        final int version = parseU16(versionText);
        if (version < 0)
        {
            return "invalid annotation summarizer version: " + versionText;
        }
        if (version != 1)
        {
            return "unsupported annotation summarizer version: " + version;
        }
        return summarizer;
    }

    /** Unsigned 16-bit parse as Rust's {@code u16::from_str}: optional '+', then at least one ASCII digit. */
    private static int parseU16(final String text)
    {
        int i = 0;
        if (text.startsWith("+"))
        {
            i = 1;
        }
        if (i >= text.length())
        {
            return -1;
        }
        int value = 0;
        for (; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value > 0xFFFF)
            {
                return -1;
            }
        }
        return value;
    }
}
