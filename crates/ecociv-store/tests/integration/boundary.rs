//! Boundaries (issue 15, migration 0022): stored whole or not at all, replaced by a later import of the same
//! unit, read by code, and the version a cache keys on moves with each import.

use ecociv_store::{NewBoundary, StoreError};

use crate::support::stores;

fn boundary(code: &str, name: &str, geometry: &str) -> NewBoundary {
    NewBoundary {
        unit_code: code.into(),
        name: name.into(),
        geometry: geometry.into(),
        points: 4,
    }
}

#[tokio::test]
async fn boundaries_are_stored_whole_and_replaced_by_unit() {
    for store in stores("boundary").await {
        store
            .ensure_admin_units(&[
                ("450000".into(), "广西壮族自治区".into(), "省级".into(), None),
                ("450200".into(), "柳州市".into(), "地级".into(), Some("450000".into())),
                ("450202".into(), "城中区".into(), "县级".into(), Some("450200".into())),
                ("450203".into(), "鱼峰区".into(), "县级".into(), Some("450200".into())),
            ])
            .await
            .expect("units");
        assert_eq!(store.boundary_version().await.expect("version"), (0, None));
        // A file with a unit the store does not know: nothing is stored.
        let refused = store
            .put_boundaries(
                &[boundary("450202", "城中区", "[1]"), boundary("459999", "无此县", "[2]")],
                "bad.geojson",
            )
            .await;
        assert!(matches!(refused, Err(StoreError::NotFound(_))), "{refused:?}");
        assert_eq!(
            store.boundary_version().await.expect("version").0,
            0,
            "nothing of it stored"
        );

        let written = store
            .put_boundaries(
                &[boundary("450202", "城中区", "[1]"), boundary("450203", "鱼峰区", "[2]")],
                "a.geojson",
            )
            .await
            .expect("stored");
        assert_eq!(written, 2);
        let (count, first) = store.boundary_version().await.expect("version");
        assert_eq!(count, 2);
        // The version is the latest import time in milliseconds: two imports within one millisecond (this
        // test's two writes, never two uploads of a user) would share it.
        std::thread::sleep(std::time::Duration::from_millis(5));
        store
            .put_boundaries(&[boundary("450203", "鱼峰区", "[3]")], "b.geojson")
            .await
            .expect("replaced");
        let read = store
            .boundaries(&["450202".into(), "450203".into(), "450204".into()])
            .await
            .expect("read");
        let seen: Vec<(&str, &str, &str)> = read
            .iter()
            .map(|b| (b.unit_code.as_str(), b.geometry.as_str(), b.source.as_str()))
            .collect();
        assert_eq!(seen, [("450202", "[1]", "a.geojson"), ("450203", "[3]", "b.geojson")]);
        let (count, latest) = store.boundary_version().await.expect("version");
        assert_eq!(count, 2);
        assert!(latest > first, "{latest:?} after {first:?}");
    }
}
