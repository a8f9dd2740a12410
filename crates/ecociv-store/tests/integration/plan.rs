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
