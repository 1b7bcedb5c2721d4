package io.sockudo.jvm.server.history;

/**
 * A channel's resolved history policy (spec protocol-v2 6.3): namespace first, then app, then the global
 * {@code [history]} section; a channel whose annotations are enabled has history forced on.
 */
public final class HistoryPolicy
{
    /** History off: nothing stored, no rewind, no versioning. */
    public static final HistoryPolicy DISABLED = new HistoryPolicy(false, false, 0, 0, 0, false);

    /** Resolved {@code enabled}. */
    public final boolean enabled;
    /** Resolved {@code rewind_enabled}. */
    public final boolean rewindEnabled;
    /** Resolved {@code retention_window_seconds} in milliseconds; 0 keeps forever. */
    public final long retentionMs;
    /** Resolved {@code max_messages_per_channel}; 0 = no limit. */
    public final long maxMessages;
    /** Resolved {@code max_bytes_per_channel}; 0 = no limit. */
    public final long maxBytes;
    /** Versioned messages apply: {@code versioned_messages.enabled} and history enabled. */
    public final boolean versioned;

    /**
     * @param enabled resolved enabled
     * @param rewindEnabled resolved rewind_enabled
     * @param retentionMs retention window in ms, 0 = forever
     * @param maxMessages message cap, 0 = none
     * @param maxBytes byte cap, 0 = none
     * @param versioned versioning applies
     */
    public HistoryPolicy(final boolean enabled, final boolean rewindEnabled, final long retentionMs,
        final long maxMessages, final long maxBytes, final boolean versioned)
    {
        this.enabled = enabled;
        this.rewindEnabled = rewindEnabled;
        this.retentionMs = retentionMs;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.versioned = versioned;
    }
}
