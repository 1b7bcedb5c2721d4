package io.sockudo.jvm.server.config;

/**
 * The {@code [history]} section (env prefix {@code HISTORY_}): durable per-channel message history. The backend is
 * this server's append-only event log ({@code log}, the default) or {@code memory}; Sockudo's database backends are
 * refused at start-up.
 */
public final class HistoryConfig
{
    /** {@code history.enabled}, env {@code HISTORY_ENABLED}. */
    public boolean enabled;
    /** {@code history.rewind_enabled}, env {@code HISTORY_REWIND_ENABLED}. */
    public boolean rewindEnabled = true;
    /** {@code history.backend}, env {@code HISTORY_BACKEND}: {@code log} or {@code memory}. */
    public String backend = "log";
    /** {@code history.retention_window_seconds}, env {@code HISTORY_RETENTION_WINDOW_SECONDS}; 0 keeps forever. */
    public long retentionWindowSeconds = 86_400;
    /** {@code history.max_page_size}, env {@code HISTORY_MAX_PAGE_SIZE}. */
    public int maxPageSize = 100;
    /** {@code history.max_messages_per_channel}, env {@code HISTORY_MAX_MESSAGES_PER_CHANNEL}; 0 = no limit. */
    public long maxMessagesPerChannel;
    /** {@code history.max_bytes_per_channel}, env {@code HISTORY_MAX_BYTES_PER_CHANNEL}; 0 = no limit. */
    public long maxBytesPerChannel;
    /** {@code history.purge_interval_seconds}, env {@code HISTORY_PURGE_INTERVAL_SECONDS}; at least 10. */
    public int purgeIntervalSeconds = 300;
    /** {@code history.log.directory}, env {@code HISTORY_LOG_DIRECTORY}: where the event log lives. */
    public String logDirectory = "./data";
    /** {@code history.log.roll_cycle}, env {@code HISTORY_LOG_ROLL_CYCLE}: {@code HOURLY}, {@code DAILY}, ... */
    public String logRollCycle = "HOURLY";

    /**
     * Whether the history and versions are kept in the durable log.
     *
     * @return true for the {@code log} backend.
     */
    public boolean durable()
    {
        return "log".equals(backend);
    }
}
