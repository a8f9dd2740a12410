//! Units' boundaries for the maps (issue 15, migration 0022): stored as the deployment imported them, one
//! row per unit, replaced whole by a later import of the same unit; the geometry is the text
//! `ecociv_map::geojson::encode` wrote (this module stores it and does not read it).

use sqlx::Row;

use crate::{Result, Store, StoreError, clock};

/// One unit's boundary to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBoundary {
    pub unit_code: String,
    /// The unit's name as the file gave it (or the hierarchy's).
    pub name: String,
    /// The polygons' coordinates (`ecociv_map::geojson::encode`).
    pub geometry: String,
    pub points: i64,
}

/// A stored boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBoundary {
    pub unit_code: String,
    pub name: String,
    pub geometry: String,
    pub points: i64,
    /// The file it came from.
    pub source: String,
    pub imported_at: String,
}

/// What identifies the stored boundaries' state: how many and the latest import (a cache key).
pub type BoundaryVersion = (i64, Option<String>);

impl Store {
    /// Stores boundaries from one file in one transaction: every unit's row replaced, or none (a unit
    /// unknown to `admin_unit` fails the whole import). Returns how many were written.
    pub async fn put_boundaries(&self, boundaries: &[NewBoundary], source: &str) -> Result<usize> {
        let now = clock::now();
        let mut tx = self.begin_write().await?;
        for b in boundaries {
            let known = sqlx::query("SELECT 1 FROM admin_unit WHERE code = $1")
                .bind(&b.unit_code)
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(StoreError::NotFound(format!(
                    "行政区划 (administrative unit) {}",
                    b.unit_code
                )));
            }
            sqlx::query(
                "INSERT INTO boundary (unit_code, name, geometry, points, source, imported_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (unit_code) DO UPDATE SET name = excluded.name, geometry = excluded.geometry,
                    points = excluded.points, source = excluded.source, imported_at = excluded.imported_at",
            )
            .bind(&b.unit_code)
            .bind(&b.name)
            .bind(&b.geometry)
            .bind(b.points)
            .bind(source)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(boundaries.len())
    }

    /// The stored boundaries of the given units (those that have one), by code.
    pub async fn boundaries(&self, codes: &[String]) -> Result<Vec<StoredBoundary>> {
        let mut out = Vec::new();
        for chunk in codes.chunks(500) {
            let sql = format!(
                "SELECT unit_code, name, geometry, points, source, imported_at FROM boundary
                 WHERE unit_code IN {} ORDER BY unit_code",
                crate::row_placeholders(self.backend, 1, chunk.len())
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for code in chunk {
                query = query.bind(code);
            }
            for row in query.fetch_all(&self.pool).await? {
                out.push(StoredBoundary {
                    unit_code: row.try_get("unit_code")?,
                    name: row.try_get("name")?,
                    geometry: row.try_get("geometry")?,
                    points: row.try_get("points")?,
                    source: row.try_get("source")?,
                    imported_at: row.try_get("imported_at")?,
                });
            }
        }
        out.sort_by(|a, b| a.unit_code.cmp(&b.unit_code));
        Ok(out)
    }

    /// How many boundaries are stored and when the latest was imported.
    pub async fn boundary_version(&self) -> Result<BoundaryVersion> {
        let row = sqlx::query("SELECT COUNT(*) AS n, MAX(imported_at) AS latest FROM boundary")
            .fetch_one(&self.pool)
            .await?;
        Ok((row.try_get("n")?, row.try_get("latest")?))
    }
}
