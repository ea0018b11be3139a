-- The tables and views an export writes (warehouse/export.py): every relation of the warehouse's own
-- schema that is neither internal nor temporary, tables first, each by name; its columns in order,
-- each with whether it is nested (a list, array, struct, map or union: JSON text in CSV); and a
-- table's primary key columns (empty for a view or a table without one).
WITH relations AS (
    SELECT table_name AS name, 'table' AS kind
    FROM duckdb_tables()
    WHERE database_name = current_database() AND schema_name = current_schema()
      AND NOT internal AND NOT temporary
    UNION ALL
    SELECT view_name AS name, 'view' AS kind
    FROM duckdb_views()
    WHERE database_name = current_database() AND schema_name = current_schema()
      AND NOT internal AND NOT temporary
),
columns_of AS (
    SELECT
        table_name AS name,
        list({'name': column_name,
              'nested': regexp_matches(data_type, '(\]$|^(STRUCT|MAP|UNION)\()')} ORDER BY column_index) AS columns
    FROM duckdb_columns()
    WHERE database_name = current_database() AND schema_name = current_schema()
    GROUP BY table_name
),
keys AS (
    SELECT table_name AS name, constraint_column_names AS key
    FROM duckdb_constraints()
    WHERE database_name = current_database() AND schema_name = current_schema()
      AND constraint_type = 'PRIMARY KEY'
)
SELECT r.name, r.kind, c.columns, coalesce(k.key, []) AS key
FROM relations AS r
JOIN columns_of AS c USING (name)
LEFT JOIN keys AS k USING (name)
ORDER BY r.kind, r.name;
