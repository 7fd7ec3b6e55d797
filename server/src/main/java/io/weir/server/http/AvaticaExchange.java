package io.weir.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.auth.AvaticaAuthentication;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import static java.util.Objects.requireNonNull;

/**
 * One Avatica call, for both encodings: the decoded request run against the service, and what to
 * answer. Unlike Avatica's own handlers, no answer carries a Java stack trace (they stay in the server
 * log), a body that is not a request is a 400, and so is a request without its connection id.
 *
 * <p>On a server with users each request is authenticated first ({@link AvaticaAuthentication}): one
 * without credentials gets 401 with a challenge (Avatica's HTTP client then sends the user's credentials
 * if it has them, and with every later request); wrong credentials get SQLSTATE 28P01 as an Avatica
 * error (HTTP 500, which the drivers read), held back after repeated failures.
 *
 * <p>Fetches go to {@link AvaticaFetches}, whose answer may come later (when a continuous query's rows
 * come); every other request is answered on the calling thread.
 */
final class AvaticaExchange {
    private static final Logger LOG = LoggerFactory.getLogger(AvaticaExchange.class);

    /**
     * What to answer: a response (an {@link Service.ErrorResponse} on failure), its HTTP status, further
     * headers, and how long to hold it back.
     */
    record Outcome(Service.Response response, HttpResponseStatus status, Map<String, String> headers, Duration delay) {
        Outcome {
            requireNonNull(response, "response is null");
            requireNonNull(status, "status is null");
            headers = Map.copyOf(headers);
            requireNonNull(delay, "delay is null");
        }

        Outcome(Service.Response response, HttpResponseStatus status) {
            this(response, status, Map.of(), Duration.ZERO);
        }

        /** The reply for the endpoint, once the response is serialized. */
        HttpReply reply(String contentType, byte[] body) {
            return new HttpReply(status, contentType, body, headers, delay);
        }
    }

    /** Decodes a request body; throws whatever the decoder throws for a body that is not a request. */
    @FunctionalInterface
    interface Decoder {
        Service.Request decode() throws Exception;
    }

    /** Drivers send UUIDs (36 characters); a longer id is no driver's, and would be kept for the connection's life. */
    static final int MAX_CONNECTION_ID_CHARS = 128;
    /** JDBC drivers send a few dozen; every property is kept for the connection's life. */
    static final int MAX_CONNECTION_PROPERTIES = 1000;

    private final Service service;
    private final AvaticaAuthentication authentication;
    private final AvaticaFetches fetches;

    AvaticaExchange(Service service, AvaticaAuthentication authentication, AvaticaFetches fetches) {
        this.service = requireNonNull(service, "service is null");
        this.authentication = requireNonNull(authentication, "authentication is null");
        this.fetches = requireNonNull(fetches, "fetches is null");
    }

    CompletionStage<Outcome> run(Decoder decoder, String encoding, HttpCall call) {
        Outcome refused = null;
        Service.Request request = null;
        try {
            request = decoder.decode();
        } catch (Exception e) {
            refused = badRequest("The body is not an Avatica " + encoding + " request (" + firstLine(e.getMessage())
                    + "); use a JDBC driver, or see the Avatica protocol reference");
        }
        if (refused == null) {
            refused = check(request, encoding, call);
        }
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        Service.Request admitted = request;
        if (request instanceof Service.FetchRequest fetch) {
            CompletionStage<Service.FetchResponse> answer;
            try {
                answer = fetches.fetch(fetch);
            } catch (Throwable e) {
                return CompletableFuture.completedFuture(failure(request, e));
            }
            return answer.handle((response, failure) -> failure == null ? new Outcome(response, HttpResponseStatus.OK)
                    : failure(admitted, failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure));
        }
        try {
            return CompletableFuture.completedFuture(new Outcome(dispatch(request), HttpResponseStatus.OK));
        } catch (Throwable e) {
            return CompletableFuture.completedFuture(failure(request, e));
        }
    }

