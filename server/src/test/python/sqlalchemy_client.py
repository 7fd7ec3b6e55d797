"""SQLAlchemy (with psycopg2) against Weir's PostgreSQL endpoint, as Superset and pandas use it: the
inspector's calls that list and describe tables, reflection, and queries with bound parameters. Prints one
JSON line per check, for SqlAlchemyTest. Usage: python3 sqlalchemy_client.py PORT"""
import json
import sys

from sqlalchemy import MetaData, Table, create_engine, inspect, select, text


def report(check, value):
    print(json.dumps({"check": check, "value": value}, default=str), flush=True)


def main(port):
    engine = create_engine(f"postgresql+psycopg2://tester@127.0.0.1:{port}/weir")
    inspector = inspect(engine)
    report("schemas", inspector.get_schema_names())
    report("tables", inspector.get_table_names())
    report("views", inspector.get_view_names())
    report("columns", [[c["name"], str(c["type"]), c["nullable"]] for c in inspector.get_columns("sa_users")])
    report("primary key", inspector.get_pk_constraint("sa_users")["constrained_columns"])
    report("foreign keys", inspector.get_foreign_keys("sa_users"))
    report("indexes", inspector.get_indexes("sa_users"))
    report("unique", inspector.get_unique_constraints("sa_users"))
    report("checks", inspector.get_check_constraints("sa_users"))
    users = Table("sa_users", MetaData(), autoload_with=engine)
    report("reflected", [column.name for column in users.columns])
    with engine.connect() as connection:
        report("select", [list(row) for row in connection.execute(select(users).where(users.c.id >= 2).order_by(users.c.id))])
        report("text", [list(row) for row in connection.execute(
            text("SELECT name FROM sa_users WHERE name LIKE :pattern ORDER BY name"), {"pattern": "b%"})])
    report("done", True)


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]))
    except Exception as error:  # the test prints what failed
        report("failed", repr(error))
        sys.exit(1)
