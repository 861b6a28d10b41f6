package io.kvmtune.agent;

/**
 * When a libvirt guest that runs with fewer vCPUs than planned gets the realtime runtime for the
 * realtime vCPUs not plugged in yet ({@code [agent] hotplug_runtime}), on hosts with realtime
 * group scheduling (cgroup v1), where every realtime vCPU group shares the host's runtime equally.
 */
public enum HotplugRuntime {
    /**
     * When the guest starts, with its other vCPUs: a vCPU plugged in is tuned at its birth with
     * nothing to share anew, and plugging it changes no other guest's share; until it is plugged
     * in, its share is set aside for it.
     */
    AHEAD,
    /**
     * When the vCPU is plugged in: the runtime is shared anew among all realtime vCPU groups then,
     * which takes milliseconds of the new vCPU's untuned window and can be refused if the host has
     * none left; until then the vCPUs running share all of it.
     */
    ON_PLUG;

    /** {@code ahead} or {@code on_plug}. */
    public String label() {
        return SettingChoice.label(this);
    }

    /** @throws io.kvmtune.core.InvalidInputException (key {@code [agent] hotplug_runtime}) for another value */
    public static HotplugRuntime of(String value) {
        return SettingChoice.of(HotplugRuntime.class, "hotplug_runtime", value);
    }
}
