//! Each supervision rule firing and closing; the workflow of reports; scorecards recomputed from their
//! explanation.

use ecociv_plan::bundled;
use ecociv_plan::model::{FundingSource, KeyProjects, LedgerEntry, Measures, Milestone};
use ecociv_plan::report::{ReportBook, ReportRevision, ReviewState, Subject, WorkStatus};
use ecociv_plan::score::{RowState, ScoreInput, ScoreRules, Scorecard, score};
use ecociv_plan::supervision::{
    Board, DisclosureAlert, FollowUpState, RowAlert, SupervisionInput, SupervisionRules, evaluate,
};
use ecociv_plan::{Date, Period, Periodicity, WanYuan};

const OFFICE: &str = "城中生态环境局";

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn q(year: i32, index: u8) -> Period {
    Period::new(year, index, Periodicity::Quarterly).unwrap()
}

fn zone() -> (Measures, KeyProjects) {
    bundled::zone("450202").unwrap().unwrap()
}

fn row_leads() -> Vec<(String, Vec<String>)> {
    vec![
        ("24".into(), vec!["城中区卫生健康局".into()]),
        ("26".into(), vec![OFFICE.into(), "城中区农业农村局".into()]),
    ]
}

fn rev(subject: Subject, period: Period, dept: &str, state: ReviewState, on: &str, by: &str) -> ReportRevision {
    ReportRevision {
        subject,
        period,
        department: dept.into(),
        status: WorkStatus::InProgress,
        percent: 50,
        spend: vec![],
        narrative: "按计划推进".into(),
        evidence: vec![],
        state,
        on: d(on),
        by: by.into(),
        reason: (state == ReviewState::Returned).then(|| "缺少佐证材料".to_string()),
    }
}

fn ledger() -> Vec<LedgerEntry> {
    vec![LedgerEntry {
        project: "2.01".into(),
        responsible: "城中区农业农村局".into(),
        start_year: 2025,
        end_year: 2026,
        estimated: WanYuan::parse("300").unwrap(),
        plan: vec![
            (2025, FundingSource("区级财政".into()), WanYuan::parse("100").unwrap()),
            (2026, FundingSource("区级财政".into()), WanYuan::parse("200").unwrap()),
        ],
        milestones: vec![Milestone {
            name: "完成设计".into(),
            due: d("2025-06-30"),
            done: None,
        }],
    }]
}

struct World {
    measures: Measures,
    projects: KeyProjects,
    ledger: Vec<LedgerEntry>,
    reports: ReportBook,
    alerts: Vec<RowAlert>,
    disclosures: Vec<DisclosureAlert>,
    rules: SupervisionRules,
    board: Board,
}

impl World {
    fn new() -> World {
        let (measures, projects) = zone();
        World {
            measures,
            projects,
            ledger: ledger(),
            reports: ReportBook::new(),
            alerts: vec![],
            disclosures: vec![],
            rules: SupervisionRules::default_rules(),
            board: Board::default(),
        }
    }

    /// Runs supervision on `today` and returns the ids of items opened.
    fn run(&mut self, today: &str) -> ecociv_plan::supervision::Changes {
        let leads = row_leads();
        let input = SupervisionInput {
            measures: &self.measures,
            projects: &self.projects,
            ledger: &self.ledger,
            reports: &self.reports,
            alerts: &self.alerts,
            disclosures: &self.disclosures,
            row_leads: &leads,
            office: OFFICE,
            today: d(today),
        };
        let findings = evaluate(&self.rules, &input);
        self.board.reconcile(&self.rules, &findings, d(today), "督查督办")
    }

    fn state(&self, id: &str) -> FollowUpState {
        self.board.get(id).unwrap_or_else(|| panic!("no item {id}")).state()
    }
}

