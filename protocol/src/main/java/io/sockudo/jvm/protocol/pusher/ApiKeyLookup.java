package io.sockudo.jvm.protocol.pusher;

/**
 * Finds an application by its key for {@link ApiRequestVerifier}.
 */
@FunctionalInterface
public interface ApiKeyLookup
{
    /**
     * Finds the application whose key is {@code key}.
     *
     * @param key the {@code auth_key} query value, possibly empty, never null.
     * @return the application's credentials, or null when no application has this key.
     */
    ApiCredentials find(String key);
}
