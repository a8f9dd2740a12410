//! The store test-suite. Every test runs against SQLite (a fresh temporary file) and, when
//! `TEST_DATABASE_URL` is set, against PostgreSQL (a fresh database per test). Without it the PostgreSQL
//! half is skipped with a loud message, unless `REQUIRE_PG=1`, which makes that a failure.

mod accounts;
mod audit;
mod boundary;
mod citus;
mod hierarchy;
mod ledger;
mod materialized;
mod monitoring;
mod plan;
mod site;
mod support;
mod survey;
mod values;
mod writers;
mod zones;
