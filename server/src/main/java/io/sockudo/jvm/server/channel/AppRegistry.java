package io.sockudo.jvm.server.channel;

import io.sockudo.jvm.protocol.pusher.ApiCredentials;
import io.sockudo.jvm.protocol.pusher.ApiKeyLookup;
import io.sockudo.jvm.server.config.AppConfig;
import io.sockudo.jvm.server.config.IdempotencyConfig;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The apps of the memory app manager, looked up by key (WebSocket, API auth) and by id (routes).
 * Immutable after construction.
 */
public final class AppRegistry implements ApiKeyLookup
{
    private final Map<String, AppState> byKey = new LinkedHashMap<>();
    private final Map<String, AppState> byId = new LinkedHashMap<>();

    /**
     * @param apps app records
     * @param reactorCount number of reactors
     * @param idempotency server-level idempotency settings
     */
    public AppRegistry(final List<AppConfig> apps, final int reactorCount, final IdempotencyConfig idempotency)
    {
        final AtomicInteger channelIds = new AtomicInteger();
        for (final AppConfig app : apps)
        {
            final AppState state = new AppState(app, byId.size(), reactorCount, channelIds, idempotency);
            byKey.put(app.key, state);
            byId.put(app.id, state);
        }
    }

    /**
     * App by key.
     *
     * @param key app key
     * @return state or null
     */
    public AppState byKey(final String key)
    {
        return byKey.get(key);
    }

    /**
     * App by id.
     *
     * @param id app id
     * @return state or null
     */
    public AppState byId(final String id)
    {
        return byId.get(id);
    }

    /**
     * All apps.
     *
     * @return apps in config order
     */
    public Collection<AppState> apps()
    {
        return Collections.unmodifiableCollection(byId.values());
    }

    @Override
    public ApiCredentials find(final String key)
    {
        final AppState app = byKey.get(key);
        return app == null ? null : new ApiCredentials(app.config().id, app.config().key, app.config().secret);
    }
}
