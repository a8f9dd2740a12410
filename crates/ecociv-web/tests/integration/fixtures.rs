//! Views of every page built from the real example zone (450202, the seed plan's data), plus small
//! SYNTHETIC inputs where the zone has nothing yet (daily AQI, water sections, submissions, users).

use std::collections::BTreeMap;

use ecociv_core::targets::check_targets;
use ecociv_core::{Assessment, Framework, Value, Zone, assess};
use ecociv_web::i18n::Date;
use ecociv_web::layout::{PageContext, Role, UserBadge, ZoneBadge};
use ecociv_web::pages::admin::{AuditRow, DepartmentRow, DepartmentsView, UserRow, UserView, UsersView};
use ecociv_web::pages::air::{AirView, DailyAqi};
use ecociv_web::pages::dashboard::{DashboardView, DepartmentProgress};
use ecociv_web::pages::entry::{EntryState, EntryView};
use ecociv_web::pages::indicator::{EvidenceFile, HistoryEntry, IndicatorView};
use ecociv_web::pages::login::LoginView;
use ecociv_web::pages::review::{ReviewItem, ReviewView, Submission};
use ecociv_web::pages::table::{Table21View, TableFilter};
use ecociv_web::pages::water::{SectionView, WaterView};
use ecociv_web::{Lang, pages};

pub const ZONE: &str = "450202";
pub const EPB: &str = "城中生态环境局";

pub struct Fixture {
    pub framework: Framework,
    pub zone: Zone,
}

impl Fixture {
    pub fn load() -> Fixture {
        let loaded = ecociv_data::load_zone(ZONE).expect("bundled zone 450202 loads");
        Fixture {
            framework: loaded.framework,
            zone: loaded.zone,
        }
    }

    pub fn assessment(&self, year: i32) -> Assessment {
        assess(&self.framework, &self.zone, year)
    }

    pub fn years(&self) -> Vec<i32> {
        let mut years = self.zone.years();
        years.extend([2022, 2023]);
        years.sort_unstable();
        years.dedup();
        years
    }

    pub fn checks(&self) -> Vec<ecociv_core::targets::TargetCheck> {
        let mut checks = check_targets(&self.framework, &self.zone, 2025);
        checks.extend(check_targets(&self.framework, &self.zone, 2030));
        checks
    }

    pub fn dashboard(&self, year: i32) -> DashboardView {
        let assessment = self.assessment(year);
        let departments = DepartmentProgress::from_assessment(&assessment);
        DashboardView::build(&self.framework, &self.zone, &assessment, self.years(), departments)
    }

    pub fn table(&self, year: i32, filter: TableFilter) -> Table21View {
        Table21View::build(
            &self.framework,
            &self.zone,
            &self.assessment(year),
            &self.checks(),
            self.years(),
            filter,
        )
    }

    pub fn indicator(&self, id: &str, year: i32) -> IndicatorView {
        let history = vec![HistoryEntry {
            at: "2022-03-01T02:15:00Z".into(),
            who: "王工".into(),
            action: "approved".into(),
            value: Some("29".into()),
            comment: None,
        }];
        let evidence = vec![EvidenceFile {
            name: "2021年环境质量公报.pdf".into(),
            href: "/evidence/1".into(),
            bytes: 482_113,
            uploaded_at: "2022-02-27T09:00:00Z".into(),
            uploaded_by: "李四".into(),
        }];
        let mut view = IndicatorView::build(
            &self.framework,
            &self.zone,
            &self.assessment(year),
            &self.checks(),
            id,
            self.years(),
        )
        .expect("row exists");
        view.history = history;
        view.evidence = evidence;
        view
    }

    pub fn entry(&self, year: i32) -> EntryView {
        let mut states = BTreeMap::new();
        states.insert(
            "7.2".to_string(),
            (EntryState::Returned, Some("请附监测报告".to_string())),
        );
        states.insert("5".to_string(), (EntryState::Draft, None));
        EntryView::build(&self.framework, &self.zone, EPB, year, self.years(), &states)
    }

    pub fn review(&self) -> ReviewView {
        let submissions = [
            Submission {
                id: "s1".into(),
                row: "7.2".into(),
                year: 2022,
                value: Value::Number(36.0),
                department: EPB.into(),
                submitted_by: "张三".into(),
                submitted_at: "2023-01-10T01:30:00Z".into(),
                evidence: 1,
            },
            Submission {
                id: "s2".into(),
                row: "1".into(),
                year: 2022,
                value: Value::State("制定实施".into()),
                department: "城中区人民政府".into(),
                submitted_by: "赵六".into(),
                submitted_at: "2023-01-11T01:30:00Z".into(),
                evidence: 0,
            },
        ];
        ReviewView {
            zone_code: ZONE.into(),
            items: submissions
                .iter()
                .filter_map(|s| ReviewItem::build(&self.framework, &self.zone, s))
                .enumerate()
                .map(|(n, mut item)| {
                    if n == 0 {
                        item.evidence_files.push(pages::entry::EvidenceLink {
                            name: "监测报告.pdf".into(),
                            href: "/api/v1/zones/450202/evidence/e1".into(),
                            bytes: 4096,
                        });
                    }
                    item
                })
                .collect(),
        }
    }
}

