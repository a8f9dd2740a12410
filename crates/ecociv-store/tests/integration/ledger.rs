//! Registers (台账) in the store: records stored as append-only revisions with who and when; lifecycle
//! steps checked against the kind before insert (a forbidden one refuses the whole import, naming the
//! line); a repeat import changes nothing; the stored ledger derives what the file derives.

use ecociv_ledger::{Kind, RecordRevision};
use ecociv_store::ledger::ImportMeta;

use crate::support::{stores, with_example_zone};

fn kind(framework: &ecociv_core::Framework, id: &str) -> Kind {
    ecociv_ledger::bundled::kinds(framework)
        .unwrap()
        .into_iter()
        .find(|k| k.id == id)
        .unwrap()
}

fn read(kind: &Kind, file: &str, text: &str) -> Vec<RecordRevision> {
    ecociv_ledger::read_csv(file, text.as_bytes(), kind).unwrap()
}

fn meta(file: &str) -> ImportMeta {
    ImportMeta {
        file_name: file.into(),
        sha256: "0".repeat(64),
        author: "bureau".into(),
    }
}

const HEADER: &str = "编号,单位或地点,隐患描述,隐患等级,发现日期,整改期限,状态,状态日期\n";

#[tokio::test]
async fn hazards_are_stored_as_revisions_and_a_forbidden_step_refuses_the_whole_import() {
    for store in stores("ledger_lifecycle").await {
        let loaded = with_example_zone(&store).await;
        let hazard = kind(&loaded.framework, "risk_hazard");
        let first = format!(
            "{HEADER}YH1,仓库,围堰破损,一般,2024-04-01,,登记,2024-04-01\nYH2,加油站,油气回收异常,较大,2024-10-12,,登记,2024-10-12\n"
        );
        let outcome = store
            .import_ledger_records("450202", &hazard, meta("a.csv"), read(&hazard, "a.csv", &first))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((outcome.added, outcome.new_records, outcome.unchanged), (2, 2, 0));
        let batch = outcome.batch_id.unwrap();

        // The same file again: nothing changes, no batch is written.
        let again = store
            .import_ledger_records("450202", &hazard, meta("a.csv"), read(&hazard, "a.csv", &first))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((again.batch_id, again.added, again.unchanged), (None, 0, 2));
        assert_eq!(store.ledger_imports("450202", "risk_hazard").await.unwrap().len(), 1);

        // 销号 from 登记 is allowed; back from 销号 to 登记 (line 3) is not: nothing of the file is stored.
        let bad = format!(
            "{HEADER}YH1,仓库,围堰破损,一般,2024-04-01,,销号,2024-06-01\nYH1,仓库,围堰破损,一般,2024-04-01,,登记,2024-07-01\n"
        );
        let refused = store
            .import_ledger_records("450202", &hazard, meta("b.csv"), read(&hazard, "b.csv", &bad))
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(refused.problems.len(), 1, "{refused}");
        let p = &refused.problems[0];
        assert_eq!((p.file.as_str(), p.line), ("b.csv", Some(3)));
        assert!(p.message.contains("不能从“销号”转为“登记”"), "{}", p.message);
        assert_eq!(store.ledger_revisions("450202", "risk_hazard").await.unwrap().len(), 2);

        // A step checked against the stored history (not only the file): 整改中 → 销号 for YH2.
        let steps = format!("{HEADER}YH2,加油站,油气回收异常,较大,2024-10-12,,整改中,2024-11-01\n");
        store
            .import_ledger_records("450202", &hazard, meta("c.csv"), read(&hazard, "c.csv", &steps))
            .await
            .unwrap()
            .unwrap();
        let back = format!("{HEADER}YH2,加油站,油气回收异常,较大,2024-10-12,,登记,2024-12-01\n");
        let refused = store
            .import_ledger_records("450202", &hazard, meta("d.csv"), read(&hazard, "d.csv", &back))
            .await
            .unwrap()
            .unwrap_err();
        assert!(
            refused.problems[0].message.contains("不能从“整改中”转为“登记”"),
            "{refused}"
        );
        let close = format!("{HEADER}YH2,加油站,油气回收异常,较大,2024-10-12,,销号,2024-12-20\n");
        store
            .import_ledger_records("450202", &hazard, meta("e.csv"), read(&hazard, "e.csv", &close))
            .await
            .unwrap()
            .unwrap();

        // The history, with who, when and the batch.
        let history = store.ledger_record("450202", "risk_hazard", "YH2").await.unwrap();
        let states: Vec<(i64, &str)> = history
            .iter()
            .map(|r| (r.revision_no, r.revision.state.as_deref().unwrap()))
            .collect();
        assert_eq!(states, vec![(1, "登记"), (2, "整改中"), (3, "销号")]);
        assert_eq!(history[0].batch_id, batch);
        assert_eq!(history[0].author, "bureau");
        assert_eq!(history[2].revision.origin.file, "e.csv");
        assert!(history[0].created_at <= history[2].created_at);
        assert_eq!(
            history[0].revision.cells.get("grade"),
            Some(&ecociv_ledger::Cell::Text("较大".into()))
        );

        // Derived from the store: row 14's open hazards at the end of 2024 — YH1 (its 销号 came in the refused
        // file), not YH2.
        let ledger = store.ledger_of_kind("450202", "risk_hazard").await.unwrap();
        let open = ecociv_ledger::derive(&loaded.framework, &hazard, &hazard.feeds[0], &ledger, 2024).unwrap();
        assert_eq!((open.value, open.records.clone()), (1.0, vec!["YH1".to_string()]));
        let counts = store.ledger_counts("450202").await.unwrap();
        assert_eq!((counts[0].records, counts[0].revisions), (2, 4));
    }
}

