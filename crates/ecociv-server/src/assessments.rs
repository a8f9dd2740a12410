//! Serving assessments fast: three layers, each checked against the zone's current data version.
//!
//! 1. In memory: [`crate::cache::AssessmentCache`], gzip-compressed JSON bounded by a byte budget.
//! 2. In the store: `materialized_assessment` (see `ecociv_store::materialized`), the same compressed
//!    bytes keyed by (zone, year, selection), with the data version and the [`engine_key`] they were
//!    computed at and by — it survives restarts and is shared by every server instance.
//! 3. Computed: the zone's values up to that year, [`ecociv_core::assess`], the JSON of
//!    `ecociv assess --format json` ([`ecociv_report::json::assessment`]), then written to both layers.
//!
//! The bytes served (after decompression) are exactly the JSON text a fresh computation gives.
//! In the background ([`spawn_background`]), missing and stale materialized assessments are filled at
//! start, and a zone's are recomputed after each of its value writes (years from the earliest year
//! written: an assessment of a year reads only values up to that year).

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::sync::{Arc, OnceLock, RwLock};

use axum::body::Bytes;
use axum::http::HeaderValue;
use ecociv_core::{Framework, Plan, Zone};
use ecociv_store::{MaterializedAssessment, Selection, Store, ZoneRecord};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// Bumped by hand when the assessment or its JSON changes without a change of the crate version (a
/// development build); a release always changes the version.
pub const ENGINE_REVISION: u32 = 2;

/// The engine key of assessments under `framework`: the software version, [`ENGINE_REVISION`], the
/// framework edition's id and edition, and a digest of the framework as parsed. Materialized assessments
/// with another key are never served.
pub fn engine_key(framework: &Framework) -> String {
    static KEYS: OnceLock<RwLock<HashMap<String, String>>> = OnceLock::new();
    let keys = KEYS.get_or_init(RwLock::default);
    if let Ok(keys) = keys.read()
        && let Some(key) = keys.get(&framework.id)
    {
        return key.clone();
    }
    let digest = Sha256::digest(format!("{framework:?}").as_bytes());
    let hex: String = digest.iter().take(8).map(|byte| format!("{byte:02x}")).collect();
    let key = format!(
        "ecociv {} r{ENGINE_REVISION}; framework {} {} {hex}",
        env!("CARGO_PKG_VERSION"),
        framework.id,
        framework.edition
    );
    if let Ok(mut keys) = keys.write() {
        keys.insert(framework.id.clone(), key.clone());
    }
    key
}

/// Gzip-compresses a JSON text (deterministic: no file name, time 0).
pub fn gzip(json: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(json.len() / 6), flate2::Compression::default());
    encoder.write_all(json)?;
    encoder.finish()
}

/// Decompresses what [`gzip`] made.
pub fn gunzip(gzip: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut json = Vec::with_capacity(gzip.len() * 8);
    flate2::read::GzDecoder::new(gzip).read_to_end(&mut json)?;
    Ok(json)
}

/// Whether an `Accept-Encoding` header accepts gzip (RFC 9110 §12.5.3: `gzip`, `x-gzip` or `*`, with a
/// non-zero `q`; an explicit `gzip` entry overrides `*`).
pub fn accepts_gzip(header: Option<&HeaderValue>) -> bool {
    let Some(text) = header.and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let mut star = None;
    for item in text.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|param| {
                param
                    .trim()
                    .strip_prefix("q=")
                    .or_else(|| param.trim().strip_prefix("Q="))
            })
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        match coding.as_str() {
            "gzip" | "x-gzip" => return q > 0.0,
            "*" => star = Some(q > 0.0),
            _ => {}
        }
    }
    star.unwrap_or(false)
}

