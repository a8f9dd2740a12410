-- Distributing ecociv's schema over a PostgreSQL + Citus cluster (run once on the coordinator, after
-- `ecociv serve --db postgres://…` has created the schema, and before loading data).
--
-- Reference tables are copied to every node; zone-scoped tables are sharded by `zone_code` (the zone's
-- administrative division code) and co-located with `zone`, so everything about one zone — its plan, its
-- values and their history, its monitoring readings — lives on one shard and every workflow transaction
-- stays on one node. The schema follows the rules Citus needs (checked in CI by ecociv-store's
-- `citus_key_rules` test): `zone_code` leads every primary key, unique constraint and foreign key between
-- zone-scoped tables; no serial keys; foreign keys only point from zone-scoped tables to reference tables.
--
-- Needs the Citus extension (`CREATE EXTENSION citus;` with citus in shared_preload_libraries). Citus is not
-- packaged in Debian; it is not used by CI (see docs/ARCHITECTURE.md, "Store").

-- Reference tables (small, global).
SELECT create_reference_table('framework');
SELECT create_reference_table('framework_row');
SELECT create_reference_table('admin_unit');
SELECT create_reference_table('app_user');
SELECT create_reference_table('session');
SELECT create_reference_table('admin_audit');

-- Zone-scoped tables, co-located with zone.
SELECT create_distributed_table('zone', 'zone_code');
SELECT create_distributed_table('zone_unit', 'zone_code', colocate_with => 'zone');
SELECT create_distributed_table('department', 'zone_code', colocate_with => 'zone');
SELECT create_distributed_table('plan_lead', 'zone_code', colocate_with => 'zone');
SELECT create_distributed_table('plan_target', 'zone_code', colocate_with => 'zone');
SELECT create_distributed_table('plan_project', 'zone_code', colocate_with => 'zone');
SELECT create_distributed_table('membership', 'zone_code', colocate_with => 'zone');
SELECT create_distributed_table('import_batch', 'zone_code', colocate_with => 'zone');
SELECT create_distributed_table('value_revision', 'zone_code', colocate_with => 'zone');
SELECT create_distributed_table('value_evidence', 'zone_code', colocate_with => 'zone');
SELECT create_distributed_table('monitoring_series', 'zone_code', colocate_with => 'zone');
SELECT create_distributed_table('monitoring_reading', 'zone_code', colocate_with => 'zone');
SELECT create_distributed_table('materialized_assessment', 'zone_code', colocate_with => 'zone');
