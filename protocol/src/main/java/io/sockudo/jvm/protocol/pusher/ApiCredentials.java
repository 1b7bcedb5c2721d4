package io.sockudo.jvm.protocol.pusher;

/**
 * The credentials of one application as the HTTP API signature check needs them.
 *
 * @param appId  the application id, compared with the {@code {appId}} of {@code /apps/{appId}/...} routes.
 * @param key    the application key, sent by clients as {@code auth_key}.
 * @param secret the application secret used as the HMAC-SHA256 key.
 */
public record ApiCredentials(String appId, String key, String secret)
{
}
