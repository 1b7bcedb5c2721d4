package io.sockudo.jvm.server.config;

/**
 * The {@code [versioned_messages]} section (env prefix {@code VERSIONED_MESSAGES_}): mutable messages with a version
 * chain, on channels whose resolved history is enabled. The chains are stored with the history: in the event log
 * when {@code history.backend = "log"}, otherwise in memory.
 */
public final class VersionedMessagesConfig
{
    /** {@code versioned_messages.enabled}, env {@code VERSIONED_MESSAGES_ENABLED}. */
    public boolean enabled;
    /** {@code versioned_messages.driver}, env {@code VERSIONED_MESSAGES_DRIVER}: {@code log} or {@code memory}. */
    public String driver = "log";
    /** {@code versioned_messages.max_page_size}, env {@code VERSIONED_MESSAGES_MAX_PAGE_SIZE}. */
    public int maxPageSize = 100;
    /** {@code versioned_messages.retention_window_seconds}; 0 keeps forever. */
    public long retentionWindowSeconds;
}