    /** The answer to a request that is refused before it runs (malformed, or not authenticated); null to run it. */
    private Outcome check(Service.Request request, String encoding, HttpCall call) {
        if (request == null) {
            return badRequest("The body is empty: send an Avatica " + encoding + " request");
        }
        String connectionId = connectionId(request);
        if (connectionId == null && namesConnection(request)) {
            return badRequest("An Avatica " + request.getClass().getSimpleName() + " needs a connectionId");
        }
        if (connectionId != null && connectionId.length() > MAX_CONNECTION_ID_CHARS) {
            return badRequest("A connection id has at most " + MAX_CONNECTION_ID_CHARS + " characters; drivers use UUIDs");
        }
        if (request instanceof Service.OpenConnectionRequest open && open.info != null && open.info.size() > MAX_CONNECTION_PROPERTIES) {
            return badRequest("A connection has at most " + MAX_CONNECTION_PROPERTIES + " properties; this one has " + open.info.size());
        }
        try {
            AvaticaAuthentication.Decision decision = authentication.check(call.headers(), call.remoteAddress(), connectionId,
                    request instanceof Service.OpenConnectionRequest, request instanceof Service.CloseConnectionRequest);
            if (decision instanceof AvaticaAuthentication.Decision.Challenge challenge) {
                return new Outcome(errorResponse(challenge.error()), HttpResponseStatus.UNAUTHORIZED,
                        Map.of(HttpHeaderNames.WWW_AUTHENTICATE.toString(), AuthenticatedEndpoint.CHALLENGE), Duration.ZERO);
            }
            if (decision instanceof AvaticaAuthentication.Decision.Refused refused) {
                return new Outcome(errorResponse(refused.error()), HttpResponseStatus.INTERNAL_SERVER_ERROR, Map.of(),
                        refused.delay());
            }
            return null;
        } catch (Throwable e) {
            return failure(request, e);
        }
    }

    /** The answer to a request that failed. */
    private static Outcome failure(Service.Request request, Throwable e) {
        if (e instanceof AvaticaRuntimeException avatica) {
            return error(avatica.getErrorMessage(), avatica.getErrorCode(), avatica.getSqlState(), avatica.getSeverity());
        }
        if (e instanceof NoSuchConnectionException missing) {
            // the code the drivers recognise as "connection gone" (Avatica's own handlers send it so), and class 08
            return error("Connection " + missing.getConnectionId() + " is not open on this server: it was closed after being idle"
                    + " longer than 'server.session-idle-timeout', or the server restarted. Open a new connection",
                    Service.ErrorResponse.MISSING_CONNECTION_ERROR_CODE, ErrorCode.UNKNOWN_CONNECTION.sqlState(), AvaticaSeverity.ERROR);
        }
        // WeirMeta turns every failure of a call into an AvaticaRuntimeException: this is a bug, or an Error
        if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
            throw fatal;
        }
        LOG.error("Avatica request {} failed", request.getClass().getSimpleName(), e);
        return error("Internal error: " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()))
                + ". The server log has the details", ErrorCode.INTERNAL_ERROR.vendorCode(), ErrorCode.INTERNAL_ERROR.sqlState(),
                AvaticaSeverity.ERROR);
    }

    /**
     * {@code service.apply(request)} for the request's type: what Avatica's package-private
     * {@code Request.accept} does, looked up once per request type.
     */
    private Service.Response dispatch(Service.Request request) throws Throwable {
        Method apply = APPLY.get(request.getClass());
        if (apply == null) {
            throw new IllegalArgumentException("no Service.apply for " + request.getClass().getName());
        }
        try {
            return (Service.Response) apply.invoke(service, request);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static final ClassValue<Method> APPLY = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                return Service.class.getMethod("apply", type);
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private static Outcome badRequest(String message) {
        return new Outcome(errorResponse(message, ErrorCode.PROTOCOL_VIOLATION.vendorCode(), ErrorCode.PROTOCOL_VIOLATION.sqlState(),
                AvaticaSeverity.ERROR), HttpResponseStatus.BAD_REQUEST);
    }

    /** Avatica answers errors with HTTP 500, which its clients expect. */
    private static Outcome error(String message, int code, String sqlState, AvaticaSeverity severity) {
        return new Outcome(errorResponse(message, code, sqlState, severity), HttpResponseStatus.INTERNAL_SERVER_ERROR);
    }

    private static Service.ErrorResponse errorResponse(WeirException error) {
        return errorResponse(error.getMessage(), error.errorCode().vendorCode(), error.errorCode().sqlState(), AvaticaSeverity.ERROR);
    }

    private static Service.ErrorResponse errorResponse(String message, int code, String sqlState, AvaticaSeverity severity) {
        return new Service.ErrorResponse(List.of(), message, code, sqlState, severity, null);
    }

    /** Whether the request is about a connection (has a connectionId field). */
    private static boolean namesConnection(Service.Request request) {
        return CONNECTION_ID.get(request.getClass()) != null;
    }

    /** The request's connection id; null when it has none (a JSON request missing the field) or names no connection. */
    private static String connectionId(Service.Request request) {
        Field field = CONNECTION_ID.get(request.getClass());
        try {
            return field == null ? null : (String) field.get(request);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final ClassValue<Field> CONNECTION_ID = new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
            try {
                Field field = type.getField("connectionId");
                return field.getType() == String.class ? field : null;
            } catch (NoSuchFieldException e) {
                return null;
            }
        }
    };

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