#[tokio::test]
async fn stored_records_derive_what_the_file_derives_for_every_demo_kind() {
    for store in stores("ledger_demo_roundtrip").await {
        let loaded = with_example_zone(&store).await;
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/synthetic/ledgers-450202-SYNTHETIC");
        for kind in ecociv_ledger::bundled::kinds(&loaded.framework).unwrap() {
            let Some(path) = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&format!("{}.", kind.id))
            }) else {
                continue;
            };
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let revisions = read(&kind, &name, &text);
            let from_file = ecociv_ledger::Ledger::build(&kind, revisions.clone()).unwrap();
            store
                .import_ledger_records("450202", &kind, meta(&name), revisions)
                .await
                .unwrap()
                .unwrap();
            let stored = store.ledger_of_kind("450202", &kind.id).await.unwrap();
            for year in 2019..=2025 {
                let (a, _) = ecociv_ledger::derive_all(&loaded.framework, &kind, &from_file, year);
                let (b, _) = ecociv_ledger::derive_all(&loaded.framework, &kind, &stored, year);
                assert_eq!(a, b, "{} {year}", kind.id);
            }
            assert!(stored.records.values().flatten().all(|r| r.synthetic), "{}", kind.id);
        }
    }
}

#[tokio::test]
async fn a_file_of_whole_lifecycles_imported_again_changes_nothing() {
    for store in stores("ledger_replay").await {
        let loaded = with_example_zone(&store).await;
        let hazard = kind(&loaded.framework, "risk_hazard");
        let file = format!(
            "{HEADER}YH1,仓库,围堰破损,一般,2024-04-01,,登记,2024-04-01\nYH1,仓库,围堰破损,一般,2024-04-01,,整改中,2024-05-01\nYH1,仓库,围堰破损,一般,2024-04-01,,销号,2024-06-01\nYH2,加油站,油气回收异常,较大,2024-10-12,,登记,2024-10-12\n"
        );
        let first = store
            .import_ledger_records("450202", &hazard, meta("a.csv"), read(&hazard, "a.csv", &file))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((first.added, first.new_records), (4, 2));
        let again = store
            .import_ledger_records("450202", &hazard, meta("a.csv"), read(&hazard, "a.csv", &file))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((again.batch_id, again.added, again.unchanged), (None, 0, 4));
        // The same file with YH2 now closed: only that line is new.
        let more = format!("{file}YH2,加油站,油气回收异常,较大,2024-10-12,,销号,2024-12-01\n");
        let step = store
            .import_ledger_records("450202", &hazard, meta("b.csv"), read(&hazard, "b.csv", &more))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((step.added, step.unchanged), (1, 4));
        // A line that departs from YH1's stored history in the middle is a new step, checked: 登记 after
        // 销号 is refused.
        let departs = format!(
            "{HEADER}YH1,仓库,围堰破损,一般,2024-04-01,,登记,2024-04-01\nYH1,仓库,围堰破损,较大,2024-04-01,,登记,2024-05-01\n"
        );
        let refused = store
            .import_ledger_records("450202", &hazard, meta("c.csv"), read(&hazard, "c.csv", &departs))
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(refused.problems[0].line, Some(3), "{refused}");
        assert_eq!(store.ledger_revisions("450202", "risk_hazard").await.unwrap().len(), 5);
    }
}
