//! The value workflow (数据审核流程): a department saves and submits its rows; a reviewer approves or
//! returns them with a comment; an approved value is locked until a reviewer reopens it. This module is
//! the state machine: which step is possible from which status, and the status it leads to.

use ecociv_store::Status;

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
    }
}

/// Whether the step needs a comment (returning and reopening say why).
pub fn needs_comment(step: Step) -> bool {
    matches!(step, Step::Return | Step::Reopen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

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