/// Computes the assessments of `years` from the values as they are now, compressed and ready to store
/// as computed at `version`. The CPU work runs on the blocking pool.
pub async fn compute(
    store: &Store,
    zone: Arc<(ZoneRecord, Plan)>,
    version: i64,
    selection: Selection,
    years: Vec<i32>,
) -> ApiResult<Vec<MaterializedAssessment>> {
    let Some(&last) = years.iter().max() else {
        return Ok(Vec::new());
    };
    let code = zone.0.profile.code.clone();
    // Read after `version` was: the values are at least that new, so storing them under it never serves
    // older data for a newer version (a newer version simply makes them stale).
    let observations = store.observations_until(&code, selection, Some(last)).await?;
    // Each year under the edition in force that year (issue 15: a zone that adopted a newer edition keeps
    // its earlier years under the old one); the engine key names it, so a stored assessment of another
    // edition is never served.
    let mut frameworks: HashMap<String, (Arc<Framework>, String)> = HashMap::new();
    for year in &years {
        let id = zone.0.editions.for_year(*year);
        if !frameworks.contains_key(id) {
            let framework = store.framework(id).await?;
            let engine = engine_key(&framework);
            frameworks.insert(id.to_string(), (framework, engine));
        }
    }
    let computed = crate::work::cpu(move || {
        let mut out = Vec::with_capacity(years.len());
        for year in years {
            let Some((framework, engine)) = frameworks.get(zone.0.editions.for_year(year)) else {
                continue;
            };
            let observations = observations
                .iter()
                .filter(|observation| observation.year <= year)
                .cloned()
                .collect();
            let subject = Zone {
                profile: zone.0.profile.clone(),
                plan: zone.1.clone(),
                observations,
            };
            let assessment = ecociv_core::assess(framework, &subject, year);
            let json = ecociv_report::json::assessment(&assessment).to_string();
            let json_gzip = gzip(json.as_bytes())?;
            out.push(MaterializedAssessment {
                zone_code: zone.0.profile.code.clone(),
                year,
                selection,
                data_version: version,
                engine: engine.clone(),
                json_gzip,
                json_bytes: json.len() as i64,
                // The roll-up's input (issue 15), from the same assessment.
                summary: Some(ecociv_progress::rollup::ZoneSummary::from_assessment(&assessment).encode()),
            });
        }
        Ok::<_, std::io::Error>(out)
    })
    .await?
    .map_err(ApiError::internal)?;
    Ok(computed)
}

/// The zone's record and plan at `version`, from the zone cache or the store.
async fn zone_and_plan(state: &AppState, code: &str, version: i64) -> ApiResult<Arc<(ZoneRecord, Plan)>> {
    if let Some(cached) = state.zones.get(code, version) {
        return Ok(cached);
    }
    let loaded = load_zone_and_plan(&state.store, code).await?;
    state.zones.put(code.to_string(), loaded.0.data_version, loaded.clone());
    Ok(loaded)
}

async fn load_zone_and_plan(store: &Store, code: &str) -> ApiResult<Arc<(ZoneRecord, Plan)>> {
    let record = store
        .zone(code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("区域 (zone) {code}")))?;
    let plan = store.plan(&record).await?;
    Ok(Arc::new((record, plan)))
}

/// Refuses a year the zone has nothing to be assessed on: after the plan's last target year, or before
/// the plan's base year with no value stored up to it (an assessment there would say "no data" on every
/// row). The pages offer the same span of years (`web::years`).
async fn check_assessable_year(
    store: &Store,
    zone: &(ZoneRecord, Plan),
    selection: Selection,
    year: i32,
) -> ApiResult<()> {
    let base = zone.0.base_year;
    let last = zone.1.target_years().last().copied().unwrap_or(base).max(base);
    let message = if year > last {
        format!(
            "{year} 年在规划目标年 {last} 年之后，无可评估的目标 (year {year} is after the plan's last target year {last})"
        )
    } else if year < base
        && store
            .observations_until(&zone.0.profile.code, selection, Some(year))
            .await?
            .is_empty()
    {
        format!(
            "{year} 年早于规划基准年 {base} 年，且当年及以前没有数据 (year {year} is before the plan's base year {base} and has no data)"
        )
    } else {
        return Ok(());
    };
    Err(ApiError::bad_request(message)
        .with_details(serde_json::json!({"field": "year", "base_year": base, "last_target_year": last})))
}

