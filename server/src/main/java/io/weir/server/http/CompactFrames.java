package io.weir.server.http;

import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Responses;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.TypedValue;

import java.io.IOException;
import java.util.List;

/**
 * Serializes Avatica protobuf responses whose frames carry rows without Avatica's second copy of each
 * value. Avatica's {@code Frame.toProto} writes every scalar twice, in {@code scalar_value} and in the
 * {@code value} list deprecated since Avatica 1.8 (2016), so that clients older than that can read it;
 * every client since reads {@code scalar_value} only. Writing it once halves the bytes of a frame and
 * the client's work to parse them, which for a continuous query with many result rows is a good part
 * of the process's CPU (measured with FlinkComparisonBenchmark's Weir process). Arrays keep Avatica's
 * layout. Responses without frames go through Avatica's translation unchanged. Fetch responses whose
 * values are all of the common types are written by {@link FetchResponseWriter}, to the same bytes.
 */
final class CompactFrames {
    private CompactFrames() {
    }

    static byte[] serialize(ProtobufTranslation translation, Service.Response response) throws IOException {
        if (response instanceof Service.FetchResponse fetch) {
            byte[] direct = FetchResponseWriter.write(fetch);
            return direct != null ? direct : viaMessages(fetch);
        }
        if (response instanceof Service.ExecuteResponse execute) {
            Responses.ExecuteResponse.Builder message = Responses.ExecuteResponse.newBuilder()
                    .setMissingStatement(execute.missingStatement);
            for (Service.ResultSetResponse result : execute.results) {
                message.addResults(result(result));
            }
            if (execute.rpcMetadata != null) {
                message.setMetadata(metadata(execute.rpcMetadata));
            }
            return wire(message.build());
        }
        if (response instanceof Service.ResultSetResponse result) {
            return wire(result(result)); // metadata calls: getTables, getColumns, ...
        }
        return translation.serializeResponse(response);
    }

    /** A fetch response built as protobuf messages (for values FetchResponseWriter leaves alone). */
    static byte[] viaMessages(Service.FetchResponse fetch) {
        Responses.FetchResponse.Builder message = Responses.FetchResponse.newBuilder()
                .setMissingStatement(fetch.missingStatement)
                .setMissingResults(fetch.missingResults);
        if (fetch.frame != null) {
            message.setFrame(toProto(fetch.frame));
        }
        if (fetch.rpcMetadata != null) {
            message.setMetadata(metadata(fetch.rpcMetadata));
        }
        return wire(message.build());
    }

    /** As Avatica's ResultSetResponse.serialize(), with the compact first frame. */
    private static Responses.ResultSetResponse result(Service.ResultSetResponse result) {
        Responses.ResultSetResponse.Builder message = Responses.ResultSetResponse.newBuilder()
                .setStatementId(result.statementId)
                .setOwnStatement(result.ownStatement)
                .setUpdateCount(result.updateCount);
        if (result.connectionId != null) {
            message.setConnectionId(result.connectionId);
        }
        if (result.signature != null) {
            message.setSignature(result.signature.toProto());
        }
        if (result.firstFrame != null) {
            message.setFirstFrame(toProto(result.firstFrame));
        }
        if (result.rpcMetadata != null) {
            message.setMetadata(metadata(result.rpcMetadata));
        }
        return message.build();
    }

    static Responses.RpcMetadata metadata(Service.RpcMetadataResponse metadata) {
        Responses.RpcMetadata.Builder message = Responses.RpcMetadata.newBuilder();
        if (metadata.serverAddress != null) {
            message.setServerAddress(metadata.serverAddress);
        }
        return message.build();
    }

    /** A frame's rows, each scalar written once ({@code scalar_value}). */
    static Common.Frame toProto(Meta.Frame frame) {
        Common.Frame.Builder message = Common.Frame.newBuilder().setDone(frame.done).setOffset(frame.offset);
        for (Object row : frame.rows) {
            if (row == null) {
                message.addRows(Common.Row.getDefaultInstance());
                continue;
            }
            Common.Row.Builder columns = Common.Row.newBuilder();
            if (row instanceof Object[] values) {
                for (Object value : values) {
                    columns.addValue(column(value));
                }
            } else if (row instanceof Iterable<?> values) {
                for (Object value : values) {
                    columns.addValue(column(value));
                }
            } else {
                throw new IllegalArgumentException("A frame's row must be an array or a list, not " + row.getClass().getName());
            }
            message.addRows(columns);
        }
        return message.build();
    }

    private static Common.ColumnValue column(Object value) {
        Common.ColumnValue.Builder column = Common.ColumnValue.newBuilder();
        if (value instanceof List<?> array) {
            // as Avatica writes arrays: each element in array_value and in the deprecated list
            column.setHasArrayValue(true);
            for (Object element : array) {
                Common.TypedValue scalar = scalar(element);
                column.addArrayValue(scalar);
                column.addValue(scalar);
            }
            return column.build();
        }
        return column.setHasArrayValue(false).setScalarValue(scalar(value)).build();
    }

    private static Common.TypedValue scalar(Object value) {
        Common.TypedValue.Builder scalar = Common.TypedValue.newBuilder();
        TypedValue.toProto(scalar, value);
        return scalar.build();
    }

    private static byte[] wire(com.google.protobuf.Message message) {
        return Common.WireMessage.newBuilder()
                .setName(message.getClass().getName())
                .setWrappedMessage(message.toByteString())
                .build()
                .toByteArray();
    }
}
