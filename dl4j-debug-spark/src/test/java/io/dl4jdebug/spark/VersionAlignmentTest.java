package io.dl4jdebug.spark;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module's test classpath holds one version of each DL4J, ND4J and DataVec artifact, 1.0.0-M2.1, except the
 * Spark artifacts that are not published at M2.1 (read from the jars' Maven repository paths).
 */
class VersionAlignmentTest {

    private static final Pattern JAR = Pattern.compile(
            "/org/(nd4j|deeplearning4j|datavec)/([^/]+)/([^/]+)/[^/]+\\.jar$");
    private static final Set<String> ONLY_AT_M2 = Set.of("dl4j-spark_2.12", "nd4j-kryo_2.12",
            "nd4j-parameter-server-node_2.12", "dl4j-spark-parameterserver_2.12");

    @Test
    void oneVersionPerArtifactAndM21ExceptTheUnpublishedSparkArtifacts() {
        Map<String, Set<String>> versions = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Matcher m = JAR.matcher(entry.replace(File.separatorChar, '/'));
            if (m.find()) {
                versions.computeIfAbsent("org." + m.group(1) + ":" + m.group(2), k -> new TreeSet<>()).add(m.group(3));
            }
        }
        assertThat(versions).containsKeys("org.deeplearning4j:dl4j-spark_2.12", "org.nd4j:nd4j-api",
                "org.deeplearning4j:deeplearning4j-nn");
        versions.forEach((artifact, v) -> {
            assertThat(v).as(artifact).hasSize(1);
            String expected = ONLY_AT_M2.contains(artifact.substring(artifact.indexOf(':') + 1)) ? "1.0.0-M2"
                    : "1.0.0-M2.1";
            assertThat(v).as(artifact).containsExactly(expected);
        });
    }
}
