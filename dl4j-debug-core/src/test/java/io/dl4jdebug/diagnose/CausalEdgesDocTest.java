package io.dl4jdebug.diagnose;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/report.md lists every cause → effect edge of {@link CausalEdges}, with its reason. */
class CausalEdgesDocTest {

    @Test
    void everyEdgeIsDocumentedWithItsReason() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("../docs/report.md")).stream()
                .filter(l -> l.startsWith("| `")).toList();
        for (CausalEdges.Edge e : CausalEdges.all()) {
            assertThat(rows).as("docs/report.md row for %s -> %s", e.cause(), e.effect())
                    .anyMatch(r -> r.startsWith("| `" + e.cause() + "` |") && r.contains("`" + e.effect() + "`")
                            && r.contains(e.reason()));
        }
    }
}
