package io.kvmtune.lab;

import java.util.List;

/**
 * One lab run: which kernel, on which virtual machine, with what set up before the tests, and
 * which test classes run inside.
 *
 * @param name a short name, also the results directory
 * @param flavour Debian kernel flavour: "amd64" or "rt-amd64"
 * @param machine the virtual hardware
 * @param setup shell run as root in the guest before the tests (may be empty); it can move the
 *     shell into a cgroup, since the test JVM is started from it
 * @param testClasses the JUnit classes to run inside
 */
record LabScenario(String name, String flavour, LabMachine machine, String setup, List<String> testClasses) {

    LabScenario {
        testClasses = List.copyOf(testClasses);
    }
}
