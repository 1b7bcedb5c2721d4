package io.sockudo.jvm.server.annotation;

/**
 * The five summarization methods of annotation types ({@code namespace:summarizer.v1}).
 */
public enum Summarizer
{
    /** {@code total.v1}: counts creates minus deletes. */
    TOTAL("total"),
    /** {@code flag.v1}: the set of clients that flagged. */
    FLAG("flag"),
    /** {@code distinct.v1}: per name, the set of clients. */
    DISTINCT("distinct"),
    /** {@code unique.v1}: per name, the set of clients, each client in one name at most. */
    UNIQUE("unique"),
    /** {@code multiple.v1}: per name, counts per client plus an anonymous count. */
    MULTIPLE("multiple");

    private static final Summarizer[] VALUES = values();

    private final String method;

    Summarizer(final String method)
    {
        this.method = method;
    }

    /**
     * The method name as written in a type.
     *
     * @return e.g. {@code distinct}.
     */
    public String method()
    {
        return method;
    }

    /**
     * Whether events of this method need a {@code name}.
     *
     * @return true for distinct, unique and multiple.
     */
    public boolean needsName()
    {
        return this == DISTINCT || this == UNIQUE || this == MULTIPLE;
    }

    /**
     * Whether events of this method need a {@code clientId}.
     *
     * @return true for flag, distinct and unique.
     */
    public boolean needsClient()
    {
        return this == FLAG || this == DISTINCT || this == UNIQUE;
    }

    static Summarizer ofMethod(final String method)
    {
        for (final Summarizer s : VALUES)
        {
            if (s.method.equals(method))
            {
                return s;
            }
        }
        return null;
    }
}
