package io.dl4jdebug.preflight;

/**
 * Where the checklist's kernel probe (a tiny mmul, sigmoid, sum and conv2d, see {@link KernelProbe}) runs.
 */
public enum KernelProbeMode {
    /** No probe: only the backend's class and, on CUDA, the GPUs' compute capability are checked. */
    OFF,
    /** In the checklist's own JVM: milliseconds, but a native crash of a GPU kernel takes the JVM down with it. */
    IN_PROCESS,
    /** In a child JVM started for the probe: seconds, and a native crash becomes a finding. */
    CHILD_JVM,
    /** {@link #IN_PROCESS} on the CPU backend, {@link #CHILD_JVM} on CUDA and on any other backend. */
    AUTO;

    /**
     * Resolves {@link #AUTO} for a backend; the other modes stay as they are.
     *
     * @param backend the backend ND4J runs on
     * @return OFF, IN_PROCESS or CHILD_JVM
     */
    public KernelProbeMode resolve(Backend backend) {
        if (this != AUTO) {
            return this;
        }
        return backend == Backend.CPU ? IN_PROCESS : CHILD_JVM;
    }
}
