//! The value workflow (数据审核流程): a department saves and submits its rows; a reviewer approves or
//! returns them with a comment; an approved value is locked until a reviewer reopens it. This module is
//! the state machine: which step is possible from which status, and the status it leads to.

use ecociv_store::{Action, Revision, Status};

use crate::error::{ApiError, Code};

/// A workflow step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Save,
    Submit,
    Approve,
    Return,
    Reopen,
    /// A bulk import leaving the value in the given status.
    Import(Status),
    /// A value computed from monitoring data whose inputs changed since (a correction, a later import;
    /// issue 19) computed again by a reviewer, from any status — an approved value too: the new figure
    /// takes the given status (draft or submitted) and awaits review as any computed value.
    Recompute(Status),
}

/// The status after `step` from `current` (`None`: no value yet), or why the step is not possible.
/// `reviewer` is true for reviewers and admins.
pub fn next(current: Option<Status>, step: Step, reviewer: bool) -> Result<Status, ApiError> {
    use Status::*;
    let locked = || {
        ApiError::new(
            Code::ValueLocked,
            "数值已审核锁定，需审核员重新打开后才能修改 (approved values are locked until reopened)",
        )
    };
    let submitted = || {
        ApiError::new(
            Code::ValueLocked,
            "数值已提交待审核，需审核员退回后才能修改 (submitted: wait for review or a return)",
        )
    };
    let invalid = |what: &str| {
        let from = current.map(Status::zh).unwrap_or("无数值");
        ApiError::new(
            Code::InvalidTransition,
            format!("当前状态为“{from}”，不能{what} (step not possible from this status)"),
        )
    };
    match (step, current) {
        (Step::Save, None | Some(Draft | Returned)) => Ok(Draft),
        (Step::Save, Some(Submitted)) if reviewer => Ok(Draft),
        (Step::Save, Some(Submitted)) => Err(submitted()),
        (Step::Save, Some(Approved)) => Err(locked()),
        (Step::Submit, Some(Draft | Returned)) => Ok(Submitted),
        (Step::Submit, Some(Approved)) => Err(locked()),
        (Step::Submit, _) => Err(invalid("提交")),
        (Step::Approve, Some(Submitted)) => Ok(Approved),
        (Step::Approve, _) => Err(invalid("审核通过")),
        (Step::Return, Some(Submitted)) => Ok(Returned),
        (Step::Return, _) => Err(invalid("退回")),
        (Step::Reopen, Some(Approved)) => Ok(Draft),
        (Step::Reopen, _) => Err(invalid("重新打开")),
        (Step::Import(Approved), _) if !reviewer => Err(ApiError::new(
            Code::Forbidden,
            "只有审核员可以导入为已审核 (only reviewers import as approved)",
        )),
        (Step::Import(Returned), _) => Err(ApiError::bad_request(
            "导入状态应为 draft、submitted 或 approved (import status)",
        )),
        (Step::Import(_), Some(Approved)) => Err(locked()),
        (Step::Import(_), Some(Submitted)) if !reviewer => Err(submitted()),
        (Step::Import(status), _) => Ok(status),
        (Step::Recompute(status @ (Draft | Submitted)), _) if reviewer => Ok(status),
        (Step::Recompute(_), _) if !reviewer => Err(ApiError::forbidden()),
        (Step::Recompute(_), _) => Err(ApiError::bad_request(
            "重新计算的状态应为 draft 或 submitted (recompute status)",
        )),
    }
}

/// The action a step records in the value's history.
pub fn action(step: Step) -> Action {
    match step {
        Step::Save => Action::Save,
        Step::Submit => Action::Submit,
        Step::Approve => Action::Approve,
        Step::Return => Action::Return,
        Step::Reopen => Action::Reopen,
        Step::Import(_) | Step::Recompute(_) => Action::Import,
    }
}

/// Whether the step needs a comment (returning and reopening say why).
pub fn needs_comment(step: Step) -> bool {
    matches!(step, Step::Return | Step::Reopen)
}

/// Four eyes (双人审核): whether `user_id` wrote the value now awaiting approval — entered, corrected,
/// imported or computed from monitoring data (the `save` and `import` revisions) since the value was last
/// approved. Such a value must be approved by a second person; `history` is oldest first.
pub fn wrote_value(user_id: &str, history: &[Revision]) -> bool {
    history
        .iter()
        .rev()
        .take_while(|revision| revision.status != Status::Approved)
        .any(|revision| matches!(revision.action, Action::Save | Action::Import) && revision.author_id == user_id)
}

