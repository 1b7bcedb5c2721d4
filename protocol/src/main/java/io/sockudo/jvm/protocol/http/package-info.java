/**
 * HTTP/1.1 for the server's main port: an incremental request parser with size limits, the parsed request model,
 * response encoding and query-string decoding. HTTP is not the hot path; a request may allocate.
 */
package io.sockudo.jvm.protocol.http;
