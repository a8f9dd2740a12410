//! The survey pages (issue 14): the public form at `/s/{code}/{survey}` (no account; the CSRF token of a
//! visitor without a session is the double-submit cookie this page sets; rate-limited per client address;
//! one response per device for an open survey, one per issued code for a code-only one) and the bureau's
//! page of a survey at `/z/{code}/surveys/{survey}` (responses, estimates, paper keying, import, codes,
//! saving rows 34/35). Writes go through [`crate::service::survey`].

use std::time::Instant;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ecociv_core::format::percent;
use ecociv_store::survey::{Channel, SurveyAccess, SurveyState};
use ecociv_survey::Questionnaire;
use ecociv_web::i18n::{Lang, t, tf};
use ecociv_web::layout::{Flash, FlashKind, urls};
use ecociv_web::pages::Named;
use ecociv_web::pages::survey::{
    ChoiceView, EstimateView, QuestionView, StratumView, SurveyAdminView, SurveyFormView, render_public_survey,
    render_survey_admin, render_survey_thanks,
};

use super::{Web, WebError, WebResult, context, html};
use crate::AppState;
use crate::auth::ClientAddr;
use crate::auth::{CSRF_COOKIE, SESSION_SECONDS, cookie, random_token, set_cookie};
use crate::policy;
use crate::service::survey::{self as service, FormProblem, Intake, LoadedSurvey};

/// The public form's path.
pub fn public_path(code: &str, survey: &str) -> String {
    urls::survey_form(code, survey)
}

/// The bureau's page of a survey.
pub fn admin_path(code: &str, survey: &str) -> String {
    urls::survey(code, survey)
}

fn urls_encode(text: &str) -> String {
    urls::encode(text)
}

/// The cookie that marks a device as having answered a survey.
fn device_cookie(survey: &str) -> String {
    let safe: String = survey.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("ecociv_answered_{safe}")
}

fn with_cookie(mut response: Response, value: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// A refused form's fields and problems, to show it again.
type Kept<'a> = Option<(&'a [(String, String)], &'a [FormProblem])>;

/// What the bureau's page shows besides the survey: a refused paper form, notes, codes just issued.
#[derive(Default)]
struct Extra<'a> {
    paper: Kept<'a>,
    notes: Vec<String>,
    issued: Vec<String>,
}

fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The form's questions as the page shows them, with the answers kept and the problems placed.
fn form_view(lang: Lang, survey: &LoadedSurvey, action: String, paper: bool, kept: Kept<'_>) -> SurveyFormView {
    let q: &Questionnaire = &survey.questionnaire;
    let (fields, problems): (&[(String, String)], &[FormProblem]) = kept.unwrap_or((&[], &[]));
    let chosen = |id: &str| -> Vec<String> {
        let key = format!("q_{id}");
        fields
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let question_error = |id: &str| -> Option<String> {
        problems.iter().find_map(|p| match p {
            FormProblem::Question(problem) if problem.field == id => Some(if problem.zh == "必答题未作答" {
                t(lang, "survey.error.required").into_owned()
            } else {
                tf(
                    lang,
                    "survey.error.answer",
                    &[("reason", &lang.pick(&problem.zh, &problem.en))],
                )
            }),
            _ => None,
        })
    };
    let has = |wanted: &FormProblem| problems.contains(wanted);
    let code_only = survey.record.access == SurveyAccess::Code;
    let questions = q
        .questions
        .iter()
        .map(|question| QuestionView {
            id: question.id.clone(),
            text: Named::new(&question.text, &question.text_en),
            multiple: question.kind == ecociv_survey::questionnaire::QuestionKind::Multiple,
            required: question.required,
            condition: question.show_if.as_ref().map(|c| {
                let labels = |en: bool| -> String {
                    let source = q.question(&c.question);
                    c.any_of
                        .iter()
                        .filter_map(|code| {
                            source
                                .and_then(|s| s.choices.iter().find(|choice| &choice.code == code))
                                .map(|choice| {
                                    if en {
                                        choice.label_en.clone()
                                    } else {
                                        choice.label.clone()
                                    }
                                })
                        })
                        .collect::<Vec<_>>()
                        .join(if en { "” or “" } else { "”或“" })
                };
                Named::new(
                    tf(Lang::Zh, "survey.condition", &[("choices", &labels(false))]),
                    tf(Lang::En, "survey.condition", &[("choices", &labels(true))]),
                )
            }),
            choices: question
                .choices
                .iter()
                .map(|choice| ChoiceView {
                    code: choice.code.clone(),
                    label: Named::new(&choice.label, &choice.label_en),
                })
                .collect(),
            chosen: chosen(&question.id),
            error: question_error(&question.id),
        })
        .collect();
    let public_code = code_only && !paper;
    SurveyFormView {
        title: Named::new(&q.title, &q.title_en),
        intro: Named::new(&q.intro, &q.intro_en),
        action,
        strata: if public_code {
            Vec::new()
        } else {
            survey
                .plan
                .strata
                .iter()
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect()
        },
        stratum: field(fields, "stratum").unwrap_or_default().to_string(),
        stratum_error: has(&FormProblem::Stratum).then(|| t(lang, "survey.error.stratum").into_owned()),
        needs_code: public_code,
        code: field(fields, "code").unwrap_or_default().to_string(),
        code_error: if has(&FormProblem::CodeUsed) {
            Some(t(lang, "survey.error.code_used").into_owned())
        } else {
            has(&FormProblem::CodeUnknown).then(|| t(lang, "survey.error.code_unknown").into_owned())
        },
        paper,
        paper_number: field(fields, "paper_number").unwrap_or_default().to_string(),
        paper_error: if has(&FormProblem::PaperDuplicate) {
            Some(t(lang, "survey.error.paper_duplicate").into_owned())
        } else {
            has(&FormProblem::PaperNumberMissing).then(|| t(lang, "survey.error.paper_number").into_owned())
        },
        questions,
        closed: survey.record.state == SurveyState::Closed,
    }
}

async fn load(state: &AppState, web: &Web, code: &str, survey: &str) -> WebResult<LoadedSurvey> {
    service::load(state, code, survey)
        .await
        .map_err(|e| WebError::from_api(web, e))
}

/// The public form with a fresh pre-login CSRF token (for a visitor with a session, the session's).
fn public_page(
    state: &AppState,
    web: &Web,
    survey: &LoadedSurvey,
    code: &str,
    kept: Kept<'_>,
    flash: Option<Flash>,
    status: StatusCode,
) -> WebResult<Response> {
    let mut ctx = context(web, None, None, flash);
    let fresh = if ctx.csrf_token.is_none() {
        let token = random_token().map_err(|e| WebError::Internal(web.lang, e.message))?;
        ctx.csrf_token = Some(token.clone());
        Some(token)
    } else {
        None
    };
    let view = form_view(
        web.lang,
        survey,
        public_path(code, &survey.record.survey_id),
        false,
        kept,
    );
    let response = html(status, render_public_survey(&ctx, &view));
    Ok(match fresh {
        Some(token) => with_cookie(
            response,
            &set_cookie(CSRF_COOKIE, &token, SESSION_SECONDS, state.config.secure_cookies),
        ),
        None => response,
    })
}

/// `GET /s/{code}/{survey}`: the public form.
pub async fn public_form(
    State(state): State<AppState>,
    web: Web,
    Path((code, survey)): Path<(String, String)>,
) -> WebResult<Response> {
    let survey = load(&state, &web, &code, &survey).await?;
    public_page(&state, &web, &survey, &code, None, None, StatusCode::OK)
}

/// `POST /s/{code}/{survey}`: a public response.
pub async fn public_submit(
    State(state): State<AppState>,
    web: Web,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    Path((code, survey_id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let survey = load(&state, &web, &code, &survey_id).await?;
    let lang = web.lang;
    let refuse = |key: &str| Flash {
        kind: FlashKind::Error,
        text: t(lang, key).into_owned(),
    };
    if survey.record.state == SurveyState::Closed {
        return public_page(&state, &web, &survey, &code, None, None, StatusCode::CONFLICT);
    }
    let fields = form_fields(&body);
    if survey.record.access == SurveyAccess::Open && cookie(&headers, &device_cookie(&survey_id)).is_some() {
        let flash = refuse("survey.error.device");
        return public_page(&state, &web, &survey, &code, None, Some(flash), StatusCode::CONFLICT);
    }
    if !state.survey_limiter.claim(address, Instant::now()) {
        let flash = refuse("survey.error.rate_limited");
        return public_page(
            &state,
            &web,
            &survey,
            &code,
            Some((&fields, &[])),
            Some(flash),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let intake = Intake {
        stratum: field(&fields, "stratum").unwrap_or_default().to_string(),
        code: field(&fields, "code").map(str::to_string),
        answers: service::answers_from_form(&survey.questionnaire, &fields),
        channel: Channel::Web,
        paper_number: None,
        entered_by: None,
    };
    match service::submit(&state, &code, &survey, intake)
        .await
        .map_err(|e| WebError::from_api(&web, e))?
    {
        Ok(_) => {
            // POST-redirect-GET; the device is remembered for an open survey.
            let response = Redirect::to(&format!("{}/thanks", public_path(&code, &survey_id))).into_response();
            Ok(if survey.record.access == SurveyAccess::Open {
                with_cookie(
                    response,
                    &crate::auth::cookie_header(
                        crate::auth::CookieKind::SurveyDevice,
                        &device_cookie(&survey_id),
                        "1",
                        super::ONE_YEAR_SECONDS,
                        state.config.secure_cookies,
                    ),
                )
            } else {
                response
            })
        }
        Err(problems) => public_page(
            &state,
            &web,
            &survey,
            &code,
            Some((&fields, &problems)),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}

/// `GET /s/{code}/{survey}/thanks`.
pub async fn public_thanks(
    State(state): State<AppState>,
    web: Web,
    Path((code, survey)): Path<(String, String)>,
) -> WebResult<Response> {
    let survey = load(&state, &web, &code, &survey).await?;
    let ctx = context(&web, None, None, None);
    let title = Named::new(&survey.questionnaire.title, &survey.questionnaire.title_en);
    Ok(html(StatusCode::OK, render_survey_thanks(&ctx, &title)))
}

/// A member of the zone (the page is internal: counts and estimates before they are values).
fn member(web: &Web, code: &str) -> WebResult<Option<crate::auth::ZoneRole>> {
    let Some(principal) = web.principal.as_deref() else {
        return Err(WebError::Login { next: web.path.clone() });
    };
    let role = policy::role(Some(principal), code);
    if !policy::can_read_internal(role.as_ref()) {
        return Err(WebError::Forbidden(web.lang));
    }
    Ok(role)
}

/// The bureau's page, with notes and codes just issued.
async fn admin_page(
    state: &AppState,
    web: &Web,
    code: &str,
    survey_id: &str,
    extra: Extra<'_>,
    status: StatusCode,
) -> WebResult<Response> {
    let role = member(web, code)?;
    let survey = load(state, web, code, survey_id).await?;
    let record = state.store.zone(code).await?.ok_or(WebError::NotFound(web.lang))?;
    let framework = state.store.framework(&record.framework_id).await?;
    let stored = state.store.survey_responses(code, survey_id).await?;
    let lang = web.lang;
    let estimates = service::estimates(&survey, &stored)
        .into_iter()
        .map(|(row, result)| {
            let row_name = framework
                .row(&row)
                .map(|(_, r)| Named::new(&r.name, &r.name_en))
                .unwrap_or_default();
            match result {
                Ok(e) => {
                    let (zh, en) = e.explain();
                    EstimateView {
                        row,
                        row_name,
                        share: Some(percent(e.share)),
                        interval: Some(format!("{}–{}", percent(e.low), percent(e.high))),
                        standard_error: Some(format!(
                            "{} {}",
                            ecociv_core::format::fixed(e.standard_error * 100.0, 1),
                            if lang == Lang::Zh {
                                "个百分点"
                            } else {
                                "percentage points"
                            }
                        )),
                        valid: e.valid,
                        refusal: None,
                        explanation: lang.pick(&zh, &en).to_string(),
                        doubt: lang.pick(&e.doubt, "").to_string(),
                    }
                }
                Err(error) => EstimateView {
                    row,
                    row_name,
                    share: None,
                    interval: None,
                    standard_error: None,
                    valid: 0,
                    refusal: Some(lang.pick(&error.zh(), &error.en()).to_string()),
                    explanation: String::new(),
                    doubt: String::new(),
                },
            }
        })
        .collect();
    let mut per_stratum = std::collections::BTreeMap::<&str, u64>::new();
    for r in &stored {
        *per_stratum.entry(r.stratum.as_str()).or_default() += 1;
    }
    let strata = survey
        .plan
        .strata
        .iter()
        .map(|s| {
            let responses = per_stratum.get(s.id.as_str()).copied().unwrap_or(0);
            StratumView {
                name: s.name.clone(),
                kind: s.kind.zh().to_string(),
                population: s.population,
                quota: s.quota,
                responses,
                rate: s.quota.map(|q| percent(responses as f64 / q as f64)),
            }
        })
        .collect();
    let channels = service::by_channel(&stored);
    let by_channel = [
        ("web", "survey.channel_web"),
        ("paper", "survey.channel_paper"),
        ("import", "survey.channel_import"),
    ]
    .iter()
    .map(|(c, key)| (t(lang, key).into_owned(), channels.get(c).copied().unwrap_or(0)))
    .collect();
    let codes = state.store.survey_code_counts(code, survey_id).await?;
    let planned = survey.plan.planned();
    let base = admin_path(code, survey_id);
    let view = SurveyAdminView {
        title: survey.record.title.clone(),
        year: survey.record.year,
        code_only: survey.record.access == SurveyAccess::Code,
        collecting: survey.record.state == SurveyState::Collecting,
        synthetic: survey.record.synthetic,
        public_path: public_path(code, survey_id),
        export_path: urls::survey_export(code, survey_id),
        responses: stored.len() as u64,
        by_channel,
        codes: (codes.0 as u64, codes.1 as u64),
        strata,
        overall_rate: planned
            .filter(|p| *p > 0)
            .map(|p| percent(stored.len() as f64 / p as f64)),
        estimates,
        method: lang
            .pick(
                &format!("估计方法：{}", ecociv_survey::METHOD_EDITION),
                &format!("Method: {}", ecociv_survey::METHOD_EDITION),
            )
            .to_string(),
        paper: form_view(lang, &survey, format!("{base}/paper"), true, extra.paper),
        import_action: format!("{base}/import"),
        codes_action: format!("{base}/codes"),
        compute_action: format!("{base}/compute"),
        issued: extra.issued,
        notes: extra.notes,
        can_manage: policy::can_review(role.as_ref()),
    };
    let ctx = context(web, Some(&record), None, None);
    Ok(html(status, render_survey_admin(&ctx, &view)))
}

/// `GET /z/{code}/surveys/{survey}` (`?saved=`, `?imported=`, `?computed=` after a write).
pub async fn admin(
    State(state): State<AppState>,
    web: Web,
    Path((code, survey)): Path<(String, String)>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> WebResult<Response> {
    member(&web, &code)?;
    let year = load(&state, &web, &code, &survey).await?.record.year;
    let notes = redirect_note(web.lang, &query, year);
    admin_page(
        &state,
        &web,
        &code,
        &survey,
        Extra {
            notes,
            ..Extra::default()
        },
        StatusCode::OK,
    )
    .await
}

fn manager(
    web: &Web,
    code: &str,
) -> WebResult<(std::sync::Arc<crate::auth::Principal>, Option<crate::auth::ZoneRole>)> {
    let role = member(web, code)?;
    if !policy::can_review(role.as_ref()) {
        return Err(WebError::Forbidden(web.lang));
    }
    let principal = web.principal.clone().ok_or(WebError::Forbidden(web.lang))?;
    Ok((principal, role))
}

/// `POST /z/{code}/surveys/{survey}/paper`: a paper form keyed by staff.
pub async fn paper(
    State(state): State<AppState>,
    web: Web,
    Path((code, survey_id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let (principal, _) = manager(&web, &code)?;
    let survey = load(&state, &web, &code, &survey_id).await?;
    let fields = form_fields(&body);
    let number = field(&fields, "paper_number").unwrap_or_default().trim().to_string();
    let intake = Intake {
        stratum: field(&fields, "stratum").unwrap_or_default().to_string(),
        code: None,
        answers: service::answers_from_form(&survey.questionnaire, &fields),
        channel: Channel::Paper,
        paper_number: Some(number.clone()),
        entered_by: Some(principal.user.id.clone()),
    };
    match service::submit(&state, &code, &survey, intake)
        .await
        .map_err(|e| WebError::from_api(&web, e))?
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "{}?saved={}",
            admin_path(&code, &survey_id),
            urls_encode(&number)
        ))
        .into_response()),
        Err(problems) => {
            admin_page(
                &state,
                &web,
                &code,
                &survey_id,
                Extra {
                    paper: Some((&fields, &problems)),
                    ..Extra::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /z/{code}/surveys/{survey}/import` (multipart `file`): a platform's export, all or nothing.
pub async fn import(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Path((code, survey_id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let (principal, role) = manager(&web, &code)?;
    let survey = load(&state, &web, &code, &survey_id).await?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !crate::multipart::is_multipart(Some(content_type)) {
        return Err(WebError::BadRequest(web.lang));
    }
    let form = crate::multipart::parse(content_type, body, ecociv_survey::import::MAX_BYTES, None)
        .await
        .map_err(|_| WebError::BadRequest(web.lang))?;
    let Some(upload) = form.files.into_iter().find(|f| f.field == "file") else {
        return Err(WebError::BadRequest(web.lang));
    };
    let lang = web.lang;
    let outcome = service::import(
        &state,
        &principal,
        role.as_ref(),
        &code,
        &survey,
        upload.content.to_vec(),
    )
    .await
    .map_err(|e| WebError::from_api(&web, e))?;
    match outcome {
        Ok(n) => Ok(Redirect::to(&format!("{}?imported={n}", admin_path(&code, &survey_id))).into_response()),
        Err(problems) => {
            let notes = problems
                .iter()
                .take(100)
                .map(|p| match lang {
                    Lang::Zh => p.zh(),
                    Lang::En => p.en(),
                })
                .collect();
            admin_page(
                &state,
                &web,
                &code,
                &survey_id,
                Extra {
                    notes,
                    ..Extra::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /z/{code}/surveys/{survey}/codes` (`stratum`, `count`): issues codes and shows them.
pub async fn codes(
    State(state): State<AppState>,
    web: Web,
    Path((code, survey_id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let (_, role) = manager(&web, &code)?;
    let survey = load(&state, &web, &code, &survey_id).await?;
    let fields = form_fields(&body);
    let count = field(&fields, "count")
        .and_then(|c| c.trim().parse::<usize>().ok())
        .ok_or(WebError::BadRequest(web.lang))?;
    let stratum = field(&fields, "stratum").unwrap_or_default();
    let issued = service::issue_codes(&state, role.as_ref(), &code, &survey, stratum, count)
        .await
        .map_err(|e| WebError::from_api(&web, e))?;
    admin_page(
        &state,
        &web,
        &code,
        &survey_id,
        Extra {
            issued,
            ..Extra::default()
        },
        StatusCode::OK,
    )
    .await
}

/// `POST /z/{code}/surveys/{survey}/compute`: rows 34/35 saved from the estimate (draft, for review).
pub async fn compute(
    State(state): State<AppState>,
    web: Web,
    Path((code, survey_id)): Path<(String, String)>,
) -> WebResult<Response> {
    let (principal, role) = manager(&web, &code)?;
    let survey = load(&state, &web, &code, &survey_id).await?;
    let lang = web.lang;
    match service::compute(&state, &principal, role.as_ref(), &code, &survey).await {
        Ok(rows) => Ok(Redirect::to(&format!(
            "{}?computed={}",
            admin_path(&code, &survey_id),
            urls_encode(&rows.join(","))
        ))
        .into_response()),
        Err(error) if error.code == crate::error::Code::Forbidden => Err(WebError::Forbidden(lang)),
        Err(error) => {
            admin_page(
                &state,
                &web,
                &code,
                &survey_id,
                Extra {
                    notes: vec![error.message],
                    ..Extra::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// The note a redirect after a write carries (`?saved=`, `?imported=`, `?computed=`).
pub fn redirect_note(lang: Lang, query: &std::collections::HashMap<String, String>, year: i32) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(number) = query.get("saved") {
        notes.push(tf(lang, "survey.saved_paper", &[("number", number)]));
    }
    if let Some(n) = query.get("imported") {
        notes.push(tf(lang, "survey.imported", &[("n", n)]));
    }
    if let Some(rows) = query.get("computed") {
        notes.push(tf(lang, "survey.computed", &[("year", &year), ("rows", rows)]));
    }
    notes
}

/// An example plan for the create form (the table's format), two strata to replace.
const PLAN_EXAMPLE: &str =
    "代码,名称,类型,总体规模,配额\nstreet-1,某某街道,街道,20000,60\nvillage-1,某某村,村,800,20\n";

/// A refused create form: its fields and the problems, translated.
type Refused<'a> = (&'a [(String, String)], Vec<String>);

async fn list_page(
    state: &AppState,
    web: &Web,
    code: &str,
    form: Option<Refused<'_>>,
    status: StatusCode,
) -> WebResult<Response> {
    let role = member(web, code)?;
    let record = state.store.zone(code).await?.ok_or(WebError::NotFound(web.lang))?;
    let mut items = Vec::new();
    for survey in state.store.surveys(code).await? {
        items.push(ecociv_web::pages::survey::SurveyListItem {
            responses: state.store.survey_response_count(code, &survey.survey_id).await?.max(0) as u64,
            href: admin_path(code, &survey.survey_id),
            title: survey.title,
            year: survey.year,
            code_only: survey.access == SurveyAccess::Code,
            collecting: survey.state == SurveyState::Collecting,
            synthetic: survey.synthetic,
        });
    }
    let (fields, errors): (&[(String, String)], Vec<String>) = form.unwrap_or((&[], Vec::new()));
    let view = ecociv_web::pages::survey::SurveyListView {
        items,
        can_manage: policy::can_review(role.as_ref()),
        create_action: urls::surveys(code),
        title: field(fields, "title").unwrap_or_default().to_string(),
        year: field(fields, "year").unwrap_or_default().to_string(),
        code_only: field(fields, "code_only").is_some(),
        basis: field(fields, "basis").unwrap_or_default().to_string(),
        plan: field(fields, "plan").unwrap_or(PLAN_EXAMPLE).to_string(),
        errors,
    };
    let ctx = context(web, Some(&record), None, None);
    Ok(html(status, ecociv_web::pages::survey::render_survey_list(&ctx, &view)))
}

/// `GET /z/{code}/surveys`: the zone's surveys (members) and the create form (reviewers, admins).
pub async fn list(State(state): State<AppState>, web: Web, Path(code): Path<String>) -> WebResult<Response> {
    list_page(&state, &web, &code, None, StatusCode::OK).await
}

/// `POST /z/{code}/surveys` (`title`, `year`, `code_only`, `basis`, `plan` as a table): a new survey with the
/// default questionnaire; a bad plan shows the form again with every problem (line and column).
pub async fn create(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let (principal, role) = manager(&web, &code)?;
    let fields = form_fields(&body);
    let lang = web.lang;
    let year = field(&fields, "year").and_then(|y| y.trim().parse::<i32>().ok());
    let title = field(&fields, "title").unwrap_or_default().trim().to_string();
    let mut errors = Vec::new();
    if title.is_empty() {
        errors.push(t(lang, "survey.error.title").into_owned());
    }
    let Some(year) = year.filter(|y| ecociv_core::value::YEARS.contains(y)) else {
        errors.push(t(lang, "survey.error.year").into_owned());
        return list_page(
            &state,
            &web,
            &code,
            Some((&fields, errors)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if !errors.is_empty() {
        return list_page(
            &state,
            &web,
            &code,
            Some((&fields, errors)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let plan = match ecociv_survey::SamplingPlan::parse_table(
        field(&fields, "basis").unwrap_or_default(),
        field(&fields, "plan").unwrap_or_default(),
    ) {
        Ok(plan) => plan,
        Err(problems) => {
            let errors = problems
                .iter()
                .map(|p| lang.pick(&p.zh(), &p.en()).to_string())
                .collect();
            return list_page(
                &state,
                &web,
                &code,
                Some((&fields, errors)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let input = service::NewSurveyInput {
        year,
        title,
        plan_toml: plan.to_toml(),
        access: if field(&fields, "code_only").is_some() {
            SurveyAccess::Code
        } else {
            SurveyAccess::Open
        },
        synthetic: false,
    };
    match service::create(&state, &principal, role.as_ref(), &code, input)
        .await
        .map_err(|e| WebError::from_api(&web, e))?
    {
        Ok(id) => Ok(Redirect::to(&admin_path(&code, &id)).into_response()),
        Err(problems) => {
            let errors = problems
                .iter()
                .map(|p| format!("{}：{}", p.field, lang.pick(&p.zh, &p.en)))
                .collect();
            list_page(
                &state,
                &web,
                &code,
                Some((&fields, errors)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `GET /z/{code}/surveys/{survey}/export.xlsx` (members): the responses (one line each: number, stratum,
/// channel, time, each question's answers by label) and the estimates (each row's share, 95 % interval,
/// standard error, counts, and its strata) as an Excel workbook; a refused estimate is written with its
/// reason.
pub async fn export_xlsx(
    State(state): State<AppState>,
    web: Web,
    Path((code, survey)): Path<(String, String)>,
) -> WebResult<Response> {
    member(&web, &code)?;
    let loaded = load(&state, &web, &code, &survey).await?;
    let stored = state.store.survey_responses(&code, &survey).await?;
    let bytes = crate::work::cpu(move || service::export_workbook(&loaded, &stored))
        .await
        .map_err(|error| WebError::Internal(web.lang, error.message))?
        .map_err(|error| WebError::Internal(web.lang, error.to_string()))?;
    Ok(super::pages::download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("ecociv-{code}-survey-{survey}.xlsx"),
        bytes,
    ))
}
