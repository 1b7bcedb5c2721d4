package io.sockudo.jvm.protocol.json;

/**
 * Failure codes of {@link JsonScanner#scan} and their descriptions. The scanner records a code and a position
 * without allocating; text is only built when {@link JsonScanner#errorMessage()} is asked for.
 */
final class JsonErrors
{
    static final int NONE = 0;
    static final int EXPECTED_VALUE = 1;
    static final int EXPECTED_KEY = 2;
    static final int EXPECTED_COLON = 3;
    static final int EXPECTED_COMMA_OR_BRACE = 4;
    static final int EXPECTED_COMMA_OR_BRACKET = 5;
    static final int TRAILING_DATA = 6;
    static final int INVALID_NUMBER = 7;
    static final int INVALID_LITERAL = 8;
    static final int UNTERMINATED_STRING = 9;
    static final int INVALID_ESCAPE = 10;
    static final int CONTROL_CHARACTER = 11;
    static final int INVALID_UTF8 = 12;
    static final int TOO_DEEP = 13;

    private JsonErrors()
    {
    }

    /**
     * Short description of a failure code, without position.
     *
     * @param code     one of the codes above other than {@link #NONE}.
     * @param maxDepth of the scanner, quoted for {@link #TOO_DEEP}.
     * @return the description.
     */
    static String describe(final int code, final int maxDepth)
    {
        switch (code)
        {
            case EXPECTED_VALUE:
                return "expected value";
            case EXPECTED_KEY:
                return "expected string key";
            case EXPECTED_COLON:
                return "expected ':'";
            case EXPECTED_COMMA_OR_BRACE:
                return "expected ',' or '}'";
            case EXPECTED_COMMA_OR_BRACKET:
                return "expected ',' or ']'";
            case TRAILING_DATA:
                return "unexpected data after value";
            case INVALID_NUMBER:
                return "invalid number";
            case INVALID_LITERAL:
                return "invalid literal";
            case UNTERMINATED_STRING:
                return "unterminated string";
            case INVALID_ESCAPE:
                return "invalid escape";
            case CONTROL_CHARACTER:
                return "unescaped control character in string";
            case INVALID_UTF8:
                return "invalid UTF-8 in string";
            case TOO_DEEP:
                return "nesting deeper than " + maxDepth;
            default:
                return "unknown error " + code;
        }
    }
}
