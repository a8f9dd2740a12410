//! Points on a zone's maps (issue 15, migration 0026): its air stations, water sections and key projects
//! with a longitude/latitude, as imported from a GeoJSON file. One import replaces the zone's whole set in
//! one transaction, with the audit record `zone.sites`; the file and the time are kept with each row.
//! The checks (kinds, known ids, positions inside China) are the caller's (`ecociv_server::service::sites`).

use serde_json::json;
use sqlx::Row;

use crate::{Result, Store, clock};

/// One point to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSite {
    /// `station`, `section` or `project`.
    pub kind: String,
    /// The station's or section's name, or the project's number.
    pub site_id: String,
    /// The name shown (the data's, else the file's).
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    /// A position drawn for illustration (示意).
    pub illustrative: bool,
}

/// A stored point.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSite {
    pub kind: String,
    pub site_id: String,
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    pub illustrative: bool,
    /// The file it came from.
    pub source: String,
    pub imported_at: String,
    pub imported_by: String,
}

impl Store {
    /// Replaces the zone's points with `sites` (from the file `source`), in one transaction with the audit
    /// record; a zone that is not stored is refused and nothing changes. Returns how many were stored.
    pub async fn replace_sites_by(
        &self,
        actor_id: &str,
        zone_code: &str,
        sites: &[NewSite],
        source: &str,
    ) -> Result<usize> {
        let now = clock::now();
        let mut tx = self.begin_write().await?;
        Store::require_zone(&mut tx, zone_code).await?;
        let before: i64 = sqlx::query("SELECT COUNT(*) AS n FROM zone_site WHERE zone_code = $1")
            .bind(zone_code)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        sqlx::query("DELETE FROM zone_site WHERE zone_code = $1")
            .bind(zone_code)
            .execute(&mut *tx)
            .await?;
        for site in sites {
            sqlx::query(
                "INSERT INTO zone_site (zone_code, kind, site_id, name, lon, lat, illustrative, source, imported_at, imported_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(zone_code)
            .bind(&site.kind)
            .bind(&site.site_id)
            .bind(&site.name)
            .bind(site.lon)
            .bind(site.lat)
            .bind(i64::from(site.illustrative))
            .bind(source)
            .bind(&now)
            .bind(actor_id)
            .execute(&mut *tx)
            .await?;
        }
        crate::audit::record_in(
            &mut tx,
            actor_id,
            "zone.sites",
            "zone",
            zone_code,
            Some(zone_code),
            &json!({ "sites": before }),
            &json!({
                "sites": sites.len(),
                "illustrative": sites.iter().filter(|s| s.illustrative).count(),
                "source": source,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(sites.len())
    }

    /// The zone's points, by kind and id.
    pub async fn sites(&self, zone_code: &str) -> Result<Vec<StoredSite>> {
        let rows = sqlx::query(
            "SELECT kind, site_id, name, lon, lat, illustrative, source, imported_at, imported_by FROM zone_site
             WHERE zone_code = $1 ORDER BY kind, site_id",
        )
        .bind(zone_code)
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .iter()
            .map(|row| {
                Ok(StoredSite {
                    kind: row.try_get("kind")?,
                    site_id: row.try_get("site_id")?,
                    name: row.try_get("name")?,
                    lon: row.try_get("lon")?,
                    lat: row.try_get("lat")?,
                    illustrative: row.try_get::<i64, _>("illustrative")? != 0,
                    source: row.try_get("source")?,
                    imported_at: row.try_get("imported_at")?,
                    imported_by: row.try_get("imported_by")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // Rust's order, whatever the database's collation.
        out.sort_by(|a, b| (&a.kind, &a.site_id).cmp(&(&b.kind, &b.site_id)));
        Ok(out)
    }
}
