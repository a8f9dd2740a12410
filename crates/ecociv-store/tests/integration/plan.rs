//! Progress reports and the project ledger in the store: the workflow checked before the insert,
//! append-only history read back as it was written, concurrent writers never both win.

use ecociv_plan::model::FundingSource;
use ecociv_plan::report::{ReportRevision, ReviewState, Subject, WorkStatus};
use ecociv_plan::{Date, Period, Periodicity, WanYuan};
use ecociv_store::StoreError;

use crate::support::{stores, with_example_zone};

fn rev(state: ReviewState, on: &str, by: &str) -> ReportRevision {
    ReportRevision {
        subject: Subject::Project("2.01".into()),
        period: Period::new(2025, 3, Periodicity::Quarterly).unwrap(),
        department: "城中区农业农村局".into(),
        status: WorkStatus::InProgress,
        percent: 40,
        spend: vec![(FundingSource("区级财政".into()), WanYuan::parse("12.34").unwrap())],
        narrative: "完成清淤 0.6 万方".into(),
        evidence: vec!["现场照片.jpg".into()],
        state,
        on: Date::parse(on).unwrap(),
        by: by.into(),
        reason: (state == ReviewState::Returned).then(|| "缺少资金支付凭证".to_string()),
    }
}

#[tokio::test]
async fn reports_follow_the_workflow_and_read_back_as_written() {
    for store in stores("plan_reports").await {
        with_example_zone(&store).await;
        let written = [
            rev(ReviewState::Submitted, "2025-10-08", "张三"),
            rev(ReviewState::Returned, "2025-10-09", "王五"),
            rev(ReviewState::Submitted, "2025-10-10", "张三"),
            rev(ReviewState::Approved, "2025-10-11", "王五"),
        ];
        assert_eq!(store.append_report_revision("450202", &written[0]).await.unwrap(), 1);
        // Self-review refused, nothing stored.
        let err = store
            .append_report_revision("450202", &rev(ReviewState::Approved, "2025-10-09", "张三"))
            .await;
        assert!(matches!(err, Err(StoreError::Invalid(_))), "{err:?}");
        for (n, r) in written.iter().enumerate().skip(1) {
            assert_eq!(store.append_report_revision("450202", r).await.unwrap(), n as i64 + 1);
        }
        // An approved report cannot be submitted again.
        assert!(store.append_report_revision("450202", &written[0]).await.is_err());
        let book = store.report_book("450202").await.unwrap();
        assert_eq!(book.revisions(), &written);
        assert_eq!(
            book.approved_spend_through("2.01", 2025),
            WanYuan::parse("12.34").unwrap()
        );
        assert!(book.was_returned(&Subject::Project("2.01".into()), written[0].period));
    }
}

#[tokio::test]
async fn concurrent_submissions_of_one_report_store_one() {
    for store in stores("plan_concurrent").await {
        with_example_zone(&store).await;
        let a = store.clone();
        let b = store.clone();
        let (x, y) = tokio::join!(
            async move {
                a.append_report_revision("450202", &rev(ReviewState::Submitted, "2025-10-08", "张三"))
                    .await
            },
            async move {
                b.append_report_revision("450202", &rev(ReviewState::Submitted, "2025-10-08", "李四"))
                    .await
            },
        );
        assert_eq!(usize::from(x.is_ok()) + usize::from(y.is_ok()), 1, "{x:?} {y:?}");
        assert_eq!(store.report_book("450202").await.unwrap().revisions().len(), 1);
    }
}

#[tokio::test]
async fn the_ledger_keeps_every_revision() {
    for store in stores("plan_ledger").await {
        with_example_zone(&store).await;
        assert_eq!(store.ledger("450202").await.unwrap(), None);
        assert_eq!(
            store
                .append_ledger("450202", "[[project]]\nid = \"2.01\"\n", "u1")
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .append_ledger("450202", "[[project]]\nid = \"2.02\"\n", "u1")
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            store.ledger("450202").await.unwrap(),
            Some((2, "[[project]]\nid = \"2.02\"\n".to_string()))
        );
    }
}

