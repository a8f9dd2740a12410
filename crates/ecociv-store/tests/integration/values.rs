//! Values as append-only revisions: round trip, selection for assessments, history, conflicts, atomicity.

use ecociv_core::{Observation, Source, Value, assess};
use ecociv_store::{Action, NewRevision, Selection, Status, StoreError};

use crate::support::{author, stores, with_example_zone};

fn revision(observation: Observation, after: i64, action: Action, status: Status) -> NewRevision {
    NewRevision {
        after,
        action,
        status,
        unit: String::new(),
        evidence: String::new(),
        reason: String::new(),
        observation,
    }
}

fn sorted(mut observations: Vec<Observation>) -> Vec<Observation> {
    observations.sort_by(|a, b| (&a.row, a.year).cmp(&(&b.row, b.year)));
    observations
}

#[tokio::test]
async fn approved_example_values_round_trip_and_assess_as_from_the_files() {
    for store in stores("values_round_trip").await {
        let loaded = with_example_zone(&store).await;
        let user = author(&store).await;
        let news = loaded
            .zone
            .observations
            .iter()
            .map(|obs| revision(obs.clone(), 0, Action::Import, Status::Approved))
            .collect();
        store.append_revisions("450202", &user.id, None, news).await.unwrap();
        let (_, zone) = store.load_zone("450202", Selection::Approved).await.unwrap();
        assert_eq!(
            sorted(zone.observations.clone()),
            sorted(loaded.zone.observations.clone()),
            "{:?}",
            store.backend()
        );
        for year in [2017, 2021] {
            assert_eq!(
                assess(&loaded.framework, &zone, year),
                assess(&loaded.framework, &loaded.zone, year)
            );
        }
    }
}