/// The gzip-compressed assessment JSON of (zone, year, selection) at the zone's data version `version`
/// (read by the caller just before) under `framework_id`, the edition in force that year
/// (`ZoneHead::editions`, `ZoneRecord::editions`): from memory, else from the store's materialized assessments, else
/// computed and written to both.
pub async fn assessment_gzip(
    state: &AppState,
    code: &str,
    framework_id: &str,
    year: i32,
    selection: Selection,
    version: i64,
) -> ApiResult<Bytes> {
    if let Some(gzip) = state.cache.get(code, year, selection, version) {
        return Ok(gzip);
    }
    // The store's materialized assessment first, without waiting for anyone: a draft save moves it on
    // to the new version, so under a stream of saves this lookup is what nearly every reader needs (issue
    // 20: taking the computing guard before it queued the readers one database round trip at a time,
    // 736 → 51 req/s).
    let framework = state.store.framework(framework_id).await?;
    let engine = engine_key(&framework);
    if let Some(gzip) = state
        .store
        .materialized_assessment(code, year, selection, version, &engine)
        .await?
    {
        let gzip = Bytes::from(gzip);
        state.cache.put(code, year, selection, version, gzip.clone());
        return Ok(gzip);
    }
    // The readers of a year a write made stale compute it once (issue 20: eight readers computing and
    // storing the same assessment after every save took the write lock from the savers); the others wait,
    // then find it in memory.
    let computing = state.cache.computing(code, year, selection).await;
    if let Some(gzip) = state.cache.get(code, year, selection, version) {
        return Ok(gzip);
    }
    let zone = zone_and_plan(state, code, version).await?;
    check_assessable_year(&state.store, &zone, selection, year).await?;
    let computed = compute(&state.store, zone, version, selection, vec![year]).await?;
    let gzip = computed
        .first()
        .map(|computed| Bytes::from(computed.json_gzip.clone()))
        .ok_or_else(|| ApiError::internal("no assessment"))?;
    state.cache.put(code, year, selection, version, gzip.clone());
    // The readers waiting for this computation are served from memory now, not after the write below
    // (which queues behind the savers on SQLite).
    drop(computing);
    state.store.put_materialized_assessments(&computed).await?;
    Ok(gzip)
}

/// The assessment of `year` on a zone's approved values as the pages show it: the API's own — from
/// memory, else the store's materialized assessment, else computed and stored ([`assessment_gzip`]) —
/// read back into an [`ecociv_core::Assessment`] by [`ecociv_report::json::parse_assessment`] against
/// `zone` (the approved values `record` was loaded with, at `record.data_version`). A year the API does
/// not assess (after the plan's last target year, or before its base year without data) and a stored
/// JSON that no longer fits `zone` (a write between the two reads) are assessed here instead, never
/// stored.
pub async fn approved(
    state: &AppState,
    framework: &Framework,
    record: &ZoneRecord,
    zone: &Zone,
    year: i32,
) -> ApiResult<ecociv_core::Assessment> {
    let code = &record.profile.code;
    // The year's own edition (issue 15): a caller holding the zone's current edition gets the earlier
    // years judged as they were.
    let year_framework;
    let framework = match record.editions.for_year(year) {
        id if id == framework.id => framework,
        id => {
            year_framework = state.store.framework(id).await?;
            year_framework.as_ref()
        }
    };
    match assessment_gzip(
        state,
        code,
        &framework.id,
        year,
        Selection::Approved,
        record.data_version,
    )
    .await
    {
        Ok(gzip) => {
            let read = gunzip(&gzip)
                .ok()
                .and_then(|json| serde_json::from_slice::<serde_json::Value>(&json).ok())
                .and_then(|json| ecociv_report::json::parse_assessment(framework, zone, &json).ok());
            if let Some(assessment) = read {
                return Ok(assessment);
            }
        }
        Err(error) if error.code == crate::error::Code::BadRequest => {}
        Err(error) => return Err(error),
    }
    Ok(ecociv_core::assess(framework, zone, year))
}

