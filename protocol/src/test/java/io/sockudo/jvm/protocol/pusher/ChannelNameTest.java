package io.sockudo.jvm.protocol.pusher;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class ChannelNameTest
{
    private static final List<ChannelNamespace> NAMESPACES = List.of(
        new ChannelNamespace("chat", Pattern.compile("^chat:[a-z0-9-]+$"), 0, false),
        new ChannelNamespace("short", null, 20, false),
        new ChannelNamespace("dm", null, 0, true),
        new ChannelNamespace("loose", Pattern.compile("room"), 0, true));

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name,                        type,              cache, auth,  presence, serverToUser
        "my-channel,                    PUBLIC,            false, false, false,    false",
        "private-foo,                   PRIVATE,           false, true,  false,    false",
        "private-encrypted-foo,         PRIVATE_ENCRYPTED, false, true,  false,    false",
        "private-encrypted,             PRIVATE,           false, true,  false,    false",
        "private-encryptedfoo,          PRIVATE,           false, true,  false,    false",
        "presence-room,                 PRESENCE,          false, true,  true,     false",
        "cache-news,                    PUBLIC,            true,  false, false,    false",
        "private-cache-x,               PRIVATE,           true,  true,  false,    false",
        "private-encrypted-cache-x,     PRIVATE_ENCRYPTED, true,  true,  false,    false",
        "presence-cache-x,              PRESENCE,          true,  true,  true,     false",
        "news-cache-x,                  PUBLIC,            false, false, false,    false",
        "public-private-x,              PUBLIC,            false, false, false,    false",
        "private,                       PUBLIC,            false, false, false,    false",
        "presence,                      PUBLIC,            false, false, false,    false",
        "#server-to-user-u1,            PUBLIC,            false, false, false,    true",
        "chat:room,                     PUBLIC,            false, false, false,    false",
        "private-chat:room,             PRIVATE,           false, true,  false,    false",
    })
    void shouldClassifyChannel(
        final String name,
        final ChannelType type,
        final boolean cache,
        final boolean auth,
        final boolean presence,
        final boolean serverToUser)
    {
        assertEquals(type, ChannelName.type(name));
        assertEquals(cache, ChannelName.isCache(name));
        assertEquals(auth, ChannelName.requiresAuth(name));
        assertEquals(presence, ChannelName.isPresence(name));
        assertEquals(serverToUser, ChannelName.isServerToUser(name));
    }

    @Test
    void shouldExtractServerToUserId()
    {
        assertEquals("u1", ChannelName.serverToUserId("#server-to-user-u1"));
        assertEquals("", ChannelName.serverToUserId("#server-to-user-"));
        assertNull(ChannelName.serverToUserId("server-to-user-u1"));
    }

    @ParameterizedTest(name = "[{0}] limit {1}")
    @CsvSource(value = {
        // name | app max length | expected error (NULL = valid)
        "my-channel | 0 | NULL",
        "Aa0-_=@,.;#:x | 0 | NULL",
        "Aa0-_=@,.;:#x | 0 | Unknown channel namespace 'Aa0-_=@,.;'",
        "bad,name | 0 | NULL",
        "semi;colon | 0 | NULL",
        "private-encrypted-foo | 0 | NULL",
        "presence-cache-x | 0 | NULL",
        "#server-to-user-u1 | 0 | NULL",
        "#server-to-user-a:b | 0 | NULL",
        "'' | 0 | Channel name cannot be empty",
        "NULL | 0 | Channel name cannot be empty",
        "a b | 0 | Channel name contains invalid characters: a b",
        "star* | 0 | Channel name contains invalid characters: star*",
        "caf\u00e9 | 0 | Channel name contains invalid characters: caf\u00e9",
        "a/b | 0 | Channel name contains invalid characters: a/b",
        "chat:room | 0 | Unknown channel namespace 'chat'",
        "private-nope:x | 0 | Unknown channel namespace 'nope'",
        ":leading-colon | 0 | NULL",
        "0123456789 | 10 | NULL",
        "01234567890 | 10 | Channel name too long. Max length is 10",
        "01234567890 | -1 | NULL",
    }, delimiter = '|', nullValues = "NULL")
    void shouldValidateWithoutNamespaces(final String name, final int appMaxLength, final String expected)
    {
        assertEquals(expected, ChannelName.validate(name, appMaxLength, null));
        assertEquals(expected, ChannelName.validate(name, appMaxLength, List.of()));
    }

    @Test
    void shouldRejectNamesLongerThanDefaultLimitWhenAppSetsNone()
    {
        final String name200 = "a".repeat(200);
        final String name201 = "a".repeat(201);

        assertNull(ChannelName.validate(name200, 0, null));
        assertEquals("Channel name too long. Max length is 200", ChannelName.validate(name201, 0, null));
        assertNull(ChannelName.validate(name201, 300, null));
    }

    @Test
    void shouldMeasureLengthInUtf8BytesBeforeCheckingCharacters()
    {
        // 5 chars but 10 bytes: the length check runs first and counts bytes.
        assertEquals(
            "Channel name too long. Max length is 8",
            ChannelName.validate("\u00e9\u00e9\u00e9\u00e9\u00e9", 8, null));
        assertEquals(
            "Channel name contains invalid characters: \u00e9\u00e9\u00e9\u00e9\u00e9",
            ChannelName.validate("\u00e9\u00e9\u00e9\u00e9\u00e9", 10, null));
    }

    @Test
    void shouldCheckLengthBeforeNamespace()
    {
        assertEquals(
            "Channel name too long. Max length is 5",
            ChannelName.validate("nope:x", 5, NAMESPACES));
    }

    @ParameterizedTest(name = "[{0}] limit {1}")
    @CsvSource(value = {
        "chat:room | 0 | NULL",
        "private-chat:room | 0 | NULL",
        "presence-cache-chat:room-1 | 0 | NULL",
        "chat:Room | 0 | Channel name 'chat:Room' does not match namespace pattern",
        "private-chat:a_b | 0 | Channel name 'chat:a_b' does not match namespace pattern",
        "chat:room#u1 | 0 | User-limited channels are not allowed in namespace 'chat'",
        "dm:inbox#u1 | 0 | NULL",
        "dm:inbox#u1,u2 | 0 | NULL",
        "loose:my-room-1#u1 | 0 | NULL",
        "loose:lobby#room | 0 | Channel name 'loose:lobby' does not match namespace pattern",
        "other:x | 0 | Unknown channel namespace 'other'",
        "short:0123456789 | 0 | NULL",
        "short:01234567890123 | 0 | NULL",
        "short:012345678901234 | 0 | Channel name too long. Max length is 20",
        "short:012345678901234 | 100 | Channel name too long. Max length is 20",
        "chat:room | 5 | Channel name too long. Max length is 5",
        "#server-to-user-u1 | 0 | NULL",
        "plain#u1 | 0 | NULL",
    }, delimiter = '|', nullValues = "NULL")
    void shouldValidateAgainstNamespaces(final String name, final int appMaxLength, final String expected)
    {
        assertEquals(expected, ChannelName.validate(name, appMaxLength, NAMESPACES));
    }

    @Test
    void shouldUseFirstNamespaceWithMatchingName()
    {
        final List<ChannelNamespace> namespaces = List.of(
            new ChannelNamespace("ns", null, 8, false),
            new ChannelNamespace("ns", null, 100, true));

        assertEquals("Channel name too long. Max length is 8", ChannelName.validate("ns:abcdef", 0, namespaces));
        assertTrue(ChannelName.validate("ns:a#u1", 0, namespaces).startsWith("User-limited"));
        assertNull(ChannelName.validate("ns:a", 0, namespaces));
    }
}
