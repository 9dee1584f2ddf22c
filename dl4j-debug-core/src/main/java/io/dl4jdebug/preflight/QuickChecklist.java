package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.NetworkOps;
import io.dl4jdebug.preflight.check.CheckContext;
import io.dl4jdebug.preflight.check.CheckResult;
import io.dl4jdebug.preflight.check.ChecklistCheck;
import io.dl4jdebug.preflight.check.Checks;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The method's quick checklist (section 3.1), run before training from a network and its data: data loads, is
 * finite and normalized; labels are valid and balanced; training and validation sets do not overlap; the forward
 * pass runs and fits the labels; the initial loss is near ln(C); loss, output activation and labels fit together;
 * every trainable parameter gets a gradient and changes after one step; dropout, batch normalization, learning rate
 * and batch size are plausible; the backend is the expected one and its kernels run (checked first: when the backend
 * does not work, every other item is SKIPPED); seeds are fixed and two repeated runs are bit-identical.
 *
 * <p>Every item gets PASS, WARN, FAIL or SKIPPED with its evidence; every WARN or FAIL comes with a {@link Finding}.
 * Checks that train or compute gradients run on copies of the network: the user's network, its parameters, updater
 * state and listeners are never touched. The iterators are reset before and after scanning when they support it (an
 * iterator that cannot reset is consumed by up to {@code maxBatches} minibatches). The determinism check re-seeds
 * ND4J's global random generator with the configured seed. A check that crashes is never thrown: its item is WARN
 * with the message "check &lt;id&gt; could not run: &lt;exception message&gt;" and a WARN finding under the check's own
 * symptom (the stack trace goes to the log).
 *
 * <p>Each item is one {@link ChecklistCheck} class registered in {@link Checks#defaults()}; this class runs the backend
 * item, then the registered checks in order with one shared {@link CheckContext}. Not thread safe.
 */
public final class QuickChecklist {

    private static final Logger LOG = LoggerFactory.getLogger(QuickChecklist.class);
    private static final String BACKEND_ID = "env.backend";

    private final ChecklistConfig config;

    /**
     * @param config thresholds and options
     */
    public QuickChecklist(ChecklistConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    /** @return a checklist with the default configuration */
    public static QuickChecklist withDefaults() {
        return new QuickChecklist(ChecklistConfig.defaults());
    }

    /**
     * Runs every check without a validation set (the leakage check is SKIPPED).
     *
     * @param model an initialised MultiLayerNetwork or ComputationGraph (single input, single output for the data
     *              checks)
     * @param train the training data
     * @return the report
     */
    public ChecklistReport run(Model model, DataSetIterator train) {
        return run(model, train, null);
    }

    /**
     * Runs every check.
     *
     * @param model      an initialised MultiLayerNetwork or ComputationGraph
     * @param train      the training data
     * @param validation the validation data, or null
     * @return the report
     */
    public ChecklistReport run(Model model, DataSetIterator train, DataSetIterator validation) {
        Objects.requireNonNull(model, "model must not be null");
        Objects.requireNonNull(train, "train iterator must not be null");
        NetworkOps ops = NetworkOps.of(model);
        List<ChecklistCheck> checks = Checks.defaults();
        List<ChecklistItem> items = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        // the backend first: on a GPU without kernels every other check would fail or crash natively
        if (!checkBackend(config, items, findings)) {
            checks.forEach(c -> items.add(new ChecklistItem(c.id(), c.level(), CheckStatus.SKIPPED,
                    "not run: the ND4J backend does not work on this machine (see env.backend)", Map.of())));
            return new ChecklistReport(items, findings);
        }
        CheckContext context = new CheckContext(config, ops, train, validation);
        for (ChecklistCheck check : checks) {
            CheckResult result = guarded(check.id(), check.level(), check.symptom(), () -> check.run(context));
            items.add(result.item());
            findings.addAll(result.findings());
        }
        return new ChecklistReport(items, findings);
    }

    /**
     * Runs only the {@code env.backend} item: a backend loads, it is the expected one, on CUDA every GPU's compute
     * capability is supported, and a tiny mmul/sigmoid/sum/conv2d runs correctly (see
     * {@link ChecklistConfig#kernelProbeMode()}). Needs no network: call it before {@code net.init()}, which already
     * runs ND4J operations.
     *
     * @return a report with the one item and its finding, if any
     */
    public ChecklistReport checkBackend() {
        List<ChecklistItem> items = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        checkBackend(config, items, findings);
        return new ChecklistReport(items, findings);
    }

    /**
     * Adds the {@code env.backend} item (and its finding) to the lists.
     *
     * @return false when the backend is unusable (none loads, an unsupported GPU, the kernel probe failed)
     */
    private static boolean checkBackend(ChecklistConfig config, List<ChecklistItem> items, List<Finding> findings) {
        boolean[] usable = {true};
        CheckResult result = guarded(BACKEND_ID, Level.CODE, Symptom.BACKEND_MISMATCH, () -> {
            BackendCheck.Verdict verdict = new BackendCheck(config).run();
            usable[0] = verdict.backendUsable();
            return new CheckResult(new ChecklistItem(BACKEND_ID, Level.CODE, verdict.status(), verdict.message(),
                    verdict.evidence()), verdict.finding() == null ? List.of() : List.of(verdict.finding()));
        });
        items.add(result.item());
        findings.addAll(result.findings());
        return usable[0];
    }

    /**
     * Runs one check outside any workspace; a check that throws becomes a WARN item and a WARN finding that say it
     * could not run.
     */
    private static CheckResult guarded(String id, Level level, Symptom symptom, Supplier<CheckResult> check) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return check.get();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("checklist item {} could not run", id, e);
            String message = "check " + id + " could not run: " + (e.getMessage() == null || e.getMessage().isBlank()
                    ? e.getClass().getName() : e.getMessage());
            Finding finding = Finding.builder(symptom, Severity.WARN, message)
                    .suggest("the stack trace is in the log (logger " + QuickChecklist.class.getName() + "); "
                                    + "what this check verifies is unchecked for this network",
                            "if the network trains with DL4J, report the stack trace with the network's "
                                    + "configuration to dl4j-debug")
                    .build();
            return new CheckResult(new ChecklistItem(id, level, CheckStatus.WARN, message, Map.of()),
                    List.of(finding));
        }
    }
}
