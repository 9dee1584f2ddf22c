package io.dl4jdebug.preflight;

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
}
