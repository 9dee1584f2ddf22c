package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Symptom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code env.backend} on a real GPU: {@code mvn -Pcuda test -pl dl4j-debug-core -Dgroups=gpu
 * -Dtest=BackendCheckGpuTest}. Excluded by default; NOT run so far (written without a GPU). On a GPU that
 * nd4j-cuda-11.6 supports the child-JVM probe must pass; on Hopper (9.0) the capability check must fail first.
 */
@Tag("gpu")
class BackendCheckGpuTest {

    @Test
    void cudaBackendIsCheckedByCapabilityAndChildJvmProbe() {
        ChecklistReport report = new QuickChecklist(ChecklistConfig.builder().expectedBackend(Backend.CUDA).build())
                .checkBackend();
        ChecklistItem item = report.item("env.backend").orElseThrow();
        List<CudaDevice> devices = CudaCapability.devices(Nd4j.getExecutioner().getEnvironmentInformation());
        assertThat(devices).as(item.message()).isNotEmpty();

        if (devices.stream().allMatch(CudaCapability::supported)) {
            assertThat(item.status()).as(item.message()).isEqualTo(CheckStatus.PASS);
            assertThat(item.message()).contains("in a child JVM on JCublasBackend");
            assertThat(item.evidence()).containsEntry("childJvm", 1.0);
        } else {
            assertThat(item.status()).as(item.message()).isEqualTo(CheckStatus.FAIL);
            Finding f = report.findings(Symptom.BACKEND_MISMATCH).get(0);
            assertThat(f.message()).contains("compute capability").contains("is not supported");
        }
    }

    @Test
    void childJvmProbeOnThisGpuNeverThrows() {
        // on Hopper this is where "no kernel image is available" (or a native crash) is expected: a FAILED result
        KernelProbeResult result = new ChildJvmKernelProbe(java.time.Duration.ofMinutes(5)).run();
        boolean supported = CudaCapability.devices(Nd4j.getExecutioner().getEnvironmentInformation()).stream()
                .allMatch(CudaCapability::supported);
        assertThat(result.isPassed()).as(result.detail()).isEqualTo(supported);
    }
}