/// The refusal of an approval by the value's own author ([`wrote_value`]).
pub fn own_value_refused() -> ApiError {
    ApiError::new(
        Code::OwnValue,
        "不能审核通过本人录入或计算的数值，须由另一位审核员审核 (a value you entered or computed must be approved by a second reviewer)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    fn revision(action: Action, status: Status, author: &str) -> Revision {
        Revision {
            id: String::new(),
            zone_code: "450202".into(),
            revision_no: 0,
            action,
            status,
            observation: ecociv_core::Observation {
                row: "5".into(),
                year: 2022,
                value: ecociv_core::Value::Number(1.0),
                assigned: None,
                recorded: None,
                source: ecociv_core::Source::Document {
                    citation: String::new(),
                },
            },
            unit: String::new(),
            evidence: String::new(),
            author_id: author.into(),
            author_name: String::new(),
            created_at: String::new(),
            reason: String::new(),
            batch_id: None,
        }
    }

    #[test]
    fn the_author_of_a_value_since_its_last_approval_may_not_approve_it() {
        let entered_by_editor = [
            revision(Action::Save, Draft, "editor"),
            revision(Action::Submit, Submitted, "editor"),
        ];
        assert!(!wrote_value("reviewer", &entered_by_editor));
        assert!(wrote_value("editor", &entered_by_editor));
        // Computed from monitoring by the reviewer, submitted: the reviewer wrote it.
        let computed = [revision(Action::Import, Submitted, "reviewer")];
        assert!(wrote_value("reviewer", &computed));
        // A reviewer's correction of a submitted value makes it theirs too.
        let corrected = [
            revision(Action::Save, Draft, "editor"),
            revision(Action::Submit, Submitted, "editor"),
            revision(Action::Save, Draft, "reviewer"),
            revision(Action::Submit, Submitted, "editor"),
        ];
        assert!(wrote_value("reviewer", &corrected));
        // Returning is not writing; what was approved before a reopening is not counted.
        let reopened = [
            revision(Action::Save, Draft, "reviewer"),
            revision(Action::Submit, Submitted, "reviewer"),
            revision(Action::Approve, Approved, "admin"),
            revision(Action::Reopen, Draft, "reviewer"),
            revision(Action::Save, Draft, "editor"),
            revision(Action::Submit, Submitted, "editor"),
            revision(Action::Return, Returned, "reviewer"),
            revision(Action::Submit, Submitted, "editor"),
        ];
        assert!(!wrote_value("reviewer", &reopened));
        assert!(wrote_value("editor", &reopened));
    }

    fn code(result: Result<Status, ApiError>) -> Result<Status, &'static str> {
        result.map_err(|error| error.code.as_str())
    }

    #[test]
    fn the_workflow_runs_draft_submit_approve_reopen() {
        assert_eq!(code(next(None, Step::Save, false)), Ok(Draft));
        assert_eq!(code(next(Some(Draft), Step::Submit, false)), Ok(Submitted));
        assert_eq!(code(next(Some(Submitted), Step::Approve, true)), Ok(Approved));
        assert_eq!(code(next(Some(Submitted), Step::Return, true)), Ok(Returned));
        assert_eq!(code(next(Some(Returned), Step::Save, false)), Ok(Draft));
        assert_eq!(code(next(Some(Returned), Step::Submit, false)), Ok(Submitted));
        assert_eq!(code(next(Some(Approved), Step::Reopen, true)), Ok(Draft));
    }

    #[test]
    fn approved_values_are_locked_and_steps_out_of_order_are_refused() {
        assert_eq!(code(next(Some(Approved), Step::Save, true)), Err("value_locked"));
        assert_eq!(
            code(next(Some(Approved), Step::Import(Approved), true)),
            Err("value_locked")
        );
        assert_eq!(code(next(Some(Submitted), Step::Save, false)), Err("value_locked"));
        assert_eq!(code(next(Some(Draft), Step::Approve, true)), Err("invalid_transition"));
        assert_eq!(code(next(None, Step::Submit, false)), Err("invalid_transition"));
        assert_eq!(code(next(Some(Draft), Step::Reopen, true)), Err("invalid_transition"));
        assert_eq!(code(next(None, Step::Import(Approved), false)), Err("forbidden"));
        assert_eq!(code(next(None, Step::Import(Submitted), false)), Ok(Submitted));
        assert!(needs_comment(Step::Return) && !needs_comment(Step::Approve));
    }
}
