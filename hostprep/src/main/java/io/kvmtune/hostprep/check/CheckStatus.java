package io.kvmtune.hostprep.check;

/** How a readiness check came out. */
public enum CheckStatus {
    /** The host does what a real-time guest needs. */
    PASS,
    /** Measurable jitter or a risk, but real-time guests can run. */
    WARN,
    /** Real-time guests will miss deadlines or fail to start their RT threads. */
    FAIL,
    /** The kernel lacks the feature, or the evidence could not be read; the reason says which. */
    UNSUPPORTED
}
