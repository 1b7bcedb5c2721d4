package io.sockudo.jvm.bench.load;

import io.sockudo.jvm.protocol.pusher.PusherSignatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The annotation template of {@link ApiSigner}: path, body, client-id and name cycling, and a signature that
 * matches the project's reference signing.
 */
@Timeout(10)
class ApiSignerTest
{
    private static final String SERIAL = "00000001796371952248:node-1:00000000000000000001";

    @Test
    void shouldCycleClientIdsAndNamesInSignedAnnotationPublishes()
    {
        final ApiSigner signer = ApiSigner.annotations("127.0.0.1:6001", "app-id", "app-key", "app-secret",
            "chat:bench", SERIAL, "reactions:distinct.v1", 100);

        assertBody(signer, 0, "like", "u00000");
        assertBody(signer, 42, "like", "u00042");
        assertBody(signer, 100, "haha", "u00000");
        assertBody(signer, 199, "haha", "u00099");
        assertBody(signer, 200, "like", "u00000");
    }

    private static void assertBody(final ApiSigner signer, final long sequence, final String name, final String client)
    {
        signer.build(sequence, 123_456_789L, 1_700_000_000L);
        final String request = signer.lastRequest();
        assertEquals(request.length(), signer.requestLength());
        final String body = request.substring(request.indexOf("\r\n\r\n") + 4);
        assertEquals("{\"type\":\"reactions:distinct.v1\",\"name\":\"" + name + "\",\"clientId\":\"" + client + "\"}",
            body);
        final String target = request.substring(5, request.indexOf(' ', 5));
        final String path = target.substring(0, target.indexOf('?'));
        assertEquals("/apps/app-id/channels/chat:bench/messages/" + SERIAL + "/annotations", path);
        final List<String[]> pairs = new ArrayList<>();
        String signature = null;
        for (final String pair : target.substring(target.indexOf('?') + 1).split("&"))
        {
            final String[] kv = pair.split("=", 2);
            if ("auth_signature".equals(kv[0]))
            {
                signature = kv[1];
            }
            else
            {
                pairs.add(kv);
            }
        }
        assertTrue(target.contains("body_md5=" + PusherSignatures.md5Hex(body.getBytes(StandardCharsets.UTF_8))),
            target);
        assertEquals(PusherSignatures.apiSignature("app-secret", "POST", path, pairs), signature);
    }
}
