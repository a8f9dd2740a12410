//! Stored files on the pages: the one list row of an uploaded file (a value's evidence, a register
//! record's), whatever it is attached to.

use std::collections::BTreeMap;

use ecociv_store::StoredFile;
use ecociv_web::pages::indicator::EvidenceFile;

use super::WebResult;
use crate::AppState;

/// The list rows of `files`, in their order: each with its download link (`href` of the file's id), size,
/// time and the uploader's display name (looked up once per uploader; empty for an account that is gone).
pub async fn rows<'a>(
    state: &AppState,
    files: impl Iterator<Item = &'a StoredFile>,
    href: impl Fn(&str) -> String,
) -> WebResult<Vec<EvidenceFile>> {
    let mut names: BTreeMap<&str, String> = BTreeMap::new();
    let mut rows = Vec::new();
    for file in files {
        if !names.contains_key(file.uploaded_by.as_str()) {
            let name = state
                .store
                .user_by_id(&file.uploaded_by)
                .await?
                .map(|user| user.display_name)
                .unwrap_or_default();
            names.insert(&file.uploaded_by, name);
        }
        rows.push(EvidenceFile {
            name: file.file_name.clone(),
            href: href(&file.id),
            bytes: u64::try_from(file.size_bytes).unwrap_or(0),
            uploaded_at: file.created_at.clone(),
            uploaded_by: names.get(file.uploaded_by.as_str()).cloned().unwrap_or_default(),
        });
    }
    Ok(rows)
}
