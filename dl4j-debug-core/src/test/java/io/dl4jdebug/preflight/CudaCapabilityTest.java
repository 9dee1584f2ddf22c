package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The compute-capability check on environment properties shaped like nd4j-cuda-11.6's CudaExecutioner's. */
class CudaCapabilityTest {

    /** As CudaExecutioner.getEnvironmentInformation() fills them: name String, major/minor Long. */
    private static Properties cuda(Object[]... devices) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Object[] d : devices) {
            Map<String, Object> info = new HashMap<>();
            info.put("cuda.deviceName", d[0]);
            info.put("cuda.deviceMajor", d[1]);
            info.put("cuda.deviceMinor", d[2]);
            info.put("cuda.totalMemory", 80L << 30);
            list.add(info);
        }
        Properties p = new Properties();
        p.put("backend", "CUDA");
        p.put("cuda.availableDevices", devices.length);
        p.put("cuda.devicesInformation", list);
        return p;
    }

    private static CudaDevice only(Properties p) {
        List<CudaDevice> devices = CudaCapability.devices(p);
        assertThat(devices).hasSize(1);
        return devices.get(0);
    }

    @Test
    void hopperIsNotSupported() {
        CudaDevice h100 = only(cuda(new Object[] {"NVIDIA H100 80GB HBM3", 9L, 0L}));
        assertThat(h100).isEqualTo(new CudaDevice(0, "NVIDIA H100 80GB HBM3", 9, 0));
        assertThat(h100.computeCapability()).isEqualTo(9.0);
        assertThat(CudaCapability.supported(h100)).isFalse();
    }

    @Test
    void ampereAndAdaAreSupportedByBinaryCompatibility() {
        assertThat(CudaCapability.supported(only(cuda(new Object[] {"NVIDIA A100-SXM4-80GB", 8L, 0L})))).isTrue();
        assertThat(CudaCapability.supported(only(cuda(new Object[] {"NVIDIA GeForce RTX 3090", 8L, 6L})))).isTrue();
        // no sm_89 code, but sm_86 binary code runs on 8.9
        CudaDevice ada = only(cuda(new Object[] {"NVIDIA L4", 8L, 9L}));
        assertThat(ada.computeCapability()).isEqualTo(8.9);
        assertThat(CudaCapability.supported(ada)).isTrue();
    }

    @Test
    void theOldestAndNewestBoundaries() {
        assertThat(CudaCapability.supported(new CudaDevice(0, "Tesla K80", 3, 7))).isTrue();
        assertThat(CudaCapability.supported(new CudaDevice(0, "Tesla K40", 3, 5))).isFalse();
        assertThat(CudaCapability.supported(new CudaDevice(0, "Tesla V100", 7, 0))).isTrue();
        assertThat(CudaCapability.supported(new CudaDevice(0, "Jetson Xavier", 7, 2))).isTrue();
        assertThat(CudaCapability.supported(new CudaDevice(0, "Blackwell", 10, 0))).isFalse();
        assertThat(CudaCapability.supported(new CudaDevice(0, "GeForce RTX 5090", 12, 0))).isFalse();
    }

    @Test
    void cpuPropertiesHaveNoDevices() {
        Properties cpu = new Properties();
        cpu.put("cores", 2);
        cpu.put("os", "Linux");
        assertThat(CudaCapability.devices(cpu)).isEmpty();
        // the real CPU backend's environment, too
        assertThat(CudaCapability.devices(Nd4j.getExecutioner().getEnvironmentInformation())).isEmpty();
    }

    @Test
    void numbersAsTextAndUnreadableDevicesAreHandled() {
        Properties p = cuda(new Object[] {"text", "8", " 6 "}, new Object[] {"broken", null, 0L},
                new Object[] {"H200", 9, 0});
        List<CudaDevice> devices = CudaCapability.devices(p);
        assertThat(devices).extracting(CudaDevice::name).containsExactly("text", "H200");
        assertThat(devices).extracting(CudaDevice::index).containsExactly(0, 2);
        assertThat(devices.get(0).capabilityText()).isEqualTo("8.6");
    }

    @Test
    void anUnsupportedGpuBecomesABackendMismatchNamingDeviceCapabilityAndFixes() {
        List<CudaDevice> devices = CudaCapability.devices(cuda(new Object[] {"NVIDIA H100 80GB HBM3", 9L, 0L}));
        Finding f = BackendCheck.unsupportedGpu("JCublasBackend", devices).orElseThrow();

        assertThat(f.symptom()).isEqualTo(Symptom.BACKEND_MISMATCH);
        assertThat(f.level()).isEqualTo(Level.CODE);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.message()).contains("GPU 0 'NVIDIA H100 80GB HBM3' (compute capability 9.0)")
                .contains("nd4j-cuda-11.6 1.0.0-M2.1")
                .contains("3.7, 5.0, 5.2, 6.0, 6.1, 7.0, 7.5, 8.0, 8.6")
                .contains("no kernel image is available for execution on the device");
        assertThat(f.evidence()).containsEntry("computeCapability", 9.0).containsEntry("deviceIndex", 0.0)
                .containsEntry("unsupportedDevices", 1.0);
        assertThat(f.suggestions()).hasSize(3);
        assertThat(f.suggestions().get(0)).contains("nd4j-native");
        assertThat(f.suggestions().get(1)).contains("8.x");
        assertThat(f.suggestions().get(2)).contains("sm_90").contains("CUDA 12");
    }

    @Test
    void supportedGpusGiveNoFindingAndMixedMachinesGetCudaVisibleDevices() {
        assertThat(BackendCheck.unsupportedGpu("JCublasBackend", CudaCapability.devices(cuda(
                new Object[] {"NVIDIA A100-SXM4-80GB", 8L, 0L}, new Object[] {"NVIDIA L4", 8L, 9L})))).isEmpty();
        assertThat(BackendCheck.unsupportedGpu("CpuBackend", List.of())).isEmpty();

        Finding mixed = BackendCheck.unsupportedGpu("JCublasBackend", CudaCapability.devices(cuda(
                new Object[] {"NVIDIA H100 80GB HBM3", 9L, 0L}, new Object[] {"NVIDIA A100-SXM4-80GB", 8L, 0L})))
                .orElseThrow();
        assertThat(mixed.suggestions()).anySatisfy(s -> assertThat(s).startsWith("hide the unsupported GPUs: "
                + "CUDA_VISIBLE_DEVICES=1 "));
    }
}
