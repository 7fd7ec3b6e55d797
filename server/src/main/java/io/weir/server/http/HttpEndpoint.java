package io.weir.server.http;

/**
 * Answers the requests of one route. Runs on a request thread, never on a network thread, so it may
 * block (e.g. a long-poll). An exception that escapes is answered with HTTP 500 and a text message;
 * endpoints whose clients expect a particular error format (Avatica) catch everything themselves.
 */
@FunctionalInterface
public interface HttpEndpoint {
    HttpReply handle(HttpCall call) throws Exception;
}
