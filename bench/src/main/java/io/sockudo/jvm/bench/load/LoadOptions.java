package io.sockudo.jvm.bench.load;

/**
 * The settings of one load-generator run, from {@code --name value} arguments. Plain public fields: this is a
 * benchmark rig's parameter block, filled once before the run and read by it.
 */
public final class LoadOptions
{
    /** {@code --scenario}: {@code fanout}, {@code idle}, {@code churn}, {@code versioned} or {@code annotation}. */
    public String scenario = "fanout";
    /** {@code --label}: the name of the server in the report. */
    public String label = "server";
    /** {@code --host}: the server address; loopback only is intended. */
    public String host = "127.0.0.1";
    /** {@code --port}. */
    public int port = 6001;
    /** {@code --app-id}. */
    public String appId = "app-id";
    /** {@code --app-key}. */
    public String appKey = "app-key";
    /** {@code --app-secret}. */
    public String appSecret = "app-secret";
    /** {@code --channel}. */
    public String channel = "bench";
    /** {@code --event}. */
    public String event = "timed";
    /**
     * {@code --protocol}: {@code pusher} (protocol 7), {@code v2} (Sockudo Protocol V2), or {@code raw} for
     * {@link RawFanoutServer}. The versioned and annotation scenarios always use V2.
     */
    public String protocol = "pusher";
    /** {@code --subscribers}: steady subscribers (fanout, churn) or idle connections (idle). */
    public int subscribers = 100;
    /** {@code --churners}: churning subscribers (churn scenario). */
    public int churners = 250;
    /** {@code --churn-life-ms}: a churner lives a random time in [this, 4 x this). */
    public long churnLifeMs = 1000;
    /**
     * {@code --rate}: target deliveries per second (fanout, versioned, annotation; publishes = rate / subscribers).
     */
    public double rate = 10_000;
    /** {@code --publish-rate}: publishes per second (churn scenario; overrides --rate there). */
    public double publishRate = 10;
    /** {@code --payload}: bytes in the data string, at least 17. */
    public int payload = 20;
    /** {@code --warmup}: seconds of publishing before the measured window. */
    public double warmupSeconds = 3;
    /** {@code --duration}: seconds of the measured window. */
    public double durationSeconds = 10;
    /** {@code --drain}: the most seconds to wait after the window for late deliveries. */
    public double drainSeconds = 5;
    /** {@code --settle}: seconds to wait before reading RSS in the idle scenario. */
    public double settleSeconds = 3;
    /** {@code --connect-timeout}: seconds allowed to connect and subscribe everyone. */
    public double connectTimeoutSeconds = 60;
    /** {@code --publisher-connections}: keep-alive HTTP connections of the publisher. */
    public int publisherConnections = 4;
    /** {@code --annotation-type}: the annotation type of the annotation scenario. */
    public String annotationType = "reactions:distinct.v1";
    /** {@code --annotation-clients}: client ids the annotation publishes cycle through. */
    public int annotationClients = 100;
    /** {@code --server-pid}: the server process for CPU and RSS; 0 = not measured. */
    public long serverPid;
    /** {@code --hlog}: HdrHistogram interval log file; empty = none. */
    public String hlogPath = "";
    /** {@code --results}: Markdown file the table row is appended to; empty = none. */
    public String resultsPath = "";

    /**
     * Parses {@code --name value} pairs.
     *
     * @param args the arguments.
     * @return the options.
     * @throws IllegalArgumentException on an unknown name or a missing value.
     */
    public static LoadOptions parse(final String[] args)
    {
        final LoadOptions o = new LoadOptions();
        for (int i = 0; i < args.length; i += 2)
        {
            final String name = args[i];
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException("missing value for " + name);
            }
            final String v = args[i + 1];
            switch (name)
            {
                case "--scenario" -> o.scenario = v;
                case "--label" -> o.label = v;
                case "--host" -> o.host = v;
                case "--port" -> o.port = Integer.parseInt(v);
                case "--app-id" -> o.appId = v;
                case "--app-key" -> o.appKey = v;
                case "--app-secret" -> o.appSecret = v;
                case "--channel" -> o.channel = v;
                case "--event" -> o.event = v;
                case "--protocol" -> o.protocol = v;
                case "--subscribers" -> o.subscribers = Integer.parseInt(v);
                case "--churners" -> o.churners = Integer.parseInt(v);
                case "--churn-life-ms" -> o.churnLifeMs = Long.parseLong(v);
                case "--rate" -> o.rate = Double.parseDouble(v);
                case "--publish-rate" -> o.publishRate = Double.parseDouble(v);
                case "--payload" -> o.payload = Integer.parseInt(v);
                case "--warmup" -> o.warmupSeconds = Double.parseDouble(v);
                case "--duration" -> o.durationSeconds = Double.parseDouble(v);
                case "--drain" -> o.drainSeconds = Double.parseDouble(v);
                case "--settle" -> o.settleSeconds = Double.parseDouble(v);
                case "--connect-timeout" -> o.connectTimeoutSeconds = Double.parseDouble(v);
                case "--publisher-connections" -> o.publisherConnections = Integer.parseInt(v);
                case "--annotation-type" -> o.annotationType = v;
                case "--annotation-clients" -> o.annotationClients = Integer.parseInt(v);
                case "--server-pid" -> o.serverPid = Long.parseLong(v);
                case "--hlog" -> o.hlogPath = v;
                case "--results" -> o.resultsPath = v;
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return o;
    }
}
