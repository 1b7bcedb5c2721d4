package io.sockudo.jvm.server.app;

/** Entry point placeholder. */
public final class Main
{
    private Main()
    {
    }

    /**
     * Starts the server.
     *
     * @param args command line
     */
    public static void main(final String[] args)
    {
    }
}
