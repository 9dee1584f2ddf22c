package com.example.training;

import io.dl4jdebug.Dl4jDebug;
import io.dl4jdebug.config.DebugConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What dl4j-debug-core brings to a user's classpath: what its main code needs, and no logging binding. */
class ClasspathTest {

    @Test
    void theOnlySlf4jBindingIsTheOneThisProjectChose() throws IOException {
        List<URL> bindings = Collections.list(getClass().getClassLoader()
                .getResources("org/slf4j/impl/StaticLoggerBinder.class"));
        assertEquals(1, bindings.size(), "SLF4J bindings on the classpath: " + bindings);
        assertTrue(bindings.get(0).toString().contains("slf4j-simple"), bindings.get(0).toString());
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ch.qos.logback.classic.Logger"),
                "dl4j-debug-core must not bring Logback");
    }

    @Test
    void theJsonReportIsWritten(@TempDir Path dir) throws IOException {
        // the report needs jackson-databind at run time: a test-scoped or missing dependency leaves no file
        Path report = dir.resolve("report.json");
        var net = TrainingHealthTest.net(new Adam(1e-3));
        try (Dl4jDebug.Session debug = Dl4jDebug.attach(net, DebugConfig.builder().detectAnomaly(false)
                .reportFile(report).build())) {
            net.fit(debug.guard(TrainingHealthTest.data()), 1);
        }
        assertTrue(Files.size(report) > 0, "no report at " + report);
        String json = Files.readString(report);
        assertTrue(json.startsWith("{") && json.contains("\"incidents\""), json.substring(0, Math.min(200, json.length())));
    }
}
