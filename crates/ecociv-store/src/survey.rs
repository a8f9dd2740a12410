//! Surveys (问卷调查) behind rows 34/35 (issue 14; the questionnaire, plan and estimate are `ecociv-survey`'s):
//! the survey with its questionnaire and sampling plan as text, issued codes, and responses.
//!
//! - One code, one response: a code-only survey's response is stored in the transaction that marks its
//!   code used (`UPDATE … WHERE used_at IS NULL`, one row or a refusal), so two submissions of one code
//!   never both land — on SQLite the write lock, on PostgreSQL the row lock serialises them. The response
//!   does not keep the code.
//! - Responses are append-only. A paper form's number or a platform's response number (`external_id`) is
//!   unique per survey; an import is one transaction, refused whole (with the lines) when any number is
//!   already stored.
//!
//! The store does not read the questionnaire: answers are checked by the caller (`ecociv_survey`) before
//! they arrive here, and stored as JSON (question id → codes).

use std::collections::{BTreeMap, BTreeSet};

use sqlx::Row as _;

use crate::{Result, Store, StoreError, clock};

/// One respondent's answers: question id → chosen codes.
pub type StoredAnswers = BTreeMap<String, BTreeSet<String>>;

/// Who may answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyAccess {
    /// Anyone, on the public form (one response per device; rate-limited by the server).
    Open,
    /// Only with an issued code.
    Code,
}

impl SurveyAccess {
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyAccess::Open => "open",
            SurveyAccess::Code => "code",
        }
    }
}

/// Whether a survey takes responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyState {
    Collecting,
    Closed,
}

impl SurveyState {
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyState::Collecting => "collecting",
            SurveyState::Closed => "closed",
        }
    }
}

/// How a response arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The public web form.
    Web,
    /// A paper form keyed by staff.
    Paper,
    /// A platform's export.
    Import,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Paper => "paper",
            Channel::Import => "import",
        }
    }

    fn parse(text: &str) -> Channel {
        match text {
            "paper" => Channel::Paper,
            "import" => Channel::Import,
            _ => Channel::Web,
        }
    }
}

/// A survey to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSurvey {
    pub year: i32,
    pub title: String,
    pub questionnaire_toml: String,
    pub plan_toml: String,
    pub access: SurveyAccess,
    /// Demo data: its estimates are synthetic.
    pub synthetic: bool,
    pub created_by: String,
}

/// A stored survey.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRecord {
    pub survey_id: String,
    pub year: i32,
    pub title: String,
    pub questionnaire_toml: String,
    pub plan_toml: String,
    pub access: SurveyAccess,
    pub state: SurveyState,
    pub synthetic: bool,
    pub created_by: String,
    pub created_at: String,
}

/// A response to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewResponse {
    /// The stratum's code (for a code-only survey, the code's stratum is used instead).
    pub stratum: String,
    pub answers: StoredAnswers,
    pub channel: Channel,
    /// The paper form's or the platform's response number.
    pub external_id: Option<String>,
    /// The staff member who keyed a paper form or imported a file.
    pub entered_by: Option<String>,
}

/// A stored response.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResponse {
    pub response_id: String,
    pub stratum: String,
    pub channel: Channel,
    pub answers: StoredAnswers,
    pub external_id: Option<String>,
    pub created_at: String,
}

/// The characters of issued codes: no 0/O, 1/I/L, to be read off paper.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Code length: 31^10 ≈ 8·10^14 codes.
const CODE_LENGTH: usize = 10;
/// The most codes one call issues.
pub const MAX_CODES_PER_ISSUE: usize = 10_000;

fn new_code() -> String {
    let mut bytes = [0u8; CODE_LENGTH * 2];
    let _ = getrandom::fill(&mut bytes);
    let mut code = String::with_capacity(CODE_LENGTH);
    for pair in bytes.chunks(2) {
        // 16 random bits per character: the modulo bias is below 1/2000.
        let n = u16::from_le_bytes([pair[0], pair[1]]) as usize;
        code.push(CODE_ALPHABET[n % CODE_ALPHABET.len()] as char);
    }
    code
}

/// A code as a person may type it: upper case, without spaces or dashes.
pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

fn survey_from(row: &sqlx::any::AnyRow) -> Result<SurveyRecord> {
    Ok(SurveyRecord {
        survey_id: row.try_get("survey_id")?,
        year: row.try_get::<i64, _>("year")? as i32,
        title: row.try_get("title")?,
        questionnaire_toml: row.try_get("questionnaire_toml")?,
        plan_toml: row.try_get("plan_toml")?,
        access: if row.try_get::<String, _>("access")? == "code" {
            SurveyAccess::Code
        } else {
            SurveyAccess::Open
        },
        state: if row.try_get::<String, _>("state")? == "closed" {
            SurveyState::Closed
        } else {
            SurveyState::Collecting
        },
        synthetic: row.try_get::<i64, _>("synthetic")? != 0,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
    })
}