/// SYNTHETIC daily AQI for 2023: a deterministic pattern, category by the HJ 633 breakpoints of the
/// index (0–50, 51–100, 101–150, 151–200, 201–300, >300); every 17th day invalid.
pub fn air() -> AirView {
    let mut days = Vec::new();
    let mut n: u32 = 7;
    for month in 1..=12u8 {
        for day in 1..=ecociv_web::i18n::days_in_month(2023, month) {
            n = (n * 1103 + 12345) % 32768;
            let date = Date::new(2023, month, day).unwrap();
            let ordinal = days.len() as u32;
            if ordinal % 17 == 16 {
                days.push(DailyAqi {
                    date,
                    aqi: None,
                    category: None,
                    primary: None,
                });
                continue;
            }
            let aqi = 20 + n % 160 + if month == 1 { 60 } else { 0 };
            let category = match aqi {
                0..=50 => 1,
                51..=100 => 2,
                101..=150 => 3,
                151..=200 => 4,
                201..=300 => 5,
                _ => 6,
            };
            days.push(DailyAqi {
                date,
                aqi: Some(aqi),
                category: Some(category),
                primary: (aqi > 50).then(|| "PM2.5".to_string()),
            });
        }
    }
    AirView {
        zone_code: ZONE.into(),
        year: 2023,
        years: vec![2022, 2023],
        stations: "市监测站（合成）".into(),
        edition: "HJ 633-2012".into(),
        synthetic: true,
        days,
        ..AirView::default()
    }
}

/// SYNTHETIC water sections.
pub fn water() -> WaterView {
    WaterView {
        zone_code: ZONE.into(),
        year: 2023,
        years: vec![2023],
        edition: "GB 3838-2002".into(),
        synthetic: true,
        sections: vec![
            SectionView {
                name: "河西（合成）".into(),
                water_body: "柳江".into(),
                target_class: Some(3),
                monthly: [
                    Some(2),
                    Some(2),
                    Some(3),
                    Some(2),
                    None,
                    Some(2),
                    Some(2),
                    Some(3),
                    Some(2),
                    Some(2),
                    Some(2),
                    Some(2),
                ],
                annual: Some(2),
            },
            SectionView {
                name: "支流口（合成）".into(),
                water_body: "竹鹅溪".into(),
                target_class: Some(3),
                monthly: [
                    Some(4),
                    Some(6),
                    Some(5),
                    Some(4),
                    Some(4),
                    Some(3),
                    Some(4),
                    Some(4),
                    Some(5),
                    Some(4),
                    Some(4),
                    Some(4),
                ],
                annual: Some(4),
            },
        ],
        ..WaterView::default()
    }
}

pub fn users() -> UsersView {
    UsersView {
        users: vec![
            UserRow {
                href: "/admin/users/1?zone=450202".into(),
                username: "admin".into(),
                display_name: "管理员".into(),
                role: Role::Admin,
                department: None,
                active: true,
            },
            UserRow {
                href: "/admin/users/2?zone=450202".into(),
                username: "epb".into(),
                display_name: "张三".into(),
                role: Role::Editor,
                department: Some(EPB.into()),
                active: true,
            },
        ],
        departments: vec![EPB.into(), "城中区统计局".into()],
        error: None,
    }
}

pub fn departments() -> DepartmentsView {
    DepartmentsView {
        departments: vec![DepartmentRow {
            action: "/admin/departments/d1?zone=450202".into(),
            name: EPB.into(),
            users: 2,
            rows: 14,
        }],
        error: Some("admin.error.duplicate".into()),
        history: vec![history_row("admin.audit.department.rename")],
    }
}

fn history_row(action: &str) -> AuditRow {
    AuditRow {
        at: "2026-03-05T20:30:00Z".into(),
        who: "管理员".into(),
        action: action.into(),
        before: "城中区统计局".into(),
        after: EPB.into(),
    }
}

/// One account's page, with a refused password form and its history.
pub fn user_page(active: bool) -> UserView {
    UserView {
        action: "/admin/users/2?zone=450202".into(),
        username: "epb".into(),
        display_name: "张三".into(),
        is_admin: false,
        active,
        is_self: false,
        zone_name: "柳州市城中区".into(),
        role: Some(Role::Editor),
        department: Some(EPB.into()),
        departments: vec![EPB.into(), "城中区统计局".into()],
        error: Some(("admin.error.password".into(), "password".into())),
        history: [
            "user.create",
            "user.update",
            "user.disable",
            "user.enable",
            "user.password",
            "member.set",
            "member.remove",
        ]
        .iter()
        .map(|action| history_row(&format!("admin.audit.{action}")))
        .collect(),
    }
}

