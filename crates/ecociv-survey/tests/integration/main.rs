//! The survey crate's tests: the questionnaire format and the default questionnaire, answers and cells,
//! the sampling plan, the estimate (hand-computed figures, refusals by name) and the coverage of its
//! interval over simulated surveys of known population shares.

mod coverage;
mod estimate;
mod import;
mod questionnaire;
mod sim;
