package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.diagnose.Finding;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one check returns: its item and the findings behind it (none for PASS and SKIPPED, at least one for WARN and
 * FAIL).
 *
 * @param item     the checklist item
 * @param findings the findings, most important first
 */
public record CheckResult(ChecklistItem item, List<Finding> findings) {

    /** Validates that problems carry findings and copies the list. */
    public CheckResult {
        Objects.requireNonNull(item, "item");
        findings = List.copyOf(findings);
        if (item.status().isProblem() && findings.isEmpty()) {
            throw new IllegalArgumentException("checklist item " + item.id() + " is " + item.status()
                    + " but carries no finding");
        }
    }

    /**
     * @param check    the check
     * @param message  what was checked and seen
     * @param evidence the numbers
     * @return a PASS item at the check's level
     */
    public static CheckResult pass(ChecklistCheck check, String message, Map<String, Double> evidence) {
        return new CheckResult(new ChecklistItem(check.id(), check.level(), CheckStatus.PASS, message, evidence),
                List.of());
    }

    /**
     * @param check  the check
     * @param reason why it could not judge (missing input, not applicable)
     * @return a SKIPPED item at the check's level
     */
    public static CheckResult skip(ChecklistCheck check, String reason) {
        return new CheckResult(new ChecklistItem(check.id(), check.level(), CheckStatus.SKIPPED, reason, Map.of()),
                List.of());
    }

    /**
     * @param check   the check
     * @param status  WARN or FAIL
     * @param message the item's message
     * @param found   the findings, at least one; the item takes the first one's level and evidence
     * @return the problem item and its findings
     */
    public static CheckResult problem(ChecklistCheck check, CheckStatus status, String message, List<Finding> found) {
        if (!status.isProblem() || found.isEmpty()) {
            throw new IllegalArgumentException("a problem item needs status WARN or FAIL and a finding, but "
                    + check.id()
                    + " has " + status + " and " + found.size() + " findings");
        }
        Finding lead = found.get(0);
        return new CheckResult(new ChecklistItem(check.id(), lead.level(), status, message, lead.evidence()), found);
    }

    /**
     * @param check   the check
     * @param status  WARN or FAIL
     * @param finding the one finding; its message is the item's
     * @return the problem item and its finding
     */
    public static CheckResult problem(ChecklistCheck check, CheckStatus status, Finding finding) {
        return problem(check, status, finding.message(), List.of(finding));
    }

    /** @return the SKIPPED item of a check that needs the first training minibatch */
    static CheckResult noData(ChecklistCheck check) {
        return skip(check, "no training minibatch could be read (see data.loads)");
    }

    /** @return the SKIPPED item of a check that needs a working forward pass */
    static CheckResult noForward(ChecklistCheck check) {
        return skip(check, "the forward pass did not run (see model.forward)");
    }
}
