//! The hierarchy in the store (issue 15): a zone created with its values in one transaction (or not at
//! all), roles granted at a city or province, the zones below a unit, the roll-up's summaries.

use ecociv_core::zone::ParentUnit;
use ecociv_store::values::Batch;
use ecociv_store::{Action, MaterializedAssessment, NewRevision, Role, Selection, Status, StoreError};

use crate::support::{author, stores, with_example_zone};

fn revisions(loaded: &ecociv_data::LoadedZone) -> Vec<NewRevision> {
    loaded
        .zone
        .observations
        .iter()
        .map(|observation| NewRevision {
            after: 0,
            action: Action::Import,
            status: Status::Approved,
            unit: String::new(),
            evidence: String::new(),
            reason: "导入".into(),
            observation: observation.clone(),
        })
        .collect()
}

fn guilin_zone(loaded: &ecociv_data::LoadedZone) -> (ecociv_core::ZoneProfile, ecociv_core::Plan) {
    let mut profile = loaded.zone.profile.clone();
    profile.code = "450302".into();
    profile.name = "秀峰区".into();
    profile.parents = vec![
        ParentUnit {
            code: "450000".into(),
            name: "广西壮族自治区".into(),
            level: "省级".into(),
        },
        ParentUnit {
            code: "450300".into(),
            name: "桂林市".into(),
            level: "地级".into(),
        },
    ];
    (profile, loaded.zone.plan.clone())
}

#[tokio::test]
async fn a_zone_with_its_values_is_created_whole_or_not_at_all() {
    for store in stores("zone_with_values").await {
        let loaded = with_example_zone(&store).await;
        let user = author(&store).await;
        let (profile, plan) = guilin_zone(&loaded);
        let stored = store
            .create_zone_with_values(
                &profile,
                &plan,
                false,
                &user.id,
                Some(Batch { format: "zone".into() }),
                revisions(&loaded),
            )
            .await
            .expect("created");
        assert_eq!(stored.len(), loaded.zone.observations.len());
        assert_eq!(store.data_version("450302").await.unwrap(), Some(1));
        assert_eq!(
            store.observations("450302", Selection::Approved).await.unwrap().len(),
            stored.len()
        );
        // A second zone whose values cannot be written (a revision number that conflicts): nothing stays.
        let mut bad = revisions(&loaded);
        let twice = bad[0].clone();
        bad.push(twice);
        let (mut profile, plan) = guilin_zone(&loaded);
        profile.code = "450303".into();
        let refused = store
            .create_zone_with_values(&profile, &plan, false, &user.id, None, bad)
            .await;
        assert!(refused.is_err(), "{refused:?}");
        assert!(
            store.zone("450303").await.unwrap().is_none(),
            "{:?}: the zone was rolled back",
            store.backend()
        );
    }
}

#[tokio::test]
async fn roles_at_a_city_reach_the_zones_below_it_only() {
    for store in stores("unit_roles").await {
        let loaded = with_example_zone(&store).await;
        let (profile, plan) = guilin_zone(&loaded);
        store.create_zone(&profile, &plan, false).await.unwrap();
        assert_eq!(store.zones_within("450200").await.unwrap(), vec!["450202"]);
        assert_eq!(store.zones_within("450300").await.unwrap(), vec!["450302"]);
        assert_eq!(store.zones_within("450000").await.unwrap(), vec!["450202", "450302"]);
        assert_eq!(store.zones_within("450202").await.unwrap(), vec!["450202"]);
        assert!(store.zones_within("450100").await.unwrap().is_empty());
        let user = author(&store).await;
        store.set_unit_role("450200", &user.id, Role::Reviewer).await.unwrap();
        assert!(matches!(
            store.set_unit_role("450200", &user.id, Role::Editor).await,
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            store.set_unit_role("459900", &user.id, Role::Viewer).await,
            Err(StoreError::NotFound(_))
        ));
        let roles = store.unit_roles(&user.id).await.unwrap();
        assert_eq!(roles.len(), 1);
        assert_eq!((roles[0].unit_code.as_str(), roles[0].role), ("450200", Role::Reviewer));
        store.set_unit_role("450200", &user.id, Role::Viewer).await.unwrap();
        assert_eq!(store.unit_roles(&user.id).await.unwrap()[0].role, Role::Viewer);
        store.remove_unit_role("450200", &user.id).await.unwrap();
        assert!(store.unit_roles(&user.id).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn the_rollup_reads_only_current_summaries_of_its_scope() {
    for store in stores("rollup_summaries").await {
        let loaded = with_example_zone(&store).await;
        let (profile, plan) = guilin_zone(&loaded);
        store.create_zone(&profile, &plan, false).await.unwrap();
        let put = |code: &str, version: i64, engine: &str, summary: &str| MaterializedAssessment {
            zone_code: code.into(),
            year: 2021,
            selection: Selection::Approved,
            data_version: version,
            engine: engine.into(),
            json_gzip: vec![1, 2, 3],
            json_bytes: 3,
            summary: Some(summary.into()),
        };
        store
            .put_materialized_assessments(&[put("450202", 0, "e1", "s1|a"), put("450302", 0, "old", "s1|b")])
            .await
            .unwrap();
        let engine = |_: &str| Some("e1".to_string());
        let rows = store
            .rollup_summaries(Some("450000"), 2021, Selection::Approved, engine)
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].summary.as_deref(), rows[0].stale), (Some("s1|a"), false));
        assert_eq!(
            (rows[1].summary.as_deref(), rows[1].stale),
            (None, true),
            "another engine is stale"
        );
        let city = store
            .rollup_summaries(Some("450300"), 2021, Selection::Approved, engine)
            .await
            .unwrap();
        assert_eq!(
            city.iter().map(|r| r.zone_code.as_str()).collect::<Vec<_>>(),
            ["450302"]
        );
        let nation = store
            .rollup_summaries(None, 2021, Selection::Approved, engine)
            .await
            .unwrap();
        assert_eq!(nation.len(), 2);
        let other_year = store
            .rollup_summaries(None, 2022, Selection::Approved, engine)
            .await
            .unwrap();
        assert!(other_year.iter().all(|r| r.summary.is_none() && !r.stale));
    }
}