#[test]
fn report_overdue_fires_after_the_due_date_and_clears_when_filed() {
    let mut w = World::new();
    let key = "report_overdue:措施 1.1.3:2025年第1季度";
    // Q1 2025 ends 31 March; due 15 days later (the default rules): 15 April.
    assert!(!w.run("2025-04-15").opened.iter().any(|k| k == key));
    let changes = w.run("2025-04-16");
    assert!(changes.opened.iter().any(|k| k == key));
    let item = w.board.get(key).unwrap();
    assert_eq!(item.owner, "城中区农业农村局"); // 1.1.3 河长制: row 4's lead
    assert_eq!(item.due, d("2025-04-21")); // response_days = 5
    assert!(
        w.board.close(key, d("2025-04-17"), "办公室", "已报送").is_err(),
        "cannot close while the report is missing"
    );
    w.board
        .respond(key, d("2025-04-17"), "城中区农业农村局", "已安排专人报送")
        .unwrap();
    let m = Subject::Measure("1.1.3".into());
    w.reports
        .append(rev(
            m,
            q(2025, 1),
            "城中区农业农村局",
            ReviewState::Submitted,
            "2025-04-18",
            "张三",
        ))
        .unwrap();
    let changes = w.run("2025-04-19");
    assert!(changes.cleared.iter().any(|k| k == key));
    assert_eq!(w.state(key), FollowUpState::Cleared);
    assert!(
        w.board.close(key, d("2025-04-19"), "办公室", "").is_err(),
        "closure needs a basis"
    );
    w.board.close(key, d("2025-04-19"), "办公室", "4月18日已补报").unwrap();
    assert_eq!(w.state(key), FollowUpState::Closed);
    let kinds: Vec<_> = w
        .board
        .get(key)
        .unwrap()
        .events
        .iter()
        .map(|e| serde_json::to_value(e).unwrap()["kind"].clone())
        .collect();
    assert_eq!(kinds, ["opened", "response", "condition_cleared", "closed"]);
    // Running again changes nothing for that report.
    let again = w.run("2025-04-20");
    assert!(!again.opened.iter().any(|k| k.starts_with(key)));
}

#[test]
fn measure_past_deadline_fires_in_the_new_year_and_clears_on_an_approved_done_report() {
    let mut w = World::new();
    let key = "measure_overdue:措施 2.3.3-1"; // 到 2025 年，建成美丽幸福河道 20 公里
    assert!(!w.run("2025-12-31").opened.iter().any(|k| k == key));
    assert!(w.run("2026-01-01").opened.iter().any(|k| k == key));
    let m = Subject::Measure("2.3.3-1".into());
    let mut done = rev(
        m,
        q(2025, 4),
        "城中区农业农村局",
        ReviewState::Submitted,
        "2026-01-05",
        "李四",
    );
    done.status = WorkStatus::Done;
    done.percent = 100;
    w.reports.append(done.clone()).unwrap();
    // Submitted is not enough: the condition holds until the report is approved.
    assert!(!w.run("2026-01-06").cleared.iter().any(|k| k == key));
    done.state = ReviewState::Approved;
    done.on = d("2026-01-07");
    done.by = "王五".into();
    w.reports.append(done).unwrap();
    assert!(w.run("2026-01-08").cleared.iter().any(|k| k == key));
}

#[test]
fn spend_behind_plan_fires_and_clears_when_approved_spend_catches_up() {
    let mut w = World::new();
    let key = "spend_behind:项目 2.01:2025";
    let p = Subject::Project("2.01".into());
    let mut r = rev(
        p,
        q(2025, 3),
        "城中区农业农村局",
        ReviewState::Submitted,
        "2025-10-10",
        "张三",
    );
    r.spend = vec![(FundingSource("区级财政".into()), WanYuan::parse("50").unwrap())];
    w.reports.append(r.clone()).unwrap();
    r.state = ReviewState::Approved;
    r.on = d("2025-10-12");
    r.by = "王五".into();
    w.reports.append(r.clone()).unwrap();
    // Plan through 2025: 100 万元; approved spend 50 < 80 (threshold 20%).
    let changes = w.run("2026-01-20");
    assert!(changes.opened.iter().any(|k| k == key), "{changes:?}");
    assert_eq!(w.board.get(key).unwrap().owner, "城中区农业农村局");
    let mut r4 = r;
    r4.period = q(2025, 4);
    r4.spend = vec![(FundingSource("上级专项".into()), WanYuan::parse("30").unwrap())];
    r4.state = ReviewState::Submitted;
    r4.on = d("2026-01-21");
    r4.by = "张三".into();
    w.reports.append(r4.clone()).unwrap();
    r4.state = ReviewState::Approved;
    r4.on = d("2026-01-22");
    r4.by = "王五".into();
    w.reports.append(r4).unwrap();
    assert_eq!(
        w.reports.approved_spend_through("2.01", 2025),
        WanYuan::parse("80").unwrap()
    );
    assert!(w.run("2026-01-23").cleared.iter().any(|k| k == key));
}

#[test]
fn late_milestone_fires_and_clears_when_done() {
    let mut w = World::new();
    let key = "milestone_late:项目 2.01:完成设计";
    assert!(!w.run("2025-06-30").opened.iter().any(|k| k == key));
    assert!(w.run("2025-07-01").opened.iter().any(|k| k == key));
    w.ledger[0].milestones[0].done = Some(d("2025-07-03"));
    assert!(w.run("2025-07-04").cleared.iter().any(|k| k == key));
}

