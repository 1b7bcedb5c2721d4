package io.sockudo.jvm.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookFilterTest
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "my-channel|NULL",
        "chat:room|chat",
        "private-chat:room|chat",
        "presence-chat:room|chat",
        "private-encrypted-chat:room|chat",
        "private-encrypted-cache-chat:room|chat",
        "private-cache-chat:room|chat",
        "presence-cache-chat:room|chat",
        "cache-chat:room|chat",
        "presence-:room|NULL",
        ":room|NULL",
        "a:b:c|a",
        "private-|NULL",
    })
    void namespaceIsTheTextBeforeTheColonAfterTheTypePrefix(final String channel, final String namespace)
    {
        assertEquals(namespace, WebhookFilter.namespaceOf(channel));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        // prefix | suffix | pattern | namespace | namespaces (comma) | channel | matches
        "NULL|NULL|NULL|NULL|NULL|anything|true",
        "presence-|NULL|NULL|NULL|NULL|presence-room|true",
        "presence-|NULL|NULL|NULL|NULL|my-channel|false",
        "NULL|-room|NULL|NULL|NULL|presence-room|true",
        "NULL|-room|NULL|NULL|NULL|presence-roomx|false",
        "NULL|NULL|r[o]+m|NULL|NULL|presence-room-1|true",
        "NULL|NULL|^room|NULL|NULL|presence-room|false",
        "NULL|NULL|NULL|chat|NULL|private-chat:1|true",
        "NULL|NULL|NULL|chat|NULL|private-news:1|false",
        "NULL|NULL|NULL|chat|NULL|chat|false",
        "NULL|NULL|NULL|NULL|chat,news|news:1|true",
        "NULL|NULL|NULL|NULL|chat,news|sport:1|false",
        "private-|:1|chat|chat|chat,news|private-chat:1|true",
        "private-|:2|chat|chat|chat,news|private-chat:1|false",
        "presence-|:1|chat|chat|chat,news|private-chat:1|false",
        "NULL|NULL|NULL|chat|news|chat:1|false",
    })
    void partsAreAnded(final String prefix, final String suffix, final String pattern, final String namespace,
        final String namespaces, final String channel, final boolean matches)
    {
        final WebhookFilter filter = new WebhookFilter(prefix, suffix,
            null == pattern ? null : Pattern.compile(pattern), namespace,
            null == namespaces ? null : List.of(namespaces.split(",")));
        assertEquals(matches, filter.matches(channel));
    }
}
