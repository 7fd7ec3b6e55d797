package io.weir.server.pg;

import io.weir.server.config.ServerConfig;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that break the protocol: unknown message types, impossible lengths, an oversized message,
 * malformed bodies and startup packets. Each gets a FATAL ErrorResponse with a SQLSTATE and its connection
 * is closed; the server goes on serving others.
 */
class PgBadInputTest {
    @TempDir
    static Path temp;
    private static RunningServer server;
    private Socket socket;

    @BeforeAll
    static void start() throws Exception {
        server = RunningServer.start(temp.resolve("data"), builder -> builder.pgPort(ServerConfig.FREE_PORT)
                .maxRequestBytes(1 << 20));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        // the server is unaffected: a real client still works
        try (Connection connection = DriverManager.getConnection(server.pgUrl(), "tester", "");
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT 5")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(5);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private DataOutputStream connected() throws IOException {
        socket = new Socket("127.0.0.1", server.pgPort());
        socket.setSoTimeout(30_000);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        byte[] parameters = "user\0tester\0database\0weir\0\0".getBytes(StandardCharsets.UTF_8);
        out.writeInt(8 + parameters.length);
        out.writeInt(3 << 16);
        out.write(parameters);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        while (true) {
            Message message = read(in);
            if (message.type == 'Z') {
                return out;
            }
        }
    }

    private record Message(char type, byte[] body) {
        /** The fields of an ErrorResponse, by their code. */
        Map<Character, String> fields() {
            Map<Character, String> fields = new HashMap<>();
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char code = (char) body[i++];
                int end = i;
                while (body[end] != 0) {
                    end++;
                }
                fields.put(code, new String(body, i, end - i, StandardCharsets.UTF_8));
                i = end + 1;
            }
            return fields;
        }
    }

    private static Message read(DataInputStream in) throws IOException {
        char type = (char) in.readUnsignedByte();
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        return new Message(type, body);
    }

    /** The FATAL error the server answers with, after which it closes the connection. */
    private Map<Character, String> fatalAndClosed() throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        Map<Character, String> fatal = null;
        while (true) {
            Message message;
            try {
                message = read(in);
            } catch (EOFException | java.net.SocketException closed) {
                break;
            }
            if (message.type == 'E' && "FATAL".equals(message.fields().get('S'))) {
                fatal = message.fields();
            }
        }
        assertThat(fatal).as("a FATAL ErrorResponse before the connection closed").isNotNull();
        return fatal;
    }

    @Test
    void unknownMessageType() throws IOException {
        DataOutputStream out = connected();
        out.writeByte('!');
        out.writeInt(4);
        out.flush();
        assertThat(fatalAndClosed().get('C')).isEqualTo("08P01");
    }

    @Test
    void lengthShorterThanItself() throws IOException {
        DataOutputStream out = connected();
        out.writeByte('Q');
        out.writeInt(2);
        out.flush();
        assertThat(fatalAndClosed().get('C')).isEqualTo("08P01");
    }

    @Test
    void oversizedMessage() throws IOException {
        DataOutputStream out = connected();
        out.writeByte('Q');
        out.writeInt(100 << 20);
        out.flush();
        Map<Character, String> fatal = fatalAndClosed();
        assertThat(fatal.get('C')).isEqualTo("54000");
        assertThat(fatal.get('M')).contains("max-request-bytes");
    }

    @Test
    void malformedBody() throws IOException {
        DataOutputStream out = connected();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write("stmt-without-terminator".getBytes(StandardCharsets.UTF_8));
        out.writeByte('P');
        out.writeInt(4 + body.size());
        out.write(body.toByteArray());
        out.flush();
        assertThat(fatalAndClosed().get('C')).isEqualTo("08P01");
    }

    @Test
    void badStartupPacket() throws IOException {
        socket = new Socket("127.0.0.1", server.pgPort());
        socket.setSoTimeout(30_000);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(1 << 30);
        out.writeInt(3 << 16);
        out.flush();
        assertThat(fatalAndClosed().get('C')).isEqualTo("08P01");
    }

    @Test
    void unsupportedProtocolVersion() throws IOException {
        socket = new Socket("127.0.0.1", server.pgPort());
        socket.setSoTimeout(30_000);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(8);
        out.writeInt(2 << 16);
        out.flush();
        assertThat(fatalAndClosed().get('C')).isEqualTo("08P01");
    }

    @Test
    void truncatedMessageThenDisconnect() throws IOException {
        DataOutputStream out = connected();
        out.writeByte('Q');
        out.writeInt(100);
        out.write("SELECT".getBytes(StandardCharsets.UTF_8));
        out.flush();
        socket.close(); // the server waits for the rest, then sees the client gone; nothing else happens
    }
}
