//! Tests of the `ecociv` binary as users run it. Each module covers one subcommand.

mod air;
mod assess;
mod water;
mod support;
