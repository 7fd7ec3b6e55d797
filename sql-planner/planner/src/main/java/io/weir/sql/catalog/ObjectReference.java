package io.weir.sql.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a view, materialized view or query refers to: a catalog object by its identity, with the name
 * and type it had, for messages. A reference never follows a name: an object dropped and created again
 * under the same name is another object.
 *
 * @param id the object's {@link CatalogObject#id()}; null when the object it referred to is known to be
 *        gone but its identity is not (a catalog written by a version of Weir that kept no identities)
 */
public record ObjectReference(String id, String name, ObjectType type) {
    public ObjectReference {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    public static ObjectReference to(CatalogObject object) {
        return new ObjectReference(object.id(), object.name(), object.type());
    }

    /** A reference to an object that is gone, known only by the name it had. */
    public static ObjectReference gone(String name, ObjectType type) {
        return new ObjectReference(null, name, type);
    }

    @JsonIgnore
    public Optional<String> identity() {
        return Optional.ofNullable(id);
    }

    /** {@code stream 'weblogs'}, for messages. */
    public String describe() {
        return type.displayName() + " '" + name + "'";
    }

    /** Whether this refers to {@code object}: the same identity. */
    public boolean refersTo(CatalogObject object) {
        return id != null && id.equals(object.id());
    }
}