/// [`approved`] for each of `years`, in that order.
pub async fn approved_years(
    state: &AppState,
    framework: &Framework,
    record: &ZoneRecord,
    zone: &Zone,
    years: &[i32],
) -> ApiResult<Vec<ecociv_core::Assessment>> {
    let mut out = Vec::with_capacity(years.len());
    for year in years {
        out.push(approved(state, framework, record, zone, *year).await?);
    }
    Ok(out)
}

/// Recomputes a zone's materialized assessments of years from `from_year` that are missing or stale:
/// for the approved selection, every year the zone has values for and every year already materialized;
/// for the submitted selection, only the years already materialized (they are made on demand). Returns
/// how many were computed.
pub async fn refresh_zone(store: &Store, code: &str, from_year: i32) -> ApiResult<usize> {
    let Some(head) = store.zone_head(code).await? else {
        return Ok(0);
    };
    // The engine key of each edition the zone is judged under (a year's is its edition's).
    let mut engines: HashMap<String, String> = HashMap::new();
    for (id, _, _) in head.editions.periods() {
        engines.insert(id.to_string(), engine_key(&*store.framework(id).await?));
    }
    let states = store.materialized_states(code).await?;
    let fresh = |year: i32, selection: Selection| {
        states.iter().any(|state| {
            state.year == year
                && state.selection == selection
                && state.data_version == head.data_version
                && engines.get(head.editions.for_year(year)) == Some(&state.engine)
        })
    };
    let mut wanted: BTreeSet<(Selection, i32)> = BTreeSet::new();
    for year in store.value_years(code).await? {
        wanted.insert((Selection::Approved, year));
    }
    for state in &states {
        wanted.insert((state.selection, state.year));
    }
    let mut computed = 0;
    let mut zone = None;
    for selection in [Selection::Approved, Selection::SubmittedOrApproved] {
        let years: Vec<i32> = wanted
            .iter()
            .filter(|(s, year)| *s == selection && *year >= from_year && !fresh(*year, selection))
            .map(|(_, year)| *year)
            .collect();
        if years.is_empty() {
            continue;
        }
        let loaded = match &zone {
            Some(loaded) => Arc::clone(loaded),
            None => {
                let loaded = load_zone_and_plan(store, code).await?;
                zone = Some(loaded.clone());
                loaded
            }
        };
        // The version read with the record: the values read next are at least that new.
        let version = loaded.0.data_version;
        let assessments = compute(store, loaded, version, selection, years).await?;
        computed += assessments.len();
        store.put_materialized_assessments(&assessments).await?;
    }
    Ok(computed)
}

/// Fills every zone's missing or stale materialized assessments, one zone at a time. A zone that fails
/// is reported (on stderr) and skipped: its assessments are computed on demand. Returns (zones,
/// assessments computed).
pub async fn refresh_all(store: &Store) -> ApiResult<(usize, usize)> {
    let zones = store.zone_versions().await?;
    let mut computed = 0;
    for (code, _) in &zones {
        match refresh_zone(store, code, i32::MIN).await {
            Ok(count) => computed += count,
            Err(error) => tracing::error!(
                "区域 {code} 的评估结果未能物化 (materializing zone {code} failed): {}",
                error.message
            ),
        }
        // Let requests run between zones.
        tokio::task::yield_now().await;
    }
    Ok((zones.len(), computed))
}

/// The lease of the start-up fill ([`fill_once`]).
pub const FILL_JOB: &str = "assessment_fill";
/// How long a fill's lease lasts without renewal; the filler renews it every third of that.
const FILL_LEASE: std::time::Duration = std::time::Duration::from_secs(60);

/// [`refresh_all`] on one server instance at a time: under the store's lease [`FILL_JOB`] taken for
/// `holder` (renewed while it runs, given back at the end). `None` when another instance holds it — that
/// one is filling, and whatever it has not reached is computed on demand. Instances behind one database
/// thus never fill twice; a filler that dies leaves a lease that expires within [`FILL_LEASE`].
pub async fn fill_once(store: &Store, holder: &str) -> ApiResult<Option<(usize, usize)>> {
    if !store.try_lease(FILL_JOB, holder, FILL_LEASE).await? {
        return Ok(None);
    }
    let renew = {
        let (store, holder) = (store.clone(), holder.to_string());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(FILL_LEASE / 3).await;
                if let Err(error) = store.try_lease(FILL_JOB, &holder, FILL_LEASE).await {
                    tracing::error!("续租失败 (renewing the fill lease failed): {error}");
                }
            }
        })
    };
    let result = refresh_all(store).await;
    renew.abort();
    store.release_lease(FILL_JOB, holder).await?;
    result.map(Some)
}

