package io.kvmtune.core.apply;

import static io.kvmtune.core.apply.TestGuests.PID;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.files.FileVersion;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.qemu.ThreadRole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordStoreTest {

    @TempDir
    Path dir;

    private final TuningPlan plan = TestGuests.realtimePlan(4, 2, CpuSet.of(0, 1), false);
    private final ApplyRecord first = record(plan);
    private final ApplyRecord second = record(TestGuests.moved(plan, 3, 6));

    private static ApplyRecord record(TuningPlan plan) {
        ThreadSnapshot vcpu = new ThreadSnapshot(new ThreadIdentity(PID + 1, 77), "CPU 0/KVM", new ThreadRole.Vcpu(0),
                new ThreadState(CpuSet.range(0, 7), SchedSettings.normal()));
        return new ApplyRecord(new ThreadIdentity(PID, 70), plan, Optional.empty(),
                new Snapshot(List.of(vcpu), List.of(), List.of(), Optional.empty()));
    }

    @Test
    void theRecordThisStoreSavedIsLoadedWithoutReadingTheFile() {
        RecordStore store = new RecordStore(dir);
        store.save(first);

        assertThat(store.load(PID)).get().isSameAs(first);
        assertThat(new RecordStore(dir).load(PID)).as("another store reads the file").contains(first)
                .get().isNotSameAs(first);
    }

    @Test
    void eachGuestsRecordIsRememberedBesideTheOthers() {
        RecordStore store = new RecordStore(dir);
        ApplyRecord otherGuest = new ApplyRecord(new ThreadIdentity(PID + 100, 90), plan, Optional.empty(),
                first.snapshot());
        store.save(first);
        store.save(otherGuest);

        assertThat(store.load(PID)).get().as("not parsed again after another guest's record was saved")
                .isSameAs(first);
        assertThat(store.load(PID + 100)).get().isSameAs(otherGuest);
    }

    @Test
    void aRecordAnotherProcessDeletedIsGoneAndAnotherSavedUnderThatPidIsRead() throws Exception {
        RecordStore store = new RecordStore(dir);
        store.save(first);

        Files.delete(store.file(PID));
        assertThat(store.load(PID)).isEmpty();

        new RecordStore(dir).save(second);
        assertThat(store.load(PID)).contains(second);
    }

    @Test
    void aRecordAnotherProcessReplacedIsReadAgain() {
        RecordStore store = new RecordStore(dir);
        store.save(first);
        assertThat(store.load(PID)).contains(first);

        // a second store over the same directory stands for another kvmtune process
        new RecordStore(dir).save(second);

        assertThat(store.load(PID)).contains(second);
    }

    @Test
    void aRecordRewrittenInPlaceIsReadAgain() throws Exception {
        RecordStore store = new RecordStore(dir);
        store.save(first);

        Files.writeString(store.file(PID), Json.pretty(second) + "\n", StandardCharsets.UTF_8);

        assertThat(store.load(PID)).contains(second);
    }

    @Test
    void savingTheRecordTheFileHoldsAlreadyWritesNothingButAReplacedFileIsWrittenAgain() throws Exception {
        RecordStore store = new RecordStore(dir);
        store.save(first);
        Optional<FileVersion> saved = FileVersion.of(store.file(PID));

        store.save(record(plan));
        assertThat(FileVersion.of(store.file(PID))).as("an equal record leaves the file as it is").isEqualTo(saved);

        new RecordStore(dir).save(second);
        store.save(first);
        assertThat(new RecordStore(dir).load(PID)).contains(first);
    }

    @Test
    void aDeletedRecordIsGone() {
        RecordStore store = new RecordStore(dir);
        store.save(first);

        store.delete(PID);

        assertThat(store.load(PID)).isEmpty();
    }

    @Test
    void theDirectoryIsCreatedOnTheFirstSave() {
        RecordStore store = new RecordStore(dir.resolve("run/kvmtune"));

        store.save(first);

        assertThat(new RecordStore(dir.resolve("run/kvmtune")).load(PID)).contains(first);
    }
}
