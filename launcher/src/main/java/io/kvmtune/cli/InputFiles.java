package io.kvmtune.cli;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.plan.TuningPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Files;
import io.kvmtune.core.InvalidInputException;

/** Files named on the command line, read with errors that name the option. */
final class InputFiles {

    private InputFiles() {
    }

    static byte[] bytes(String option, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + option + " " + file, e);
        }
    }

    /** A plan written by {@code kvmtune plan --format json}. */
    static TuningPlan plan(String option, Path file) {
        try {
            return TuningPlan.fromJson(new String(bytes(option, file), StandardCharsets.UTF_8));
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.code(), option, file.toString(), option + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** A JSON object document. */
    static JsonObject json(String option, Path file) {
        try {
            return Json.parseObject(new String(bytes(option, file), StandardCharsets.UTF_8));
        } catch (JsonException e) {
            throw InvalidInputException.invalid(option, file.toString(), option + " " + file + " is not a JSON object: "
                    + e.getMessage());
        }
    }
}
