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

    private static ThreadSnapshot born(int tid) {
        return new ThreadSnapshot(new ThreadIdentity(tid, 99), "CPU 1/KVM", new ThreadRole.Vcpu(1),
                new ThreadState(CpuSet.of(0), SchedSettings.normal()));
    }

    private static ApplyRecord applied(ApplyRecord to, TuningPlan plan, ThreadSnapshot... threads) {
        return new ApplyRecord(to.process(), plan, to.qmpSocket(),
                new Snapshot(List.of(threads), List.of(), List.of(), Optional.empty()));
    }

    private static ApplyRecord merged(ApplyRecord record, ThreadSnapshot... added) {
        return new ApplyRecord(record.process(), record.plan(), record.qmpSocket(), record.snapshot()
                .mergedWith(new Snapshot(List.of(added), List.of(), List.of(), Optional.empty())));
    }

    @Test
    void anApplyThatAddsAThreadToTheRecordAppendsItToTheJournalAndLeavesTheRecordFileAsItIs() throws Exception {
        RecordStore store = new RecordStore(dir);
        store.save(first);
        Optional<FileVersion> saved = FileVersion.of(store.file(PID));

        store.saveApplied(store.load(PID), applied(first, plan, born(PID + 2)));
        store.saveApplied(store.load(PID), applied(first, plan, born(PID + 2), born(PID + 3)));

        assertThat(FileVersion.of(store.file(PID))).isEqualTo(saved);
        assertThat(Files.readAllLines(store.journal(PID))).as("one line per apply, each with what it added only")
                .hasSize(2).allMatch(l -> l.startsWith("{\"pid\":" + PID + ",\"start_time\":70,"))
                .last().matches(l -> l.contains("\"tid\":" + (PID + 3)) && !l.contains("\"tid\":" + (PID + 2)), "no PID + 2");
        assertThat(store.load(PID)).contains(merged(first, born(PID + 2), born(PID + 3)));
        assertThat(new RecordStore(dir).load(PID)).as("another process reads the record with its journal")
                .contains(merged(first, born(PID + 2), born(PID + 3)));
    }

    @Test
    void anApplyThatAddsNothingWritesNothing() throws Exception {
        RecordStore store = new RecordStore(dir);
        store.save(first);
        Optional<FileVersion> saved = FileVersion.of(store.file(PID));

        store.saveApplied(store.load(PID), applied(first, plan, first.snapshot().threads().getFirst()));

        assertThat(FileVersion.of(store.file(PID))).isEqualTo(saved);
        assertThat(store.journal(PID)).doesNotExist();
    }

    @Test
    void aJournalLineAnotherProcessAppendedIsRead() {
        RecordStore store = new RecordStore(dir);
        store.save(first);
        assertThat(store.load(PID)).contains(first);

        RecordStore other = new RecordStore(dir);
        other.saveApplied(other.load(PID), applied(first, plan, born(PID + 2)));

        assertThat(store.load(PID)).contains(merged(first, born(PID + 2)));
    }

    @Test
    void aWholeSaveTakesTheJournalInAndRemovesIt() {
        RecordStore store = new RecordStore(dir);
        store.save(first);
        store.saveApplied(store.load(PID), applied(first, plan, born(PID + 2)));

        store.save(store.load(PID).orElseThrow());

        assertThat(store.journal(PID)).doesNotExist();
        assertThat(new RecordStore(dir).load(PID)).contains(merged(first, born(PID + 2)));
    }

    @Test
    void anApplyOfAnotherPlanSavesTheRecordWhole() {
        RecordStore store = new RecordStore(dir);
        store.save(first);
        store.saveApplied(store.load(PID), applied(first, plan, born(PID + 2)));

        store.saveApplied(store.load(PID), applied(first, second.plan(), born(PID + 3)));

        assertThat(store.journal(PID)).doesNotExist();
        ApplyRecord expected = new ApplyRecord(first.process(), second.plan(), first.qmpSocket(),
                merged(first, born(PID + 2), born(PID + 3)).snapshot());
        assertThat(new RecordStore(dir).load(PID)).contains(expected);
    }

    @Test
    void aLineTornByAKilledWriterIsLeftOutAndTheNextApplySavesTheRecordWhole() throws Exception {
        RecordStore store = new RecordStore(dir);
        store.save(first);
        store.saveApplied(store.load(PID), applied(first, plan, born(PID + 2)));
        String whole = Files.readString(store.journal(PID));
        Files.writeString(store.journal(PID), whole + whole.substring(0, whole.length() / 2));

        RecordStore restarted = new RecordStore(dir);
        assertThat(restarted.load(PID)).contains(merged(first, born(PID + 2)));

        restarted.saveApplied(restarted.load(PID), applied(first, plan, born(PID + 3)));
        assertThat(restarted.journal(PID)).as("not appended after the torn line").doesNotExist();
        assertThat(new RecordStore(dir).load(PID)).contains(merged(first, born(PID + 2), born(PID + 3)));
    }

    @Test
    void theJournalOfAnEarlierProcessUnderTheSamePidAddsNothingToTheNewOnesRecord() throws Exception {
        RecordStore store = new RecordStore(dir);
        store.save(first);
        store.saveApplied(store.load(PID), applied(first, plan, born(PID + 2)));
        Path left = dir.resolve("left.journal");
        Files.copy(store.journal(PID), left);
        ApplyRecord next = new ApplyRecord(new ThreadIdentity(PID, 71), plan, Optional.empty(), first.snapshot());
        store.save(next);
        // a kvmtune killed between saving the new process's record and removing the old journal
        Files.move(left, store.journal(PID));

        assertThat(new RecordStore(dir).load(PID)).contains(next);
    }

    @Test
    void aDeletedRecordTakesItsJournalAlong() {
        RecordStore store = new RecordStore(dir);
        store.save(first);
        store.saveApplied(store.load(PID), applied(first, plan, born(PID + 2)));

        store.delete(PID);

        assertThat(store.journal(PID)).doesNotExist();
        assertThat(new RecordStore(dir).load(PID)).isEmpty();
    }
}
