//! Registers (台账) that feed Table 2-1's rows, as one mechanism with ledger kinds as data (issue 13;
//! the format is in `docs/ledgers.md`).
//!
//! - [`kind`]: a ledger kind from its TOML file — fields (types, units, vocabularies, required, ranges),
//!   lifecycle (states, allowed transitions, closed states), keeping department, and the feeds: the rows it
//!   feeds with their formula (count, sum, ratio of sums or shares meeting a condition, change against a
//!   base year), filters and period. Checked against the framework's rows.
//! - [`record`]: records checked against their kind (problems name file, line and field), CSV import all
//!   or nothing, the ledger with its append-only history and lifecycle checks.
//! - [`derive`]: a row's figure for a year from the records, with the arithmetic (Chinese first), the
//!   records counted and the kind's version, as an `Observation` with `Source::Ledger`.
//! - [`zone`]: every feed of a zone's ledgers for every year their records speak of; a figure the plan
//!   states (a document) stays in force and a recomputed figure that differs is a data-quality note.
//!
//! Pure: no IO, no clock, no SQL; bytes and texts in, values out. The bundled kinds for the example zone
//! are in [`bundled`].

pub mod bundled;
pub mod derive;
pub mod kind;
pub mod record;
pub mod zone;

pub use derive::{Derivation, NoFigure, derive, derive_all};
/// The located problem type of the records' checks (the repository's, from `ecociv-data`).
pub use ecociv_data::{DataError, Problem};
pub use kind::{Feed, Field, FieldType, Kind, Lifecycle, Role, parse_kind};
pub use record::{Cell, Ledger, Origin, RecordRevision, read_csv};
pub use zone::{Derived, derive_zone};
