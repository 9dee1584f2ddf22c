package io.dl4jdebug.preflight;

import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;

/** The family of ND4J backend a JVM runs on. */
public enum Backend {
    /** nd4j-native: the CPU backend. */
    CPU,
    /** nd4j-cuda: an NVIDIA GPU. */
    CUDA,
    /** Any other backend (e.g. a future or third-party one). */
    OTHER;

    /**
     * Classifies an ND4J backend by its class name ({@code CpuBackend}, {@code JCublasBackend}).
     *
     * @param backendClassName the backend's class name, simple or qualified
     * @return its family
     */
    public static Backend ofClassName(String backendClassName) {
        String n = backendClassName == null ? "" : backendClassName.toLowerCase(Locale.ROOT);
        if (n.contains("cpu") || n.contains("native")) {
            return CPU;
        }
        if (n.contains("cublas") || n.contains("cuda")) {
            return CUDA;
        }
        return OTHER;
    }

    /**
     * The backend ND4J loaded in this JVM. Loads it when it was not loaded yet.
     *
     * @return the backend's family
     * @throws RuntimeException or {@link LinkageError} when ND4J cannot load a backend (callers turn it into a
     *                          finding)
     */
    public static Backend current() {
        return ofClassName(Nd4j.getBackend().getClass().getName());
    }
}
