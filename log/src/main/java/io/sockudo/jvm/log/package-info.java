/**
 * The append-only event log. Placeholder module: the Chronicle Queue log arrives with issue #4;
 * nothing in the server depends on it yet.
 */
package io.sockudo.jvm.log;
