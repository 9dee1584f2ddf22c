package io.dl4jdebug.samples.casestudy;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.preflight.ChecklistReport;
import io.dl4jdebug.preflight.MinimalExampleReport;

import java.util.List;

/**
 * What one network of the case study produced.
 *
 * @param name         "buggy" or "fixed"
 * @param checklist    the quick checklist before training
 * @param trainLoss    mean training loss per epoch (inference mode, whole training subset)
 * @param testLoss     test loss per epoch
 * @param testAccuracy test accuracy per epoch
 * @param minimal      the minimal example and bisection (buggy run only; null otherwise)
 * @param findings     every finding, most important first
 * @param diagnosis    the diagnosis (incidents, root cause first), verified on copies when that was asked for
 */
public record RunResult(String name, ChecklistReport checklist, List<Double> trainLoss, List<Double> testLoss,
                        List<Double> testAccuracy, MinimalExampleReport minimal, List<Finding> findings,
                        Diagnosis diagnosis) {

    /** Copies the lists. */
    public RunResult {
        trainLoss = List.copyOf(trainLoss);
        testLoss = List.copyOf(testLoss);
        testAccuracy = List.copyOf(testAccuracy);
        findings = List.copyOf(findings);
    }

    /** @return the last epoch's training loss */
    public double finalTrainLoss() {
        return trainLoss.get(trainLoss.size() - 1);
    }
}
