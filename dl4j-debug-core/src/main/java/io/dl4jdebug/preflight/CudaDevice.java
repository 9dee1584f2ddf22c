package io.dl4jdebug.preflight;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * One CUDA device as ND4J's CUDA backend reports it, with its compute capability.
 *
 * @param index the device number (its position in ND4J's device list)
 * @param name  the device name, e.g. "NVIDIA H100 80GB HBM3"
 * @param major the compute capability's major version, e.g. 9
 * @param minor the compute capability's minor version, e.g. 0
 */
public record CudaDevice(int index, String name, int major, int minor) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public CudaDevice {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0 but was " + index);
        }
        Objects.requireNonNull(name, "name must not be null");
        if (major < 0 || minor < 0 || minor > 9) {
            throw new IllegalArgumentException("compute capability must be >= 0.0 with a minor version 0-9 but was "
                    + major + "." + minor);
        }
    }

    /** @return the compute capability as a number, e.g. 8.6 */
    public double computeCapability() {
        return major + minor / 10.0;
    }

    /** @return the compute capability as text, e.g. "8.6" */
    public String capabilityText() {
        return major + "." + minor;
    }

    /** @return e.g. "GPU 0 'NVIDIA H100 80GB HBM3' (compute capability 9.0)" */
    public String describe() {
        return String.format(Locale.ROOT, "GPU %d '%s' (compute capability %s)", index, name, capabilityText());
    }
}
