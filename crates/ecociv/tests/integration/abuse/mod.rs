//! The standing abuse suite for every reader of input files (issue 20): hostile and unlucky input must give a
//! result or a clear error — no panic, no hang, no unbounded memory, no super-linear time.
//!
//! - [`linear`]: each reader on n and 10·n lines; the larger input must take less than 25 times the smaller
//!   one's time (a linear reader takes about 10 times, a quadratic one about 100). A complexity check, not a
//!   speed check: speed is measured in `bench/` and `docs/benchmarks.md`.
//! - [`fuzz`]: proptest over every reader (values CSV, air hourly/daily, water samples/survey/bodies/EI,
//!   every monitoring kind, department templates from bytes), with hostile cells (huge, NUL, CR-only, quotes,
//!   non-UTF-8, infinities) — no panic, and every reader answers within a time bound.
//!
//! Longer runs: `ECOCIV_FUZZ_CASES=20000 cargo test -p ecociv --test integration --release -- abuse::fuzz`
//! and `ECOCIV_LINEAR_SCALE=10 … -- abuse::linear` (see `docs/abuse.md`).

mod fuzz;
mod linear;
