package io.sockudo.jvm.server.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server ({@code java -jar sockudo-server.jar}, path from the {@code server.jar} system property) in a
 * child process, for tests that signal or kill it.
 */
final class ChildServer
{
    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");

    private ChildServer()
    {
    }

    /**
     * Starts the jar with a config file.
     *
     * @param config the TOML file
     * @return the process
     * @throws Exception when it cannot start
     */
    static Process start(final Path config) throws Exception
    {
        final String jar = System.getProperty("server.jar");
        assertTrue(jar != null && Files.exists(Path.of(jar)), "packaged server jar not found: " + jar);
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", jar, "--config", config.toString()).redirectErrorStream(true).start();
    }

    /**
     * Reads the child's output until it logs the port it listens on (and keeps draining it).
     *
     * @param process the child
     * @return the port
     * @throws Exception when it never listens
     */
    static int awaitPort(final Process process) throws Exception
    {
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final Thread reader = new Thread(() ->
        {
            try
            {
                String line;
                while ((line = out.readLine()) != null)
                {
                    final Matcher m = LISTENING.matcher(line);
                    if (m.find())
                    {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new AssertionError("server output ended before it listened"));
            }
            catch (final Exception ex)
            {
                port.completeExceptionally(ex);
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return port.get(30, TimeUnit.SECONDS);
    }
}
