package io.weir.spi.connector;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Paths inside the roots pass; {@code ..}, links and dangling links leading out are refused, with the rule in the message. */
class FileRootsTest {
    @TempDir
    Path temp;

    private FileRoots roots(Path... roots) {
        return FileRoots.of(List.of(roots));
    }

    private static void assertRefused(Runnable check) {
        assertThatThrownBy(check::run)
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INSUFFICIENT_PRIVILEGE))
                .hasMessageContaining("is outside the directories the server may read and write")
                .hasMessageContaining("--file-roots");
    }

    @Test
    void pathsUnderARootPassAndRelativeOnesAreTakenUnderTheFirst() throws Exception {
        Path root = Files.createDirectories(temp.resolve("root"));
        Path other = Files.createDirectories(temp.resolve("other"));
        FileRoots roots = roots(root, other);
        assertThat(roots.resolve("stream 's'", "path", root.resolve("a.json").toString())).isEqualTo(root.resolve("a.json"));
        assertThat(roots.resolve("stream 's'", "path", other.resolve("new/dir").toString())).isEqualTo(other.resolve("new/dir"));
        assertThat(roots.resolve("stream 's'", "path", "sub/b.json")).isEqualTo(root.resolve("sub/b.json"));
        assertThat(roots.resolve("stream 's'", "path", root + "/x/../c.json")).isEqualTo(root.resolve("c.json"));
        // a root that does not exist yet still confines
        FileRoots later = roots(temp.resolve("later"));
        assertThat(later.resolve("s", "path", temp.resolve("later/d").toString())).isEqualTo(temp.resolve("later/d"));
        assertRefused(() -> later.resolve("s", "path", temp.resolve("elsewhere").toString()));
    }

    @Test
    void pathsOutsideOrClimbingOutAreRefused() throws Exception {
        Path root = Files.createDirectories(temp.resolve("root"));
        FileRoots roots = roots(root);
        assertRefused(() -> roots.resolve("s", "path", "/etc/passwd"));
        assertRefused(() -> roots.resolve("s", "path", root + "/../outside.json"));
        assertRefused(() -> roots.resolve("s", "path", "../../etc/passwd"));
        // a sibling whose name starts with the root's is not under it
        assertRefused(() -> roots.resolve("s", "path", temp.resolve("root-2/a.json").toString()));
    }

    @Test
    void linksLeadingOutAreRefusedWhereverTheyAre() throws Exception {
        Path root = Files.createDirectories(temp.resolve("root"));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.json"), "{}");
        FileRoots roots = roots(root);
        // the file itself, a directory on the way, and a link to a path that does not exist yet (a sink would create it)
        Files.createSymbolicLink(root.resolve("file-link.json"), outside.resolve("secret.json"));
        Files.createSymbolicLink(root.resolve("dir-link"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet"));
        assertRefused(() -> roots.resolve("s", "path", root.resolve("file-link.json").toString()));
        assertRefused(() -> roots.resolve("s", "path", root.resolve("dir-link/secret.json").toString()));
        assertRefused(() -> roots.resolve("s", "path", root.resolve("dangling/part-0.jsonl").toString()));
        assertRefused(() -> roots.checkFile("s", root.resolve("file-link.json")));
        // a link that stays inside is fine
        Files.createDirectories(root.resolve("data"));
        Files.createSymbolicLink(root.resolve("inner-link"), root.resolve("data"));
        assertThat(roots.resolve("s", "path", root.resolve("inner-link/x.json").toString())).isEqualTo(root.resolve("inner-link/x.json"));
    }

    @Test
    void aRootThatIsALinkConfinesToWhereItLeads() throws Exception {
        Path real = Files.createDirectories(temp.resolve("real"));
        Path link = Files.createSymbolicLink(temp.resolve("link-root"), real);
        FileRoots roots = roots(link);
        assertThat(roots.resolve("s", "path", real.resolve("a.json").toString())).isEqualTo(real.resolve("a.json"));
        assertThat(roots.resolve("s", "path", "b.json")).isEqualTo(link.resolve("b.json"));
        assertRefused(() -> roots.resolve("s", "path", temp.resolve("a.json").toString()));
    }
}