#[tokio::test]
async fn the_board_is_stored_as_events_and_folds_back() {
    use ecociv_plan::supervision::{Board, Finding, FollowUpState, SupervisionRules};
    for store in stores("plan_board").await {
        with_example_zone(&store).await;
        let rules = SupervisionRules::default_rules();
        let day = |d: &str| Date::parse(d).unwrap();
        let finding = Finding {
            key: "report_overdue:项目 2.01:2025年第3季度".into(),
            rule: "report_overdue".into(),
            subject: "项目 2.01".into(),
            owner: "城中区农业农村局".into(),
            reason: "未报送".into(),
        };
        let empty = store.board("450202").await.unwrap();
        assert!(empty.items.is_empty());
        let mut board = empty.clone();
        board.reconcile(&rules, std::slice::from_ref(&finding), day("2025-10-20"), "system");
        board.add_manual(
            "联席会议",
            "城中生态环境局",
            "会议议定事项",
            day("2025-10-20"),
            day("2025-11-20"),
            "u1",
        );
        assert_eq!(store.append_board("450202", &empty, &board).await.unwrap(), 2);
        let read = store.board("450202").await.unwrap();
        assert_eq!(read.items.len(), 2);
        // The condition clears, the office closes it: two more events, earlier ones untouched.
        let mut next = read.clone();
        next.reconcile(&rules, &[], day("2025-10-25"), "system");
        next.close(&finding.key, day("2025-10-26"), "reviewer", "已报送")
            .unwrap();
        assert_eq!(store.append_board("450202", &read, &next).await.unwrap(), 2);
        let again = store.board("450202").await.unwrap();
        assert_eq!(again.get(&finding.key).unwrap().state(), FollowUpState::Closed);
        assert_eq!(again.get(&finding.key).unwrap(), next.get(&finding.key).unwrap());
        // A second writer working from the same stale board loses with a conflict, writes nothing.
        let mut stale = read.clone();
        stale
            .respond(&finding.key, day("2025-10-26"), "editor", "正在整改")
            .unwrap();
        let err = store.append_board("450202", &read, &stale).await;
        assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
        // Removing an item is refused.
        let err = store.append_board("450202", &again, &Board::default()).await;
        assert!(matches!(err, Err(StoreError::Invalid(_))), "{err:?}");
        assert_eq!(store.board("450202").await.unwrap().items, again.items);
    }
}

#[tokio::test]
async fn report_files_are_stored_with_the_revision_or_not_at_all() {
    use ecociv_store::plan::NewPlanEvidence;
    for store in stores("plan_files").await {
        with_example_zone(&store).await;
        let file = NewPlanEvidence {
            file_name: "现场照片.jpg".into(),
            media_type: "image/jpeg".into(),
            sha256: "00".into(),
            content: vec![1, 2, 3],
            uploaded_by: "u1".into(),
        };
        let mut first = rev(ReviewState::Submitted, "2025-10-08", "张三");
        first.evidence.clear();
        let (n, files) = store
            .append_report_revision_with_files("450202", &first, vec![file.clone()])
            .await
            .unwrap();
        assert_eq!((n, files.len()), (1, 1));
        let book = store.report_book("450202").await.unwrap();
        assert_eq!(book.revisions()[0].evidence, vec![files[0].id.clone()]);
        let (stored, bytes) = store.plan_evidence("450202", &files[0].id).await.unwrap();
        assert_eq!((stored.file_name.as_str(), bytes), ("现场照片.jpg", vec![1, 2, 3]));
        // A refused revision (second submission) stores no file either.
        assert!(
            store
                .append_report_revision_with_files("450202", &first, vec![file])
                .await
                .is_err()
        );
        assert_eq!(store.plan_evidence_list("450202").await.unwrap().len(), 1);
    }
}