pub fn ctx(lang: Lang, role: Option<Role>) -> PageContext {
    PageContext {
        lang,
        path: "/z/450202?year=2021".into(),
        user: role.map(|role| UserBadge {
            username: "u".into(),
            display_name: "张三".into(),
            role,
            department: (role == Role::Editor).then(|| EPB.to_string()),
        }),
        zone: Some(ZoneBadge {
            code: ZONE.into(),
            name: "柳州市城中区".into(),
            name_en: "Chengzhong District, Liuzhou".into(),
        }),
        csrf_token: role.map(|_| "tok123".to_string()),
        flash: None,
    }
}

/// Every page, rendered in `lang`: (name, html).
pub fn all_pages(fixture: &Fixture, lang: Lang) -> Vec<(&'static str, String)> {
    let mut entry_with_errors = fixture.entry(2022);
    let mut input = BTreeMap::new();
    input.insert("v:5".to_string(), "150".to_string());
    input.insert("v:1".to_string(), "正在制定".to_string());
    input.insert("a:5".to_string(), "大概".to_string());
    entry_with_errors.apply_input(&fixture.framework, &input);
    entry_with_errors.evidence_upload = true;
    if let Some(row) = entry_with_errors.rows.iter_mut().find(|row| row.id == "5") {
        row.evidence.push(pages::entry::EvidenceLink {
            name: "监测报告.pdf".into(),
            href: "/api/v1/zones/450202/evidence/x".into(),
            bytes: 300,
        });
        row.evidence_error = Some(pages::entry::FieldError::new(
            "entry.error.file_too_large",
            &[("max", "20 MB".into())],
        ));
    }
    let mut indicator = fixture.indicator("7.2", 2021);
    indicator.reopen = Some(pages::indicator::ReopenForm {
        action: "/z/450202/indicators/7.2/reopen".into(),
        year: 2021,
        revision: 3,
        error: Some("indicator.reopen_reason_required".into()),
    });
    indicator.evidence.push(EvidenceFile {
        name: "监测报告.pdf".into(),
        href: "/x".into(),
        bytes: 2048,
        uploaded_at: "2026-01-01T00:00:00Z".into(),
        uploaded_by: "城中生态环境局".into(),
    });
    indicator.chart_svg = Some(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" role=\"img\"><title>x</title></svg>"
            .into(),
    );
    vec![
        (
            "dashboard",
            pages::dashboard::render_dashboard(&ctx(lang, None), &fixture.dashboard(2021)),
        ),
        (
            "table",
            pages::table::render_table(&ctx(lang, None), &fixture.table(2021, TableFilter::default())),
        ),
        (
            "indicator",
            pages::indicator::render_indicator(&ctx(lang, Some(Role::Reviewer)), &indicator),
        ),
        (
            "indicator-parent",
            pages::indicator::render_indicator(&ctx(lang, None), &fixture.indicator("7", 2021)),
        ),
        (
            "indicator-17",
            pages::indicator::render_indicator(&ctx(lang, Some(Role::Viewer)), &fixture.indicator("17", 2021)),
        ),
        (
            "indicator-3",
            pages::indicator::render_indicator(&ctx(lang, None), &fixture.indicator("3", 2021)),
        ),
        (
            "entry",
            pages::entry::render_entry(&ctx(lang, Some(Role::Editor)), &entry_with_errors),
        ),
        (
            "review",
            pages::review::render_review(&ctx(lang, Some(Role::Reviewer)), &fixture.review()),
        ),
        ("air", pages::air::render_air(&ctx(lang, None), &air())),
        ("water", pages::water::render_water(&ctx(lang, None), &water())),
        (
            "login",
            pages::login::render_login(
                &ctx(lang, None),
                &LoginView {
                    username: "epb".into(),
                    error: Some("login.error.bad_credentials".into()),
                    next: None,
                },
            ),
        ),
        (
            "users",
            pages::admin::render_users(&ctx(lang, Some(Role::Admin)), &users()),
        ),
        (
            "departments",
            pages::admin::render_departments(&ctx(lang, Some(Role::Admin)), &departments()),
        ),
        (
            "user",
            pages::admin::render_user(&ctx(lang, Some(Role::Admin)), &user_page(true)),
        ),
        (
            "user-disabled",
            pages::admin::render_user(&ctx(lang, Some(Role::Admin)), &user_page(false)),
        ),
        (
            "forbidden",
            ecociv_web::layout::render_message(&ctx(lang, None), "error.forbidden_title", "error.forbidden"),
        ),
    ]
}