#[test]
fn an_overdue_disclosure_is_followed_up_by_its_owner_and_closed_once_published() {
    let mut w = World::new();
    w.disclosures = vec![
        DisclosureAlert {
            id: "G2025-05".into(),
            title: "集中式饮用水水源水质状况第四季度".into(),
            owner: "城中区水利局".into(),
            obliged: None,
            due: d("2025-12-31"),
        },
        DisclosureAlert {
            id: "E2025-02".into(),
            title: "年度环境信息依法披露报告".into(),
            owner: OFFICE.into(),
            obliged: Some("乙有限公司".into()),
            due: d("2025-03-15"),
        },
    ];
    let (g, e) = (
        "disclosure_overdue:公开事项 G2025-05",
        "disclosure_overdue:公开事项 E2025-02",
    );
    // Not on its due day; the day after.
    let opened = w.run("2025-12-31").opened;
    assert!(
        opened.iter().any(|k| k == e) && !opened.iter().any(|k| k == g),
        "{opened:?}"
    );
    assert!(w.run("2026-01-01").opened.iter().any(|k| k == g));
    let item = w.board.get(g).unwrap();
    assert_eq!(item.owner, "城中区水利局");
    assert_eq!(item.due, d("2026-01-11"), "the rule's 10 days to respond");
    let enterprise = w.board.get(e).unwrap();
    assert_eq!(
        enterprise.owner, OFFICE,
        "the bureau follows up an enterprise's obligation"
    );
    let opened_reason = format!("{:?}", enterprise.events[0].kind);
    assert!(
        opened_reason.contains("乙有限公司") && opened_reason.contains("2025-03-15"),
        "{opened_reason}"
    );
    // Still overdue: no 销号.
    assert!(w.board.close(g, d("2026-01-02"), "督查督办", "已催办").is_err());
    // Published: the condition clears and the item can be closed.
    w.disclosures.retain(|x| x.id != "G2025-05");
    assert!(w.run("2026-01-05").cleared.iter().any(|k| k == g));
    w.board
        .close(g, d("2026-01-06"), "督查督办", "已于 2026-01-04 公开")
        .unwrap();
    assert_eq!(w.state(g), FollowUpState::Closed);
    assert_eq!(w.state(e), FollowUpState::Open);
}

#[test]
fn returned_report_not_resubmitted_fires_after_grace_and_clears_on_resubmission() {
    let mut w = World::new();
    let m = Subject::Measure("5.1.3-2".into());
    let key = "returned_not_resubmitted:措施 5.1.3-2:2025年第1季度";
    w.reports
        .append(rev(
            m.clone(),
            q(2025, 1),
            "城中区卫生健康局",
            ReviewState::Submitted,
            "2025-04-10",
            "赵六",
        ))
        .unwrap();
    // No self-review; a return needs a reason.
    assert!(
        w.reports
            .append(rev(
                m.clone(),
                q(2025, 1),
                "城中区卫生健康局",
                ReviewState::Approved,
                "2025-04-11",
                "赵六"
            ))
            .is_err()
    );
    let mut no_reason = rev(
        m.clone(),
        q(2025, 1),
        "城中区卫生健康局",
        ReviewState::Returned,
        "2025-04-11",
        "王五",
    );
    no_reason.reason = None;
    assert!(w.reports.append(no_reason).is_err());
    w.reports
        .append(rev(
            m.clone(),
            q(2025, 1),
            "城中区卫生健康局",
            ReviewState::Returned,
            "2025-04-11",
            "王五",
        ))
        .unwrap();
    assert!(!w.run("2025-04-16").opened.iter().any(|k| k == key)); // grace 5 days
    assert!(w.run("2025-04-17").opened.iter().any(|k| k == key));
    assert_eq!(w.board.get(key).unwrap().owner, "城中区卫生健康局");
    w.reports
        .append(rev(
            m.clone(),
            q(2025, 1),
            "城中区卫生健康局",
            ReviewState::Submitted,
            "2025-04-18",
            "赵六",
        ))
        .unwrap();
    assert!(w.run("2025-04-19").cleared.iter().any(|k| k == key));
    // A submitted report cannot be submitted again; an approved one cannot be reviewed again.
    assert!(
        w.reports
            .append(rev(
                m.clone(),
                q(2025, 1),
                "城中区卫生健康局",
                ReviewState::Submitted,
                "2025-04-19",
                "赵六"
            ))
            .is_err()
    );
    w.reports
        .append(rev(
            m.clone(),
            q(2025, 1),
            "城中区卫生健康局",
            ReviewState::Approved,
            "2025-04-20",
            "王五",
        ))
        .unwrap();
    assert!(
        w.reports
            .append(rev(
                m,
                q(2025, 1),
                "城中区卫生健康局",
                ReviewState::Returned,
                "2025-04-21",
                "王五"
            ))
            .is_err()
    );
}

