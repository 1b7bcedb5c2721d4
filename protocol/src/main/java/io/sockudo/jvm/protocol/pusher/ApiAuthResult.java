package io.sockudo.jvm.protocol.pusher;

/**
 * The outcome of {@link ApiRequestVerifier#verify}.
 * <p>
 * On success {@code status} is 200, {@code code} and {@code message} are null and {@code app} is the authenticated
 * application. On failure {@code status} is the HTTP status to answer with (400, 401 or 404), {@code code} the
 * snake-case error code of the JSON error body ({@code invalid_input}, {@code auth_failed}, {@code app_not_found}) and
 * {@code message} its text; {@code app} is the application when it was already found, else null.
 *
 * @param status  200 when verified, else the HTTP status of the error.
 * @param code    the error code, null on success.
 * @param message the error message, null on success.
 * @param app     the application found by key, or null.
 */
public record ApiAuthResult(int status, String code, String message, ApiCredentials app)
{
    /**
     * Whether the request passed verification.
     *
     * @return true when {@code status == 200}.
     */
    public boolean ok()
    {
        return status == 200;
    }
}
