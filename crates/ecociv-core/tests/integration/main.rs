//! Tests of the core through its public API: every criterion kind with met, not-met and no-data cases
//! and their boundaries, the aggregation of sub-indicators, readiness, and the plan-target check.

mod criteria;
mod support;
mod targets;
