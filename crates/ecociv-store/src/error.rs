//! The store's error type.

/// What can go wrong in the store. `Conflict` means a concurrent change won (retry after re-reading).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库错误 (database error): {0}")]
    Db(sqlx::Error),
    #[error("数据库迁移失败 (migration failed): {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("未找到 (not found): {0}")]
    NotFound(String),
    #[error("冲突 (conflict): {0}")]
    Conflict(String),
    #[error("数据无效 (invalid data): {0}")]
    Invalid(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error
            && db.is_unique_violation()
        {
            return StoreError::Conflict(db.message().to_string());
        }
        StoreError::Db(error)
    }
}