#[test]
fn a_row_at_risk_opens_one_item_per_lead_department_and_clears_when_the_warning_ends() {
    let mut w = World::new();
    w.alerts = vec![RowAlert {
        row: "26".into(),
        reason: "按当前趋势 2025 年达不到目标".into(),
    }];
    let changes = w.run("2025-03-01");
    let opened: Vec<_> = changes.opened.iter().filter(|k| k.starts_with("row_at_risk")).collect();
    assert_eq!(
        opened,
        [
            "row_at_risk:指标 26:城中生态环境局",
            "row_at_risk:指标 26:城中区农业农村局"
        ]
    );
    w.alerts.clear();
    let changes = w.run("2025-03-02");
    assert_eq!(
        changes.cleared.iter().filter(|k| k.starts_with("row_at_risk")).count(),
        2
    );
    // The warning comes back before 销号: the same item opens again, with its history.
    w.alerts = vec![RowAlert {
        row: "26".into(),
        reason: "再次预警".into(),
    }];
    let changes = w.run("2025-03-03");
    assert_eq!(changes.returned.len(), 2);
    assert_eq!(w.state("row_at_risk:指标 26:城中生态环境局"), FollowUpState::Open);
    // Cleared and closed; a later warning opens a new item (#2), the closed one stays as it was.
    w.alerts.clear();
    w.run("2025-03-04");
    w.board
        .close(
            "row_at_risk:指标 26:城中生态环境局",
            d("2025-03-05"),
            "办公室",
            "预警解除",
        )
        .unwrap();
    w.alerts = vec![RowAlert {
        row: "26".into(),
        reason: "第三次预警".into(),
    }];
    let changes = w.run("2025-06-01");
    assert!(
        changes
            .opened
            .iter()
            .any(|k| k == "row_at_risk:指标 26:城中生态环境局#2")
    );
    assert_eq!(w.state("row_at_risk:指标 26:城中生态环境局"), FollowUpState::Closed);
}

#[test]
fn manual_items_need_a_response_before_closure() {
    let mut board = Board::default();
    let id = board.add_manual(
        "联席会议：小丹冲河道治理进度",
        "城中区住建局",
        "2025年第一次联席会议决定",
        d("2025-03-01"),
        d("2025-03-31"),
        "办公室",
    );
    assert!(board.close(&id, d("2025-03-10"), "办公室", "已完成").is_err());
    board
        .respond(&id, d("2025-03-09"), "城中区住建局", "已完成清淤方案")
        .unwrap();
    assert!(board.get(&id).unwrap().overdue(d("2025-04-01")));
    board.close(&id, d("2025-03-10"), "办公室", "方案已印发").unwrap();
    assert!(!board.get(&id).unwrap().overdue(d("2025-04-01")));
    assert!(board.respond(&id, d("2025-03-11"), "城中区住建局", "补充").is_err());
}

