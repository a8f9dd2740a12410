//! Integration and conformance tests of `ecociv-soil` (one test binary, modules per standard).

mod gb15618;
mod gb36600;
mod ingest;
