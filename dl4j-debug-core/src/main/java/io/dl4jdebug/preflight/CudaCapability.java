package io.dl4jdebug.preflight;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Which GPUs the nd4j-cuda-11.6 1.0.0-M2.1 build has code for. Its {@code libnd4jcuda.so} carries binary code (SASS)
 * for sm_37, 50, 52, 60, 61, 70, 75, 80 and 86 and no PTX, so no code can be compiled just in time for newer GPUs.
 * Binary code runs on a device of the same major version and an equal or higher minor version: capabilities 3.7,
 * 5.x, 6.x, 7.x and 8.x are covered; below 3.7 and 9.0 (Hopper: H100, H200) and above are not, and every ND4J
 * operation there fails with "no kernel image is available for execution on the device".
 *
 * <p>Pure functions over ND4J's environment {@link Properties}: testable without a GPU. Thread safe.
 */
public final class CudaCapability {

    private static final Logger LOG = LoggerFactory.getLogger(CudaCapability.class);
    /** ND4J's keys (org.nd4j.linalg.api.environment.Nd4jEnvironment), filled by the CUDA executioner only. */
    static final String DEVICES_KEY = "cuda.devicesInformation";
    static final String NAME_KEY = "cuda.deviceName";
    static final String MAJOR_KEY = "cuda.deviceMajor";
    static final String MINOR_KEY = "cuda.deviceMinor";
    /** The SASS architectures in nd4j-cuda-11.6 1.0.0-M2.1's libnd4jcuda.so (major * 10 + minor). */
    static final List<Integer> SASS_ARCHITECTURES = List.of(37, 50, 52, 60, 61, 70, 75, 80, 86);
    /** What the build supports, in words, for messages. */
    public static final String SUPPORTED_TEXT = "binary GPU code for compute capabilities "
            + SASS_ARCHITECTURES.stream().map(a -> a / 10 + "." + a % 10).collect(Collectors.joining(", "))
            + " and no PTX, so it runs on GPUs of capability 3.7 and 5.0 to 8.x only";

    private CudaCapability() {
    }

    /**
     * Reads the CUDA devices from {@code Nd4j.getExecutioner().getEnvironmentInformation()}.
     *
     * @param environment ND4J's environment properties
     * @return the devices in ND4J's order; empty on the CPU backend (no {@value #DEVICES_KEY} key). A device whose
     *         capability cannot be read is left out and logged.
     */
    public static List<CudaDevice> devices(Properties environment) {
        Object list = environment.get(DEVICES_KEY);
        if (!(list instanceof List<?> entries)) {
            if (list != null) {
                LOG.warn("ND4J's {} is a {}, not a list: compute capabilities not checked", DEVICES_KEY,
                        list.getClass().getName());
            }
            return List.of();
        }
        List<CudaDevice> devices = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (!(entries.get(i) instanceof Map<?, ?> info)) {
                LOG.warn("ND4J's CUDA device {} has no information map: its compute capability is not checked", i);
                continue;
            }
            Integer major = number(info.get(MAJOR_KEY));
            Integer minor = number(info.get(MINOR_KEY));
            if (major == null || minor == null || major < 0 || minor < 0 || minor > 9) {
                LOG.warn("ND4J's CUDA device {} reports compute capability {}.{}: not checked", i,
                        info.get(MAJOR_KEY), info.get(MINOR_KEY));
                continue;
            }
            Object name = info.get(NAME_KEY);
            devices.add(new CudaDevice(i, name == null ? "unnamed" : name.toString(), major, minor));
        }
        return List.copyOf(devices);
    }

    private static Integer number(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value != null) {
            try {
                return Integer.parseInt(value.toString().trim());
            } catch (NumberFormatException e) {
                LOG.debug("not a number: {}", value, e);
            }
        }
        return null;
    }

    /**
     * Whether nd4j-cuda-11.6 1.0.0-M2.1 has binary code that runs on a device: one of its architectures has the
     * device's major version and a minor version no higher than the device's.
     *
     * @param device the device
     * @return true when ND4J's kernels can run on it
     */
    public static boolean supported(CudaDevice device) {
        return SASS_ARCHITECTURES.stream()
                .anyMatch(a -> a / 10 == device.major() && a % 10 <= device.minor());
    }
}
