package io.dl4jdebug.diagnose;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the rules free of ND4J and DL4J: they must test on plain numbers in milliseconds. */
class DiagnosePackageIsPlainJavaTest {

    private static final Pattern FORBIDDEN = Pattern.compile("^\\s*import\\s+(static\\s+)?org\\.(nd4j|deeplearning4j)\\.",
            Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\borg\\.(nd4j|deeplearning4j)\\.[a-z]");

    @Test
    void noDiagnoseSourceImportsNd4jOrDl4j() throws IOException {
        Path dir = Path.of("src/main/java/io/dl4jdebug/diagnose");
        assertThat(dir).isDirectory();
        List<Path> sources;
        try (Stream<Path> s = Files.list(dir)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
        assertThat(sources).hasSizeGreaterThan(5);
        for (Path p : sources) {
            String text = Files.readString(p);
            assertThat(FORBIDDEN.matcher(text).find()).as("%s imports org.nd4j/org.deeplearning4j", p).isFalse();
            assertThat(QUALIFIED.matcher(text.replaceAll("(?s)/\\*.*?\\*/", "")).find())
                    .as("%s names an org.nd4j/org.deeplearning4j type", p).isFalse();
        }
    }

    @Test
    void compiledRulesDoNotReferenceNd4jOrDl4jClasses() throws IOException {
        Path dir = Path.of("target/classes/io/dl4jdebug/diagnose");
        assertThat(dir).isDirectory();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".class")).collect(Collectors.toList())) {
                String constants = new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(constants).as("%s references ND4J/DL4J", p)
                        .doesNotContain("org/nd4j/").doesNotContain("org/deeplearning4j/");
            }
        }
    }
}
