package org.apache.calcite.avatica.remote;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * A protobuf translation whose fetch responses are read by {@link FetchResponseDecoder} (fewer CPU
 * cycles per result row), everything else, and fetch responses the decoder leaves alone, by the
 * translation it wraps.
 */
final class FetchDecodingProtobufTranslation implements ProtobufTranslation {
    private final ProtobufTranslation delegate;
    private final FetchResponseDecoder fetches;

    FetchDecodingProtobufTranslation(ProtobufTranslation delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.fetches = new FetchResponseDecoder(WireNameProtobufTranslation.WIRE_PACKAGE, WireNameProtobufTranslation.LOCAL_PACKAGE);
    }

    @Override
    public byte[] serializeRequest(Service.Request request) throws IOException {
        return delegate.serializeRequest(request);
    }

    @Override
    public byte[] serializeResponse(Service.Response response) throws IOException {
        return delegate.serializeResponse(response);
    }

    @Override
    public Service.Request parseRequest(byte[] bytes) throws IOException {
        return delegate.parseRequest(bytes);
    }

    @Override
    public Service.Response parseResponse(byte[] bytes) throws IOException {
        Service.FetchResponse fetch = fetches.decode(bytes);
        return fetch != null ? fetch : delegate.parseResponse(bytes);
    }
}
