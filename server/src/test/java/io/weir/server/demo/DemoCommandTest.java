package io.weir.server.demo;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code weir demo} keeps its data apart from the plain server's and says where. */
class DemoCommandTest {
    @Test
    void theDemoHasItsOwnDataDirectoryByDefault() {
        String help = DemoCommand.commandLine(Map.of()).getUsageMessage();
        assertThat(help).contains("--data-dir=DIR").contains("Default: " + Demo.DEFAULT_DATA_DIR + ".")
                .contains("apart from bin/weir's ./data");
        assertThat(Demo.DEFAULT_DATA_DIR).isNotEqualTo(io.weir.server.config.ServerOptions.DATA_DIR.defaultText());
    }

    @Test
    void itSaysWhereItsDataIs() {
        assertThat(DemoCommand.dataDirNote(Path.of("/home/ann/weir/demo-data")))
                .contains("/home/ann/weir/demo-data").contains("./data");
    }
}