/// Starts the background work of a server: fill missing or stale materialized assessments, then keep
/// them fresh after every value write made through this server (a short pause gathers the writes of one
/// burst). One zone at a time, so requests are never starved of more than one core.
pub fn spawn_background(state: &AppState) {
    let store = state.store.clone();
    // Subscribed before the fill starts, so no write in between goes unnoticed.
    let mut changes = store.value_changes();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match fill_once(&store, &ecociv_store::clock::new_id()).await {
            Ok(Some((zones, computed))) => tracing::info!(
                "评估结果已物化 (materialized assessments): {zones} 个区域 (zones), {computed} 个新计算 (computed) in {:.1} s",
                started.elapsed().as_secs_f64()
            ),
            Ok(None) => tracing::info!(
                "另一实例正在物化评估结果，本实例跳过 (materialized assessments: another instance holds the fill, skipped)"
            ),
            Err(error) => tracing::error!("物化评估结果失败 (materializing assessments failed): {}", error.message),
        }
        loop {
            let mut pending: HashMap<String, i32> = HashMap::new();
            let mut everything = false;
            match changes.recv().await {
                Ok(change) => {
                    pending.insert(change.zone_code, change.first_year);
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => everything = true,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            loop {
                match changes.try_recv() {
                    Ok(change) => {
                        let first = pending.entry(change.zone_code).or_insert(change.first_year);
                        *first = (*first).min(change.first_year);
                    }
                    Err(tokio::sync::broadcast::error::TryRecvError::Lagged(_)) => everything = true,
                    Err(_) => break,
                }
            }
            let result = if everything {
                refresh_all(&store).await.map(|_| ())
            } else {
                let mut result = Ok(());
                for (code, first_year) in pending {
                    if let Err(error) = refresh_zone(&store, &code, first_year).await {
                        result = Err(error);
                    }
                }
                result
            };
            if let Err(error) = result {
                tracing::error!(
                    "更新物化评估结果失败 (refreshing materialized assessments failed): {}",
                    error.message
                );
            }
        }
    });
}

impl From<std::io::Error> for ApiError {
    fn from(error: std::io::Error) -> ApiError {
        ApiError::internal(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &str) -> HeaderValue {
        HeaderValue::from_str(text).unwrap()
    }

    #[test]
    fn accept_encoding_is_read_as_rfc_9110_says() {
        assert!(!accepts_gzip(None));
        assert!(accepts_gzip(Some(&header("gzip"))));
        assert!(accepts_gzip(Some(&header("br, gzip;q=0.5, deflate"))));
        assert!(accepts_gzip(Some(&header("GZIP"))));
        assert!(accepts_gzip(Some(&header("x-gzip"))));
        assert!(accepts_gzip(Some(&header("*"))));
        assert!(!accepts_gzip(Some(&header("identity"))));
        assert!(!accepts_gzip(Some(&header("br, deflate"))));
        assert!(!accepts_gzip(Some(&header("gzip;q=0"))));
        assert!(!accepts_gzip(Some(&header("*, gzip;q=0"))));
        assert!(!accepts_gzip(Some(&header("*;q=0"))));
    }

    #[test]
    fn gzip_round_trips_exactly() {
        let text = "{\"a\":\"指标\",\"b\":[1,2,3]}".repeat(100);
        let packed = gzip(text.as_bytes()).unwrap();
        assert!(packed.len() < text.len() / 5);
        assert_eq!(gunzip(&packed).unwrap(), text.as_bytes());
        // Deterministic: the same text gives the same bytes.
        assert_eq!(packed, gzip(text.as_bytes()).unwrap());
    }
}