const SURVEY_COLUMNS: &str =
    "survey_id, year, title, questionnaire_toml, plan_toml, access, state, synthetic, created_by, created_at";

fn answers_json(answers: &StoredAnswers) -> Result<String> {
    serde_json::to_string(answers).map_err(|e| StoreError::Invalid(format!("answers: {e}")))
}

async fn insert_response(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    zone_code: &str,
    survey_id: &str,
    response: &NewResponse,
    stratum: &str,
    batch: Option<&str>,
) -> Result<String> {
    let id = clock::new_id();
    sqlx::query(
        "INSERT INTO survey_response (zone_code, survey_id, response_id, stratum, channel, answers_json, \
         external_id, entered_by, batch, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(zone_code)
    .bind(survey_id)
    .bind(&id)
    .bind(stratum)
    .bind(response.channel.as_str())
    .bind(answers_json(&response.answers)?)
    .bind(response.external_id.clone())
    .bind(response.entered_by.clone())
    .bind(batch.map(str::to_string))
    .bind(clock::now())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

impl Store {
    /// Creates a survey (collecting); returns its id.
    pub async fn create_survey(&self, zone_code: &str, survey: &NewSurvey) -> Result<String> {
        let id = clock::new_id();
        sqlx::query(
            "INSERT INTO survey (zone_code, survey_id, year, title, questionnaire_toml, plan_toml, access, state, \
             synthetic, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'collecting', $8, $9, $10)",
        )
        .bind(zone_code)
        .bind(&id)
        .bind(i64::from(survey.year))
        .bind(&survey.title)
        .bind(&survey.questionnaire_toml)
        .bind(&survey.plan_toml)
        .bind(survey.access.as_str())
        .bind(i64::from(survey.synthetic))
        .bind(&survey.created_by)
        .bind(clock::now())
        .execute(&self.pool)
        .await?;
        Ok(id)
    }

    /// The zone's surveys, newest year first.
    pub async fn surveys(&self, zone_code: &str) -> Result<Vec<SurveyRecord>> {
        let sql =
            format!("SELECT {SURVEY_COLUMNS} FROM survey WHERE zone_code = $1 ORDER BY year DESC, created_at DESC");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(zone_code)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(survey_from).collect()
    }

    pub async fn survey(&self, zone_code: &str, survey_id: &str) -> Result<Option<SurveyRecord>> {
        let sql = format!("SELECT {SURVEY_COLUMNS} FROM survey WHERE zone_code = $1 AND survey_id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(zone_code)
            .bind(survey_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(survey_from).transpose()
    }

    /// Opens or closes a survey for responses.
    pub async fn set_survey_state(&self, zone_code: &str, survey_id: &str, state: SurveyState) -> Result<()> {
        let done = sqlx::query("UPDATE survey SET state = $3 WHERE zone_code = $1 AND survey_id = $2")
            .bind(zone_code)
            .bind(survey_id)
            .bind(state.as_str())
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("调查 {survey_id}")));
        }
        Ok(())
    }

    /// Issues `count` new codes for a stratum of a survey (at most [`MAX_CODES_PER_ISSUE`] at once).
    pub async fn issue_survey_codes(
        &self,
        zone_code: &str,
        survey_id: &str,
        stratum: &str,
        count: usize,
    ) -> Result<Vec<String>> {
        if count == 0 || count > MAX_CODES_PER_ISSUE {
            return Err(StoreError::Invalid(format!(
                "一次发放的调查码数量应在 1 到 {MAX_CODES_PER_ISSUE} 之间 (codes per issue: 1..={MAX_CODES_PER_ISSUE})"
            )));
        }
        let mut tx = self.begin_write().await?;
        let now = clock::now();
        let mut codes = Vec::with_capacity(count);
        while codes.len() < count {
            let code = new_code();
            let inserted = sqlx::query(
                "INSERT INTO survey_code (zone_code, survey_id, code, stratum, issued_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(zone_code)
            .bind(survey_id)
            .bind(&code)
            .bind(stratum)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 1 {
                codes.push(code);
            }
        }
        tx.commit().await?;
        Ok(codes)
    }

    /// Stores one response. A code-only survey needs an unused code, which this marks used in the same
    /// transaction (the code's stratum is the response's); a closed or unknown survey refuses.
    pub async fn submit_survey_response(
        &self,
        zone_code: &str,
        survey_id: &str,
        code: Option<&str>,
        response: &NewResponse,
    ) -> Result<String> {
        let survey = self
            .survey(zone_code, survey_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("调查 {survey_id}")))?;
        if survey.state == SurveyState::Closed {
            return Err(StoreError::Invalid(
                "调查已结束，不再接受回答 (the survey is closed)".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let mut stratum = response.stratum.clone();
        if survey.access == SurveyAccess::Code || code.is_some() {
            let code = normalize_code(code.unwrap_or_default());
            let row = sqlx::query(
                "SELECT stratum, used_at FROM survey_code WHERE zone_code = $1 AND survey_id = $2 AND code = $3",
            )
            .bind(zone_code)
            .bind(survey_id)
            .bind(&code)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound("调查码无效 (unknown code)".into()))?;
            stratum = row.try_get("stratum")?;
            let used = sqlx::query(
                "UPDATE survey_code SET used_at = $4 WHERE zone_code = $1 AND survey_id = $2 AND code = $3 \
                 AND used_at IS NULL",
            )
            .bind(zone_code)
            .bind(survey_id)
            .bind(&code)
            .bind(clock::now())
            .execute(&mut *tx)
            .await?;
            if used.rows_affected() != 1 {
                return Err(StoreError::Conflict("该调查码已使用过 (the code has been used)".into()));
            }
        }
        let id = insert_response(&mut tx, zone_code, survey_id, response, &stratum, None).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Stores an import's responses (each with its file line) in one transaction. Refused whole — the
    /// inner `Err` — with (line, number) for every response number the survey already holds.
    pub async fn import_survey_responses(
        &self,
        zone_code: &str,
        survey_id: &str,
        responses: &[(u64, NewResponse)],
    ) -> Result<std::result::Result<usize, Vec<(u64, String)>>> {
        let survey = self
            .survey(zone_code, survey_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("调查 {survey_id}")))?;
        if survey.state == SurveyState::Closed {
            return Err(StoreError::Invalid(
                "调查已结束，不再接受回答 (the survey is closed)".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "SELECT external_id FROM survey_response WHERE zone_code = $1 AND survey_id = $2 AND external_id IS NOT NULL",
        )
        .bind(zone_code)
        .bind(survey_id)
        .fetch_all(&mut *tx)
        .await?;
        let stored: BTreeSet<String> = rows
            .iter()
            .map(|row| row.try_get::<String, _>("external_id"))
            .collect::<std::result::Result<_, _>>()?;
        let duplicates: Vec<(u64, String)> = responses
            .iter()
            .filter_map(|(line, r)| {
                r.external_id
                    .as_ref()
                    .filter(|id| stored.contains(*id))
                    .map(|id| (*line, id.clone()))
            })
            .collect();
        if !duplicates.is_empty() {
            return Ok(Err(duplicates));
        }
        let batch = clock::new_id();
        for (_, response) in responses {
            insert_response(&mut tx, zone_code, survey_id, response, &response.stratum, Some(&batch)).await?;
        }
        tx.commit().await?;
        Ok(Ok(responses.len()))
    }

    /// Every response of a survey, in the order stored.
    pub async fn survey_responses(&self, zone_code: &str, survey_id: &str) -> Result<Vec<StoredResponse>> {
        let rows = sqlx::query(
            "SELECT response_id, stratum, channel, answers_json, external_id, created_at FROM survey_response \
             WHERE zone_code = $1 AND survey_id = $2 ORDER BY created_at, response_id",
        )
        .bind(zone_code)
        .bind(survey_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let json: String = row.try_get("answers_json")?;
                Ok(StoredResponse {
                    response_id: row.try_get("response_id")?,
                    stratum: row.try_get("stratum")?,
                    channel: Channel::parse(&row.try_get::<String, _>("channel")?),
                    answers: serde_json::from_str(&json)
                        .map_err(|e| StoreError::Invalid(format!("answers_json: {e}")))?,
                    external_id: row.try_get("external_id")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// The number of responses of a survey.
    pub async fn survey_response_count(&self, zone_code: &str, survey_id: &str) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM survey_response WHERE zone_code = $1 AND survey_id = $2")
            .bind(zone_code)
            .bind(survey_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Issued and used codes of a survey: (issued, used).
    pub async fn survey_code_counts(&self, zone_code: &str, survey_id: &str) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS issued, COUNT(used_at) AS used FROM survey_code WHERE zone_code = $1 AND survey_id = $2",
        )
        .bind(zone_code)
        .bind(survey_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("issued")?, row.try_get("used")?))
    }
}
