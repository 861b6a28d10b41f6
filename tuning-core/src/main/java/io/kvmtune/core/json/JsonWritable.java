package io.kvmtune.core.json;

/**
 * A value that knows its JSON form: a tree of maps, lists, strings, numbers, booleans and nulls
 * (or other {@code JsonWritable}s) that {@link Json#write} serialises.
 */
public interface JsonWritable {
    Object toJson();
}
