package org.apache.calcite.avatica.remote;

import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.proto.Common;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WireNameProtobufTranslationTest {
    private static final String REAL = "org.apache.calcite.avatica.proto.";
    private static final String RELOCATED = "io.weir.jdbc.shaded.org.apache.calcite.avatica.proto.";

    private final ProtobufTranslation plain = new ProtobufTranslationImpl();

    @Test
    void wirePackageIsAvaticasOwn() {
        assertThat(WireNameProtobufTranslation.WIRE_PACKAGE).isEqualTo(REAL);
        assertThat(WireNameProtobufTranslation.LOCAL_PACKAGE).as("unshaded in this build").isEqualTo(REAL);
    }

    @Test
    void unrelocatedPassesBytesThrough() throws IOException {
        Service.FetchRequest request = new Service.FetchRequest("connection", 7, 42, 100);
        WireNameProtobufTranslation translation = new WireNameProtobufTranslation(plain);

        assertThat(translation.serializeRequest(request)).isEqualTo(plain.serializeRequest(request));
    }

    @Test
    void requestsLeaveWithTheWireNameAndComeBackWithTheLocalOne() throws IOException {
        // Here the "local" package is Avatica's real one and the "wire" one is made up, the mirror
        // image of the shaded jar, so that the unshaded test classes can be parsed at both ends.
        WireNameProtobufTranslation translation = new WireNameProtobufTranslation(plain, REAL, RELOCATED);
        Service.FetchRequest request = new Service.FetchRequest("connection", 7, 42, 100);

        byte[] bytes = translation.serializeRequest(request);

        assertThat(Common.WireMessage.parseFrom(bytes).getName()).isEqualTo(RELOCATED + "Requests$FetchRequest");
        assertThat(translation.parseRequest(bytes)).isEqualTo(request);
    }

    @Test
    void responsesNamedForTheWireAreParsed() throws IOException {
        WireNameProtobufTranslation translation = new WireNameProtobufTranslation(plain, REAL, RELOCATED);
        Service.ErrorResponse error = new Service.ErrorResponse(List.of(), "boom", 1, "XX000",
                AvaticaSeverity.ERROR, null);
        byte[] asSentByServer = Common.WireMessage.parseFrom(plain.serializeResponse(error)).toBuilder()
                .setName(RELOCATED + "Responses$ErrorResponse").build().toByteArray();

        assertThat(translation.parseResponse(asSentByServer)).isEqualTo(error);
    }
}
