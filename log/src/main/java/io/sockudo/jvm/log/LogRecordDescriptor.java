package io.sockudo.jvm.log;

import java.nio.ByteOrder;

/**
 * Layout of one record, stored as the raw bytes of one Chronicle document (no Wire field names). Integers are
 * little-endian; the four variable fields follow the header back to back, in this order:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Version (int)                           |  0
 *  +---------------------------------------------------------------+
 *  |                        Type (int)                             |  4
 *  +---------------------------------------------------------------+
 *  |                    Timestamp ms (long)                        |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Serial length (int)                       | 16
 *  +---------------------------------------------------------------+
 *  |                      App length (int)                         | 20
 *  +---------------------------------------------------------------+
 *  |                    Channel length (int)                       | 24
 *  +---------------------------------------------------------------+
 *  |                    Payload length (int)                       | 28
 *  +---------------------------------------------------------------+
 *  |  Serial (ASCII)  |  App (UTF-8)  |  Channel (UTF-8)  | Payload ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A reader skips records whose version it does not know, so a later layout can be added beside this one.
 */
final class LogRecordDescriptor
{
    static final int VERSION = 1;
    static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    static final int VERSION_OFFSET = 0;
    static final int TYPE_OFFSET = 4;
    static final int TIMESTAMP_OFFSET = 8;
    static final int SERIAL_LENGTH_OFFSET = 16;
    static final int APP_LENGTH_OFFSET = 20;
    static final int CHANNEL_LENGTH_OFFSET = 24;
    static final int PAYLOAD_LENGTH_OFFSET = 28;
    static final int HEADER_LENGTH = 32;

    /** Largest encoded record accepted; well under Chronicle's limit of a quarter of its 64 MiB block. */
    static final int MAX_RECORD_LENGTH = 8 * 1024 * 1024;

    private LogRecordDescriptor()
    {
    }
}
