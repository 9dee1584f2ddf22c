package com.example.bare;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * dl4j-debug-ui (and through it dl4j-debug-core) on a classpath of its own: no ND4J backend and no SLF4J binding
 * come with it; the user adds the ones they want (see README, "Use it in your project").
 */
class NothingChosenForTheUserTest {

    @Test
    void noNd4jBackend() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.nd4j.linalg.cpu.nativecpu.CpuBackend"),
                "nd4j-native (the CPU backend) came with dl4j-debug");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.nd4j.linalg.jcublas.JCublasBackend"),
                "nd4j-cuda came with dl4j-debug");
    }

    @Test
    void noLoggingBinding() throws IOException {
        List<URL> bindings = Collections.list(getClass().getClassLoader()
                .getResources("org/slf4j/impl/StaticLoggerBinder.class"));
        assertEquals(List.of(), bindings, "SLF4J bindings that came with dl4j-debug");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ch.qos.logback.classic.Logger"),
                "Logback came with dl4j-debug");
    }

    @Test
    void theApiIsThere() throws ClassNotFoundException {
        // compile and run time: the library's own classes and what their signatures need resolve without a backend
        Class.forName("io.dl4jdebug.check.TrainingCheck");
        Class.forName("io.dl4jdebug.ui.StatsStorageSink");
        Class.forName("org.deeplearning4j.nn.multilayer.MultiLayerNetwork");
    }
}