#[test]
fn a_scorecard_recomputes_from_its_explanation_and_matches_a_hand_count() {
    let mut w = World::new();
    let dept = "城中区卫生健康局"; // leads 5.1.3-2 (row 24) and 2.3.2-2 (row 24) in the breakdown
    let led: Vec<_> = w
        .measures
        .measures
        .iter()
        .filter(|m| m.lead.first().map(String::as_str) == Some(dept))
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(led, ["2.3.2-2", "5.1.3-2"]);
    // Q1 2025: 5.1.3-2 on time (returned once, resubmitted, approved); 2.3.2-2 late.
    let a = Subject::Measure("5.1.3-2".into());
    let b = Subject::Measure("2.3.2-2".into());
    w.reports
        .append(rev(
            a.clone(),
            q(2025, 1),
            dept,
            ReviewState::Submitted,
            "2025-04-10",
            "赵六",
        ))
        .unwrap();
    w.reports
        .append(rev(
            a.clone(),
            q(2025, 1),
            dept,
            ReviewState::Returned,
            "2025-04-11",
            "王五",
        ))
        .unwrap();
    w.reports
        .append(rev(
            a.clone(),
            q(2025, 1),
            dept,
            ReviewState::Submitted,
            "2025-04-12",
            "赵六",
        ))
        .unwrap();
    w.reports
        .append(rev(
            a.clone(),
            q(2025, 1),
            dept,
            ReviewState::Approved,
            "2025-04-13",
            "王五",
        ))
        .unwrap();
    w.reports
        .append(rev(
            b.clone(),
            q(2025, 1),
            dept,
            ReviewState::Submitted,
            "2025-04-20",
            "赵六",
        ))
        .unwrap();
    w.reports
        .append(rev(
            b.clone(),
            q(2025, 1),
            dept,
            ReviewState::Approved,
            "2025-04-21",
            "王五",
        ))
        .unwrap();
    // Q2: 5.1.3-2 done (deadline 2025), on time, first time; 2.3.2-2 not filed.
    let mut done = rev(a, q(2025, 2), dept, ReviewState::Submitted, "2025-07-05", "赵六");
    done.status = WorkStatus::Done;
    w.reports.append(done.clone()).unwrap();
    done.state = ReviewState::Approved;
    done.on = d("2025-07-06");
    done.by = "王五".into();
    w.reports.append(done).unwrap();
    w.run("2025-07-20"); // opens report_overdue for 2.3.2-2 Q2 (due 7-15, response 5 days → 7-25)
    let rules = ScoreRules::default_rules();
    let leads = row_leads();
    let rows = vec![("24".to_string(), RowState::AtRisk), ("26".to_string(), RowState::Met)];
    let card = |today: &str, w: &World| {
        score(
            &rules,
            &ScoreInput {
                department: dept,
                year: 2025,
                today: d(today),
                measures: &w.measures,
                ledger: &w.ledger,
                reports: &w.reports,
                supervision: &w.rules,
                board: &w.board,
                row_leads: &leads,
                rows: &rows,
            },
        )
    };
    let c = card("2025-07-31", &w);
    let line = |id: &str| c.lines.iter().find(|l| l.id == id).unwrap().clone();
    // By hand: timeliness 4 reports due (2 measures × Q1, Q2), 2 on time → 20 × 2/4 = 10.00.
    assert_eq!(
        (
            line("timeliness").numerator,
            line("timeliness").denominator,
            line("timeliness").points_x100
        ),
        (2, 4, 1000)
    );
    // Quality: 3 approved reports, 1 of them returned once → 15 × 2/3 = 10.00.
    assert_eq!(
        (
            line("quality").numerator,
            line("quality").denominator,
            line("quality").points_x100
        ),
        (2, 3, 1000)
    );
    // Measures due by 2025 that the unit leads: 5.1.3-2 only (2.3.2-2's deadline is 2030) → 25.00.
    assert_eq!(
        (
            line("measures").numerator,
            line("measures").denominator,
            line("measures").points_x100
        ),
        (1, 1, 2500)
    );
    // No project → not applicable; row 24 at risk → 0/1.
    assert!(!line("projects").applicable);
    assert_eq!((line("rows").numerator, line("rows").denominator), (0, 1));
    // (10 + 10 + 25 + 0) / 80 × 100 = 56.25; the overdue follow-up is due 7-25 → −2.
    assert_eq!(c.deductions[0].count, 1);
    assert_eq!(c.score_x100, 5425);
    assert_eq!(Scorecard::recompute(&c.lines, &c.deductions), c.score_x100);
    assert_eq!(c.explanation.last().unwrap(), "总分 54.25");
    // Independently from the explanation's figures in floating point.
    let w_sum: f64 = c
        .lines
        .iter()
        .filter(|l| l.applicable)
        .map(|l| f64::from(l.weight))
        .sum();
    let earned: f64 = c
        .lines
        .iter()
        .filter(|l| l.applicable)
        .map(|l| f64::from(l.weight) * l.numerator as f64 / l.denominator as f64)
        .sum();
    let minus: f64 = c
        .deductions
        .iter()
        .map(|d| f64::from((d.count * d.points_each).min(d.cap)))
        .sum();
    assert!((earned / w_sum * 100.0 - minus - c.score_x100 as f64 / 100.0).abs() < 0.006);
    // The score moves with the work: the overdue report filed and the follow-up closed.
    w.reports
        .append(rev(b, q(2025, 2), dept, ReviewState::Submitted, "2025-07-28", "赵六"))
        .unwrap();
    w.run("2025-07-29");
    w.board
        .close(
            "report_overdue:措施 2.3.2-2:2025年第2季度",
            d("2025-07-29"),
            "办公室",
            "已补报",
        )
        .unwrap();
    let c2 = card("2025-07-31", &w);
    assert_eq!(c2.deductions[0].count, 0);
    assert_eq!(c2.score_x100, 5625);
}
