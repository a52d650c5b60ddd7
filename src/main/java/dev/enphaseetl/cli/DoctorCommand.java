package dev.enphaseetl.cli;

import java.util.List;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import dev.enphaseetl.ops.Doctor;

import picocli.CommandLine.Command;

/** {@code enphase-etl doctor}: one line per finding; exit 1 when something is wrong. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check what the pipeline needs, one line per finding (ok or FAIL): each gateway reachable,"
        + " its firmware, certificate and token (days left), each sink reachable with the reason, free disk space for the"
        + " spool, dead letters waiting. Writes no readings. Exit 0 when all is well, 1 when something is wrong.")
public class DoctorCommand implements Callable<Integer> {

    @Inject
    Doctor doctor;

    @Override
    public Integer call() {
        List<Doctor.Finding> findings = doctor.examine();
        findings.forEach(f -> System.out.println(f.line()));
        long failed = findings.stream().filter(f -> !f.ok()).count();
        System.out.println(failed == 0
                ? "all " + findings.size() + " checks ok"
                : failed + " of " + findings.size()
                        + " checks failed");
        return failed == 0 ? 0 : 1;
    }
}
