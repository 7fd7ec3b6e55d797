package org.apache.calcite.avatica.remote;

import org.apache.calcite.avatica.proto.Common;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * Avatica's protobuf translation for a client whose Avatica classes are relocated (the shaded driver
 * jar). Avatica names each message on the wire by its Java class name
 * ({@code org.apache.calcite.avatica.proto.Requests$FetchRequest}); relocated, that name would change
 * and no server could read it. This translation sends and expects the original names.
 * Unrelocated, it passes everything through unchanged.
 */
final class WireNameProtobufTranslation implements ProtobufTranslation {
    /**
     * The package of the message classes as servers know it. Assembled at run time: the shade plugin
     * rewrites string constants that look like a relocated package, and this one must stay as it is.
     */
    static final String WIRE_PACKAGE = String.join(".", "org", "apache", "calcite", "avatica", "proto") + ".";
    /** The package of the message classes in this jar, relocated or not. */
    static final String LOCAL_PACKAGE = Common.class.getPackageName() + ".";

    private final ProtobufTranslation delegate;
    private final String localPackage;
    private final String wirePackage;

    WireNameProtobufTranslation(ProtobufTranslation delegate) {
        this(delegate, LOCAL_PACKAGE, WIRE_PACKAGE);
    }

    WireNameProtobufTranslation(ProtobufTranslation delegate, String localPackage, String wirePackage) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.localPackage = requireNonNull(localPackage, "localPackage is null");
        this.wirePackage = requireNonNull(wirePackage, "wirePackage is null");
    }

    @Override
    public byte[] serializeRequest(Service.Request request) throws IOException {
        return rename(delegate.serializeRequest(request), localPackage, wirePackage);
    }

    @Override
    public byte[] serializeResponse(Service.Response response) throws IOException {
        return rename(delegate.serializeResponse(response), localPackage, wirePackage);
    }

    @Override
    public Service.Request parseRequest(byte[] bytes) throws IOException {
        return delegate.parseRequest(rename(bytes, wirePackage, localPackage));
    }

    @Override
    public Service.Response parseResponse(byte[] bytes) throws IOException {
        return delegate.parseResponse(rename(bytes, wirePackage, localPackage));
    }

    /** The wire message with its class name moved from package {@code from} to package {@code to}. */
    private static byte[] rename(byte[] bytes, String from, String to) throws IOException {
        if (from.equals(to)) {
            return bytes;
        }
        Common.WireMessage message = Common.WireMessage.parseFrom(bytes);
        if (!message.getName().startsWith(from)) {
            return bytes;
        }
        return message.toBuilder()
                .setName(to + message.getName().substring(from.length()))
                .build()
                .toByteArray();
    }
}
