package io.sockudo.jvm.server.config;

/**
 * The {@code [http_api]} section.
 */
public final class HttpApiConfig
{
    /** {@code http_api.request_limit_in_mb}: request body limit on the main router. */
    public int requestLimitInMb = 10;
    /** {@code http_api.usage_enabled}, env {@code HTTP_API_USAGE_ENABLED}: serve {@code /usage} and {@code /stats}. */
    public boolean usageEnabled = true;
}
