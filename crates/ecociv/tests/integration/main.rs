//! Tests of the `ecociv` binary as users run it. Each module covers one subcommand.

mod abuse;
mod air;
mod assess;
mod db;
mod hostile;
mod ledger;
mod map;
mod monitoring;
mod noise_soil;
mod plan;
mod progress;
mod report;
mod repository;
mod serve;
mod support;
mod survey;
mod template;
mod water;
mod zone;
