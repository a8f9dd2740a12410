//! Integration and conformance tests of `ecociv-noise` (one test binary, modules per concern).

mod gb3096;
mod ingest;
