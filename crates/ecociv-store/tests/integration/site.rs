//! A zone's points on its map (issue 15, migration 0026): one import replaces the zone's whole set in one
//! transaction with its audit record, kept with the file and the time; an unknown zone changes nothing.

use ecociv_store::{NewSite, StoreError};

use crate::support::{author, stores, with_example_zone};

fn site(kind: &str, id: &str, lon: f64, lat: f64, illustrative: bool) -> NewSite {
    NewSite {
        kind: kind.into(),
        site_id: id.into(),
        name: id.into(),
        lon,
        lat,
        illustrative,
    }
}

#[tokio::test]
async fn a_zones_points_are_replaced_whole_with_their_source() {
    for store in stores("site").await {
        with_example_zone(&store).await;
        let actor = author(&store).await;
        assert!(store.sites("450202").await.expect("none").is_empty());

        let refused = store
            .replace_sites_by(
                &actor.id,
                "459999",
                &[site("station", "A", 109.4, 24.3, false)],
                "x.geojson",
            )
            .await;
        assert!(matches!(refused, Err(StoreError::NotFound(_))), "{refused:?}");

        let first = [
            site("station", "SYN-A0000", 109.4617, 24.3268, true),
            site("section", "GX-SYN-01", 109.4306, 24.3939, false),
            site("project", "2.01", 109.45, 24.35, false),
        ];
        assert_eq!(
            store
                .replace_sites_by(&actor.id, "450202", &first, "a.geojson")
                .await
                .expect("stored"),
            3
        );
        let read = store.sites("450202").await.expect("read");
        let keys: Vec<(&str, &str)> = read.iter().map(|s| (s.kind.as_str(), s.site_id.as_str())).collect();
        assert_eq!(
            keys,
            [("project", "2.01"), ("section", "GX-SYN-01"), ("station", "SYN-A0000")]
        );
        let station = &read[2];
        assert_eq!(
            (station.lon, station.lat, station.illustrative),
            (109.4617, 24.3268, true)
        );
        assert_eq!(
            (station.source.as_str(), station.imported_by.as_str()),
            ("a.geojson", actor.id.as_str())
        );
        assert!(!read[1].illustrative);

        // A second file replaces the set: the points it leaves out are gone.
        store
            .replace_sites_by(
                &actor.id,
                "450202",
                &[site("section", "GX-SYN-01", 109.5, 24.4, false)],
                "b.geojson",
            )
            .await
            .expect("replaced");
        let read = store.sites("450202").await.expect("read");
        assert_eq!(read.len(), 1);
        assert_eq!((read[0].lon, read[0].source.as_str()), (109.5, "b.geojson"));

        let audit = store.audit_log(Some(("zone", "450202")), 10).await.expect("audit");
        let imports: Vec<_> = audit.iter().filter(|e| e.action == "zone.sites").collect();
        assert_eq!(imports.len(), 2, "{audit:?}");
        // (Not by order: two imports may fall in one millisecond.)
        let mut counts: Vec<(i64, i64)> = imports
            .iter()
            .map(|e| (e.before["sites"].as_i64().unwrap(), e.after["sites"].as_i64().unwrap()))
            .collect();
        counts.sort_unstable();
        assert_eq!(counts, [(0, 3), (3, 1)]);
        assert!(
            imports
                .iter()
                .any(|e| e.after["source"] == "b.geojson" && e.after["illustrative"] == 0)
        );
    }
}