#[tokio::test]
async fn history_keeps_every_revision_and_assessments_use_the_approved_one() {
    for store in stores("history").await {
        with_example_zone(&store).await;
        let user = author(&store).await;
        let obs = |number: f64| Observation {
            row: "3".into(),
            year: 2022,
            value: Value::Number(number),
            assigned: None,
            recorded: None,
            source: Source::Document {
                citation: "测试".into(),
            },
        };
        let v0 = store.data_version("450202").await.unwrap().unwrap();
        store
            .append_revisions(
                "450202",
                &user.id,
                None,
                vec![revision(obs(21.0), 0, Action::Save, Status::Draft)],
            )
            .await
            .unwrap();
        assert!(
            store
                .load_zone("450202", Selection::SubmittedOrApproved)
                .await
                .unwrap()
                .1
                .observations
                .is_empty()
        );
        store
            .append_revisions(
                "450202",
                &user.id,
                None,
                vec![revision(obs(21.0), 1, Action::Submit, Status::Submitted)],
            )
            .await
            .unwrap();
        let (_, zone) = store.load_zone("450202", Selection::SubmittedOrApproved).await.unwrap();
        assert_eq!(zone.observations.len(), 1);
        assert!(
            store
                .load_zone("450202", Selection::Approved)
                .await
                .unwrap()
                .1
                .observations
                .is_empty()
        );
        store
            .append_revisions(
                "450202",
                &user.id,
                None,
                vec![revision(obs(21.0), 2, Action::Approve, Status::Approved)],
            )
            .await
            .unwrap();
        store
            .append_revisions(
                "450202",
                &user.id,
                None,
                vec![revision(obs(21.0), 3, Action::Reopen, Status::Draft)],
            )
            .await
            .unwrap();
        store
            .append_revisions(
                "450202",
                &user.id,
                None,
                vec![revision(obs(25.5), 4, Action::Save, Status::Draft)],
            )
            .await
            .unwrap();
        // The draft correction does not replace the approved figure in the assessment.
        let (record, zone) = store.load_zone("450202", Selection::Approved).await.unwrap();
        assert_eq!(zone.observations[0].value, Value::Number(21.0));
        assert_eq!(record.data_version, v0 + 5);
        let history = store.history("450202", "3", 2022).await.unwrap();
        let steps: Vec<(i64, Action, Status)> = history.iter().map(|r| (r.revision_no, r.action, r.status)).collect();
        assert_eq!(
            steps,
            vec![
                (1, Action::Save, Status::Draft),
                (2, Action::Submit, Status::Submitted),
                (3, Action::Approve, Status::Approved),
                (4, Action::Reopen, Status::Draft),
                (5, Action::Save, Status::Draft)
            ]
        );
        assert_eq!(history[4].observation.value, Value::Number(25.5));
        assert_eq!(history[0].author_name, "填报人");
        assert!(history.windows(2).all(|w| w[0].created_at <= w[1].created_at));
        let current = store.current("450202", "3", 2022).await.unwrap().unwrap();
        assert_eq!(current.revision_no, 5);
        assert_eq!(store.current_revisions("450202", Some(2022)).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_stale_revision_is_refused_and_a_batch_is_all_or_nothing() {
    for store in stores("conflict").await {
        let loaded = with_example_zone(&store).await;
        let user = author(&store).await;
        let first = loaded.zone.observations[0].clone();
        let second = loaded.zone.observations[1].clone();
        store
            .append_revisions(
                "450202",
                &user.id,
                None,
                vec![revision(first.clone(), 0, Action::Save, Status::Draft)],
            )
            .await
            .unwrap();
        let before = store.revision_count("450202").await.unwrap();
        let version = store.data_version("450202").await.unwrap();
        // A batch whose second revision is stale (it follows 0, but revision 1 exists): nothing is stored.
        let batch = vec![
            revision(second, 0, Action::Import, Status::Draft),
            revision(first, 0, Action::Import, Status::Draft),
        ];
        let result = store
            .append_revisions(
                "450202",
                &user.id,
                Some(ecociv_store::values::Batch { format: "csv".into() }),
                batch,
            )
            .await;
        assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
        assert_eq!(store.revision_count("450202").await.unwrap(), before);
        assert_eq!(store.data_version("450202").await.unwrap(), version);
    }
}

#[tokio::test]
async fn every_value_kind_and_source_kind_round_trips() {
    use ecociv_core::value::SpatialRecord;
    use ecociv_core::{Assigned, Recorded};
    for store in stores("kinds").await {
        with_example_zone(&store).await;
        let user = author(&store).await;
        let observations = vec![
            Observation {
                row: "3".into(),
                year: 2020,
                value: Value::Number(0.1 + 0.2),
                assigned: Some(Assigned::Value(1.0 / 3.0)),
                recorded: Some(Recorded {
                    met: true,
                    source: "表".into(),
                }),
                source: Source::File {
                    path: "v.csv".into(),
                    line: 7,
                },
            },
            Observation {
                row: "1".into(),
                year: 2020,
                value: Value::State("制定实施".into()),
                assigned: Some(Assigned::Verdict(false)),
                recorded: None,
                source: Source::Synthetic {
                    note: "演示".into(),
                    files: Vec::new(),
                },
            },
            Observation {
                row: "15.1".into(),
                year: 2020,
                value: Value::Spatial(SpatialRecord {
                    area_km2: Some(12.5),
                    nature_unchanged: None,
                    function_kept: Some(false),
                }),
                assigned: Some(Assigned::Verdict(true)),
                recorded: Some(Recorded {
                    met: false,
                    source: String::new(),
                }),
                source: Source::Computed {
                    method: "m".into(),
                    edition: "e".into(),
                    provenance: "p".into(),
                    files: vec!["a.csv".into()],
                },
            },
            Observation {
                row: "12".into(),
                year: 2020,
                value: Value::Number(96.25),
                assigned: None,
                recorded: None,
                source: Source::Ledger {
                    kind: "危险废物产生及利用处置台账".into(),
                    kind_id: "hazardous_waste".into(),
                    version: 3,
                    method: "115.5÷120×100＝96.25".into(),
                    provenance: "计入记录：H1、H2".into(),
                    records: vec!["H1".into(), "H2".into()],
                    synthetic: true,
                },
            },
            Observation {
                row: "34".into(),
                year: 2020,
                value: Value::Number(91.37),
                assigned: None,
                recorded: None,
                source: Source::Survey {
                    survey: "2020 年度满意度调查".into(),
                    survey_id: "S2020".into(),
                    method: "分层加权".into(),
                    edition: "2026-1".into(),
                    valid: 412,
                    responses: 420,
                    low: 88.12,
                    high: 93.91,
                    provenance: "甲社区 200/210".into(),
                    synthetic: false,
                },
            },
        ];
        let news = observations
            .iter()
            .map(|obs| revision(obs.clone(), 0, Action::Save, Status::Approved))
            .collect();
        store.append_revisions("450202", &user.id, None, news).await.unwrap();
        let (_, zone) = store.load_zone("450202", Selection::Approved).await.unwrap();
        assert_eq!(sorted(zone.observations), sorted(observations), "{:?}", store.backend());
    }
}

#[tokio::test]
async fn evidence_attachments_keep_their_bytes() {
    for store in stores("evidence").await {
        with_example_zone(&store).await;
        let user = author(&store).await;
        let content: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        let stored = store
            .add_evidence(
                "450202",
                "7.1",
                2022,
                "监测月报.pdf",
                "application/pdf",
                "abc",
                content.clone(),
                &user.id,
            )
            .await
            .unwrap();
        store
            .add_evidence(
                "450202",
                "7.1",
                2022,
                "b.txt",
                "text/plain",
                "def",
                b"x".to_vec(),
                &user.id,
            )
            .await
            .unwrap();
        let list = store.evidence_list("450202", "7.1", 2022).await.unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0], stored);
        let (meta, bytes) = store.evidence("450202", &stored.id).await.unwrap();
        assert_eq!((meta.size_bytes, bytes), (70_000, content), "{:?}", store.backend());
        assert!(store.evidence_list("450202", "7.1", 2023).await.unwrap().is_empty());
        assert!(matches!(
            store.evidence("450202", "nope").await,
            Err(StoreError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn monitoring_readings_are_stored_by_series_and_never_overwritten() {
    use ecociv_store::monitoring::Reading;
    for store in stores("monitoring").await {
        with_example_zone(&store).await;
        let series = store
            .monitoring_series("450202", "air", "市监测站", "PM2.5", "μg/m³")
            .await
            .unwrap();
        assert_eq!(
            store
                .monitoring_series("450202", "air", "市监测站", "PM2.5", "μg/m³")
                .await
                .unwrap(),
            series
        );
        assert!(matches!(
            store
                .monitoring_series("450202", "air", "市监测站", "PM2.5", "mg/m³")
                .await,
            Err(StoreError::Conflict(_))
        ));
        let reading = |hour: u32, value: Option<f64>| Reading {
            observed_at: format!("2022-01-01T{hour:02}"),
            value,
            flag: "N".into(),
        };
        store
            .append_readings(
                &series,
                &[reading(0, Some(35.5)), reading(1, None), reading(2, Some(40.0))],
            )
            .await
            .unwrap();
        // A batch repeating an hour already stored is refused as a whole.
        let again = store
            .append_readings(&series, &[reading(3, Some(1.0)), reading(2, Some(99.0))])
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        let stored = store.readings(&series, "2022-01-01", "2022-01-02").await.unwrap();
        assert_eq!(
            stored,
            vec![reading(0, Some(35.5)), reading(1, None), reading(2, Some(40.0))],
            "{:?}",
            store.backend()
        );
    }
}

#[tokio::test]
async fn a_monitoring_batch_is_stored_whole_or_not_at_all_on_both_backends() {
    use ecociv_store::monitoring::{NewReading, Reading};
    for store in stores("monitoring_batch").await {
        with_example_zone(&store).await;
        // More readings than one multi-row INSERT holds, NULL values and text flags among them.
        let reading = |station: &str, hour: u32, parameter: &str, value: Option<f64>, flag: &str| NewReading {
            station: station.into(),
            parameter: parameter.into(),
            unit: if parameter == "co" {
                "mg/m³".into()
            } else {
                "μg/m³".into()
            },
            observed_at: format!("2023-01-{:02}T{:02}", 1 + hour / 24, hour % 24),
            value,
            flag: flag.into(),
        };
        let batch: Vec<NewReading> = (0..300)
            .flat_map(|h| {
                [
                    reading("A", h, "pm25", Some(f64::from(h)), ""),
                    reading(
                        "A",
                        h,
                        "co",
                        if h % 7 == 0 { None } else { Some(0.5) },
                        if h % 7 == 0 { "0.5L" } else { "" },
                    ),
                ]
            })
            .collect();
        assert_eq!(
            store
                .append_monitoring_batch("450202", "air", "a.SYNTHETIC.csv", &batch)
                .await
                .unwrap(),
            600
        );
        let cells = store.monitoring_cells("450202", "air", "2023", "2024").await.unwrap();
        assert_eq!(cells.len(), 600, "{:?}", store.backend());
        let flagged = cells
            .iter()
            .find(|c| c.parameter == "co" && c.reading.observed_at == "2023-01-01T00")
            .unwrap();
        assert_eq!((flagged.reading.value, flagged.reading.flag.as_str()), (None, "0.5L"));
        assert_eq!(
            store.monitoring_files("450202", "air").await.unwrap(),
            vec!["a.SYNTHETIC.csv".to_string()]
        );
        assert_eq!(store.monitoring_years("450202", "air").await.unwrap(), vec![2023]);
        // New readings plus one already stored: refused whole, naming it; nothing added.
        let repeat = vec![
            reading("B", 0, "pm25", Some(1.0), ""),
            reading("A", 5, "pm25", Some(9.0), ""),
        ];
        assert!(
            matches!(
                store.check_monitoring_batch("450202", "air", &repeat).await,
                Err(StoreError::Conflict(_))
            ),
            "the dry-run check sees it too"
        );
        store
            .check_monitoring_batch("450202", "air", &repeat[..1])
            .await
            .expect("a new reading passes the check");
        let refused = store.append_monitoring_batch("450202", "air", "b.csv", &repeat).await;
        assert!(
            matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("A pm25")),
            "{refused:?}"
        );
        assert_eq!(
            store.monitoring_cells("450202", "air", "", "~").await.unwrap().len(),
            600
        );
        assert_eq!(store.monitoring_files("450202", "air").await.unwrap().len(), 1);
        // Text that COPY's format escapes and a value that needs every digit come back exactly.
        let odd = vec![reading("C", 0, "pm25", Some(0.1 + 0.2), "a\tb\\c\nd\re")];
        store
            .append_monitoring_batch("450202", "air", "odd.csv", &odd)
            .await
            .unwrap();
        let back = store
            .monitoring_station_cells("450202", "air", "C", "", "~")
            .await
            .unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(
            back[0].reading,
            odd.into_iter()
                .next()
                .map(|r| Reading {
                    observed_at: r.observed_at,
                    value: r.value,
                    flag: r.flag
                })
                .unwrap()
        );
        // A reading given twice in one batch: refused whole, naming it.
        let twice = vec![
            reading("D", 0, "pm25", Some(1.0), ""),
            reading("D", 0, "pm25", Some(2.0), ""),
        ];
        let refused = store
            .append_monitoring_batch("450202", "air", "twice.csv", &twice)
            .await;
        assert!(
            matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("D pm25") && m.contains("重复")),
            "{refused:?}"
        );
        assert!(
            store
                .monitoring_station_cells("450202", "air", "D", "", "~")
                .await
                .unwrap()
                .is_empty()
        );
        // A unit that differs from the series' is refused; an unknown zone too.
        let unit = vec![NewReading {
            unit: "mg/m³".into(),
            ..reading("A", 400, "pm25", Some(1.0), "")
        }];
        assert!(matches!(
            store.append_monitoring_batch("450202", "air", "c.csv", &unit).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store.append_monitoring_batch("999999", "air", "d.csv", &[]).await,
            Err(StoreError::NotFound(_))
        ));
        // The years with readings, gaps kept: a series with 2021 and 2025 only adds those two.
        let far = vec![
            NewReading {
                observed_at: "2021-06-30T23".into(),
                ..reading("Y", 0, "pm25", Some(1.0), "")
            },
            NewReading {
                observed_at: "2025-01-01T00".into(),
                ..reading("Y", 0, "pm25", Some(1.0), "")
            },
        ];
        store
            .append_monitoring_batch("450202", "air", "far.csv", &far)
            .await
            .unwrap();
        assert_eq!(
            store.monitoring_years("450202", "air").await.unwrap(),
            vec![2021, 2023, 2025]
        );
        assert!(store.monitoring_years("450202", "water").await.unwrap().is_empty());
    }
}
