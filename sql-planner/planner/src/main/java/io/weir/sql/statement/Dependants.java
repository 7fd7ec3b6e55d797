package io.weir.sql.statement;

import io.weir.engine.exec.RunningQueries;
import io.weir.engine.exec.RunningQueries.QueryInfo;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ObjectType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What depends on a catalog object: the views and materialized views that read it (directly or
 * through other views), in the order to drop them, and the running queries that read or write it or
 * one of those views — persistent {@code INSERT INTO} queries and clients' {@code SELECT STREAM}s. A
 * materialized view's own query is not listed: it goes with its view.
 */
record Dependants(CatalogObject object, List<CatalogObject> objects, List<QueryInfo> queries) {
    private static final int SQL_IN_MESSAGE = 60;

    Dependants {
        requireNonNull(object, "object is null");
        objects = List.copyOf(objects);
        queries = List.copyOf(queries);
    }

    /** Call with the catalog held ({@link Catalog#exclusive}) for an answer that stays true while acted on. */
    static Dependants of(CatalogObject object, Catalog catalog, RunningQueries runningQueries) {
        List<CatalogObject> objects = catalog.dependantsOf(object);
        Set<String> ids = new HashSet<>();
        Set<String> viewQueries = new HashSet<>();
        for (CatalogObject dropped : concat(objects, object)) {
            ids.add(dropped.id());
            if (dropped.type() == ObjectType.MATERIALIZED_VIEW) {
                viewQueries.add(StatementExecutor.viewQueryId(dropped.name()));
            }
        }
        List<QueryInfo> queries = runningQueries.list().stream()
                .filter(query -> !viewQueries.contains(query.id()))
                .filter(query -> query.dependencies().stream().anyMatch(ids::contains))
                .toList();
        return new Dependants(object, objects, queries);
    }

    private static List<CatalogObject> concat(List<CatalogObject> objects, CatalogObject object) {
        List<CatalogObject> all = new ArrayList<>(objects);
        all.add(object);
        return all;
    }

    boolean isEmpty() {
        return objects.isEmpty() && queries.isEmpty();
    }

    /**
     * The refusal of {@code DROP} ({@code verb} "drop") or {@code CREATE OR REPLACE} ("replace") of the
     * object, naming what depends on it and what to do.
     */
    WeirException refusal(String verb) {
        List<String> names = new ArrayList<>();
        for (CatalogObject dependant : objects) {
            names.add(dependant.type().displayName() + " '" + dependant.name() + "'");
        }
        for (QueryInfo query : queries) {
            names.add(describe(query));
        }
        String drop = "DROP " + object.type().sqlName() + " " + object.name() + " CASCADE";
        return new WeirException(ErrorCode.DEPENDENT_OBJECTS_EXIST, "Cannot " + verb + " " + object.type().displayName()
                + " '" + object.name() + "': " + String.join(", ", names) + (names.size() == 1 ? " depends" : " depend")
                + " on it. " + (verb.equals("drop")
                ? "Drop or stop " + (names.size() == 1 ? "it" : "them") + " first (DROP VIEW, DROP MATERIALIZED VIEW,"
                        + " STOP QUERY 'id'), or run " + drop + " to stop and drop " + (names.size() == 1 ? "it" : "them")
                        + " with it"
                : "Drop or stop " + (names.size() == 1 ? "it" : "them") + " first, or run " + drop + " and create "
                        + object.type().displayName() + " '" + object.name() + "' and what read it again"));
    }

    /** {@code persistent query 'a1b2c3d4' (INSERT INTO alerts SELECT ...)}. */
    static String describe(QueryInfo query) {
        String sql = query.sql().strip().replaceAll("\\s+", " ");
        if (sql.length() > SQL_IN_MESSAGE) {
            sql = sql.substring(0, SQL_IN_MESSAGE) + "...";
        }
        return kind(query) + " '" + query.id() + "' (" + sql + ")";
    }

    /** {@code persistent query} or {@code query} (a client's SELECT STREAM). */
    static String kind(QueryInfo query) {
        return query.kind() == RunningQueries.QueryKind.PERSISTENT ? "persistent query" : "query";
    }
}
