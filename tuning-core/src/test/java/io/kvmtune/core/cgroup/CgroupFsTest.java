package io.kvmtune.core.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.qemu.ProcCgroup;
import io.kvmtune.core.qemu.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupFsTest {

    @TempDir
    Path root;

    private Path proc() {
        return root.resolve("proc");
    }

    private Path cg() {
        return root.resolve("cgroup");
    }

    private void file(Path p, String text) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private List<ProcCgroup> thread(String lines) throws Exception {
        file(proc().resolve("7/task/8/cgroup"), lines);
        return new CgroupFs(new ProcFs(proc()), cg()).membership(7, 8).orElseThrow();
    }

    @Test
    void findsAJoinedV1MountAndASeparateOne() throws Exception {
        file(cg().resolve("cpu,cpuacct/machine/vcpu0/cpu.rt_runtime_us"), "0\n");
        file(cg().resolve("cpuset/machine/vcpu0/cpuset.cpus"), "0-3\n");
        List<ProcCgroup> m = thread("4:cpu,cpuacct:/machine/vcpu0\n3:cpuset:/machine/vcpu0\n0::/\n");
        CgroupFs fs = new CgroupFs(new ProcFs(proc()), cg());

        CgroupGroup cpu = fs.group(m, "cpu").orElseThrow();
        assertThat(cpu.toString()).isEqualTo("cpu,cpuacct/machine/vcpu0");
        assertThat(fs.read(cpu.file("cpu.rt_runtime_us"))).isEqualTo("0");
        assertThat(fs.group(m, "cpuset").orElseThrow().toString()).isEqualTo("cpuset/machine/vcpu0");
        assertThat(fs.group(m, "cpuset").orElseThrow().procName()).isEqualTo("cpuset:/machine/vcpu0");
        assertThat(new CgroupGroup("", "/machine.slice", true).procName()).isEqualTo("/machine.slice");
    }

    @Test
    void usesTheUnifiedHierarchyOnlyWhereTheControllerIsEnabled() throws Exception {
        file(cg().resolve("cgroup.controllers"), "cpuset cpu\n");
        file(cg().resolve("a/cgroup.controllers"), "cpu\n");
        List<ProcCgroup> m = thread("0::/a\n");
        CgroupFs fs = new CgroupFs(new ProcFs(proc()), cg());

        assertThat(fs.group(m, "cpu")).get().satisfies(g -> {
            assertThat(g.v2()).isTrue();
            assertThat(g.hierarchy()).isEmpty();
            assertThat(g.toString()).isEqualTo("a");
        });
        assertThat(fs.group(m, "cpuset")).isEmpty();
    }

    @Test
    void findsAHybridHostsUnifiedHierarchy() throws Exception {
        file(cg().resolve("unified/cgroup.controllers"), "\n");
        List<ProcCgroup> m = thread("0::/\n");

        assertThat(new CgroupFs(new ProcFs(proc()), cg()).group(m, "cpuset")).isEmpty();
    }

    @Test
    void anExitedThreadHasNoMembership() {
        assertThat(new CgroupFs(new ProcFs(proc()), cg()).membership(7, 9)).isEmpty();
    }

    @Test
    void writesReplaceTheValueAndMissingGroupsAreReportedGone() throws Exception {
        file(cg().resolve("cpuset/g/cpuset.cpus"), "0-15\n");
        CgroupFs fs = new CgroupFs(new ProcFs(proc()), cg());
        CgroupFile cpus = new CgroupGroup("cpuset", "/g", false).file("cpuset.cpus");

        fs.write(cpus, "3");

        assertThat(Files.readString(cg().resolve("cpuset/g/cpuset.cpus"))).isEqualTo("3\n");
        CgroupFile missing = new CgroupGroup("cpuset", "/gone", false).file("cpuset.cpus");
        assertThatThrownBy(() -> fs.write(missing, "1")).isInstanceOfSatisfying(CgroupException.class,
                e -> assertThat(e.gone()).isTrue())
                .hasMessage("cannot write '1' to cpuset/gone/cpuset.cpus: the group or file does not exist");
        assertThat(fs.readIfPresent(missing)).isEmpty();
        CgroupFile absentFile = new CgroupGroup("cpuset", "/g", false).file("cpuset.mems");
        assertThatThrownBy(() -> fs.write(absentFile, "0")).as("a file the group lacks is not made")
                .isInstanceOfSatisfying(CgroupException.class, e -> assertThat(e.gone()).isTrue());
        assertThat(cg().resolve("cpuset/g/cpuset.mems")).doesNotExist();
    }

    @Test
    void aKernelRefusalKeepsItsReason() throws Exception {
        Files.createDirectories(cg().resolve("cpuset/g/cpuset.cpus"));
        CgroupFile cpus = new CgroupGroup("cpuset", "/g", false).file("cpuset.cpus");

        assertThatThrownBy(() -> new CgroupFs(new ProcFs(proc()), cg()).write(cpus, "3"))
                .isInstanceOfSatisfying(CgroupException.class, e -> {
                    assertThat(e.gone()).isFalse();
                    assertThat(e).hasMessageStartingWith("cannot write '3' to cpuset/g/cpuset.cpus: ");
                });
    }

    @Test
    void childrenByNameAreTheMatchingGroupsOnlyInNameOrder() throws Exception {
        file(cg().resolve("cpuset/g/vcpu10/cpuset.cpus"), "3\n");
        file(cg().resolve("cpuset/g/vcpu2/cpuset.cpus"), "2\n");
        file(cg().resolve("cpuset/g/emulator/cpuset.cpus"), "0\n");
        file(cg().resolve("cpuset/g/vcpu7"), "a file, not a group\n");
        CgroupFs fs = new CgroupFs(new ProcFs(proc()), cg());
        CgroupGroup g = new CgroupGroup("cpuset", "/g", false);

        assertThat(fs.children(g, LibvirtThreadGroups::isVcpuGroupName)).extracting(CgroupGroup::name)
                .containsExactly("vcpu10", "vcpu2");
        assertThat(fs.children(g, n -> n.equals("iothread1"))).isEmpty();
        assertThat(fs.children(g.child("gone"), n -> true)).isEmpty();
    }

    @Test
    void groupNamesCannotLeaveTheRoot() {
        assertThatThrownBy(() -> new CgroupGroup("cpuset", "/a/../../etc", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CgroupGroup("cpuset", "/", false).child("..")).isInstanceOf(IllegalArgumentException.class);
    }
}
