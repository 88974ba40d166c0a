-- FerretDB's PostgreSQL cluster: its role, its database and the GIN indexes its queries
-- need.  Run by infra/local/servers.py as the superuser on every start; idempotent.
-- psql variables: gin ('on' or 'off': create the GIN indexes; 'off' only for the probe).
\set ON_ERROR_STOP on
SET client_min_messages = warning;

SELECT 'CREATE ROLE ferretdb LOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ferretdb') \gexec
SELECT 'CREATE DATABASE ferretdb OWNER ferretdb'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'ferretdb') \gexec
-- FerretDB sends the key and the value of `field = value` as bind parameters; a generic
-- plan cannot match them to an expression index, a custom plan can.
ALTER ROLE ferretdb SET plan_cache_mode = force_custom_plan;

\connect ferretdb
SET client_min_messages = warning;

-- FerretDB pushes `{field: value}` down as `_jsonb->'field' @> value`: its own indexes
-- are btrees on `(_jsonb->'field')`, which `@>` cannot use, so every such find scanned
-- the table.  For each of its btree indexes, add a GIN index on its first key when that
-- is a top-level field (the `_id` index of each collection included).  A GIN index
-- outlives a dropIndexes of its btree (harmless; it goes with the collection).  A schema
-- without FerretDB's metadata table is not a FerretDB database, so this one is invisible
-- to it.
CREATE SCHEMA IF NOT EXISTS mylm_platform;
REVOKE ALL ON SCHEMA mylm_platform FROM PUBLIC;

-- Both functions run as their owner (the superuser), whoever made the index; a failure
-- here only warns, so FerretDB's own DDL never fails because of it.
CREATE OR REPLACE FUNCTION mylm_platform.add_gin_indexes(btree regclass) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  tbl regclass;
  expr text;
BEGIN
  SELECT i.indrelid::regclass INTO tbl
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
   WHERE i.indexrelid = btree
     AND am.amname = 'btree'
     AND t.relname <> '_ferretdb_database_metadata'
     AND EXISTS (SELECT FROM pg_class m
                  WHERE m.relnamespace = n.oid AND m.relname = '_ferretdb_database_metadata');
  IF tbl IS NULL THEN
    RETURN;
  END IF;
  -- the first key only, as in MongoDB, where an index on (a, b) serves equality on a;
  -- and only a top-level field, as FerretDB writes it: _jsonb -> 'name'::text (it does
  -- not push dotted paths down)
  expr := pg_get_indexdef(btree, 1, true);
  IF expr !~ '^\(?_jsonb -> ''([^'']|'''')*''::text\)?$' OR EXISTS (
      SELECT FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_am am ON am.oid = c.relam
       WHERE i.indrelid = tbl AND am.amname = 'gin'
         AND pg_get_indexdef(i.indexrelid, 1, true) = expr) THEN
    RETURN;
  END IF;
  -- fastupdate off: a long insert burst would otherwise grow the pending list that every
  -- find has to scan
  EXECUTE format('CREATE INDEX ON %s USING gin ((%s) jsonb_path_ops) WITH (fastupdate = off)',
                 tbl, expr);
END $$;

CREATE OR REPLACE FUNCTION mylm_platform.on_create_index() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  cmd record;
BEGIN
  FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands()
              WHERE command_tag = 'CREATE INDEX' AND object_type = 'index'
  LOOP
    BEGIN
      PERFORM mylm_platform.add_gin_indexes(cmd.objid::regclass);
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'mylm_platform: no GIN index for %: %', cmd.object_identity, SQLERRM;
    END;
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS mylm_gin_indexes;
SELECT 'CREATE EVENT TRIGGER mylm_gin_indexes ON ddl_command_end WHEN TAG IN (''CREATE INDEX'')'
       ' EXECUTE FUNCTION mylm_platform.on_create_index()'
 WHERE :'gin' = 'on' \gexec

-- indexes made before the trigger existed (e.g. a store from an older recipe)
SELECT format('SELECT mylm_platform.add_gin_indexes(%s::regclass)', c.oid)
  FROM pg_class c
  JOIN pg_am am ON am.oid = c.relam
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'i' AND am.amname = 'btree' AND :'gin' = 'on'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') \gexec
