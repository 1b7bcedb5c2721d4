package io.sockudo.jvm.server.annotation;

import java.util.List;

/**
 * Result of one HTTP annotation call.
 *
 * @param status     HTTP status code.
 * @param body       JSON body: the success document, or {@code {"error":...,"code":...,"status":...}}.
 * @param broadcasts frames to send, in order (summary first, then raw); empty on error.
 */
public record Reply(int status, String body, List<Broadcast> broadcasts)
{
}
