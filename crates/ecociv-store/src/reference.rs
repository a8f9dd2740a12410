//! Reference data shared by every zone: framework editions (kept as their TOML text, parsed by
//! `ecociv-data`, cached in memory) with an index of their rows, and the administrative units above zones.

use std::sync::Arc;

use ecociv_core::Framework;
use sqlx::Row;

use crate::{Result, Store, StoreError, clock};

impl Store {
    /// Stores a framework edition from its TOML text. Storing the same text again is a no-op; a different
    /// text under an id already stored is refused (an edition never changes: a new edition is a new id).
    pub async fn put_framework(&self, toml_text: &str) -> Result<Arc<Framework>> {
        let framework = ecociv_data::framework::parse_framework("<framework>", toml_text)
            .map_err(|error| StoreError::Invalid(error.to_string()))?;
        let existing = sqlx::query("SELECT source_toml FROM framework WHERE id = $1")
            .bind(&framework.id)
            .fetch_optional(&self.pool)
            .await?;
        if let Some(row) = existing {
            let stored: String = row.try_get("source_toml")?;
            if stored != toml_text {
                return Err(StoreError::Conflict(format!(
                    "指标体系 {} 已存在且内容不同；新版本请使用新的 id (framework already stored with other content)",
                    framework.id
                )));
            }
            return self.framework(&framework.id).await;
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO framework (id, edition, name, source_toml, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&framework.id)
            .bind(&framework.edition)
            .bind(&framework.name)
            .bind(toml_text)
            .bind(clock::now())
            .execute(&mut *tx)
            .await?;
        for (position, (indicator, row)) in framework.rows().enumerate() {
            sqlx::query(
                "INSERT INTO framework_row (framework_id, row_id, indicator_id, name, unit, position) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&framework.id)
            .bind(&row.id)
            .bind(&indicator.id)
            .bind(&row.name)
            .bind(&row.unit)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        let framework = Arc::new(framework);
        self.cache_framework(framework.clone());
        Ok(framework)
    }

    /// A stored framework edition, parsed (cached after the first read).
    pub async fn framework(&self, id: &str) -> Result<Arc<Framework>> {
        if let Ok(cache) = self.frameworks.read()
            && let Some(framework) = cache.get(id)
        {
            return Ok(framework.clone());
        }
        let row = sqlx::query("SELECT source_toml FROM framework WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("指标体系 (framework) {id}")))?;
        let text: String = row.try_get("source_toml")?;
        let framework = ecociv_data::framework::parse_framework(&format!("<framework {id}>"), &text)
            .map_err(|error| StoreError::Invalid(error.to_string()))?;
        let framework = Arc::new(framework);
        self.cache_framework(framework.clone());
        Ok(framework)
    }

    /// The ids of the stored framework editions.
    pub async fn framework_ids(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT id FROM framework ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| row.try_get::<String, _>("id").map_err(StoreError::from))
            .collect()
    }

    fn cache_framework(&self, framework: Arc<Framework>) {
        if let Ok(mut cache) = self.frameworks.write() {
            cache.insert(framework.id.clone(), framework);
        }
    }

    /// Records an administrative unit (province, city, …) unless it is already known. Two zones of one city
    /// created at once both find it missing: the second insert is a no-op, not a conflict.
    pub async fn ensure_admin_unit(&self, code: &str, name: &str, level: &str, parent: Option<&str>) -> Result<()> {
        let known = sqlx::query("SELECT code FROM admin_unit WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        if known.is_none() {
            sqlx::query(crate::hierarchy::INSERT_ADMIN_UNIT)
                .bind(code)
                .bind(name)
                .bind(level)
                .bind(parent)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}
