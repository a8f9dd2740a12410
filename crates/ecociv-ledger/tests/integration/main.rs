//! Integration tests of the ledger mechanism: the bundled kinds, records and their lifecycle, and rows
//! derived from small ledgers against figures worked by hand.

mod common;
mod derive;
mod disclosure;
mod kinds;
mod records;
