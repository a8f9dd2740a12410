//! The Word 工作进展情况通报: built from the example zone's plan work with the SYNTHETIC ledger and progress
//! reports, the board reconciled and the units scored as the server does; its per-unit counts checked
//! against a count by hand of the reports; opened by LibreOffice (converted to PDF), its text checked and its
//! first page rendered to PNG in `test-artifacts/docx/` for a person to look at.

use ecociv_plan::format::{parse_ledger, parse_reports};
use ecociv_plan::report::Subject;
use ecociv_plan::score::{RowState, ScoreInput, ScoreRules, score};
use ecociv_plan::supervision::{Board, SupervisionInput, SupervisionRules, evaluate};
use ecociv_plan::{Date, Period, Periodicity};
use ecociv_report::docx::bulletin::{BulletinInput, bulletin, unit_reports};

const LEDGER: &str = include_str!("../../../../data/synthetic/plan/project_ledger.SYNTHETIC.toml");
const REPORTS: &str = include_str!("../../../../data/synthetic/plan/progress_reports.SYNTHETIC.toml");

#[test]
fn the_bulletin_counts_the_period_s_reports_and_opens_in_libreoffice() {
    let (measures, projects) = ecociv_plan::bundled::zone("450202").unwrap().unwrap();
    let ledger = parse_ledger("ledger", LEDGER, &projects).unwrap();
    let reports = parse_reports("reports", REPORTS, &measures, &projects).unwrap();
    let rules = SupervisionRules::default_rules();
    let today = Date::parse("2025-10-20").unwrap();
    let period = Period::new(2025, 3, Periodicity::Quarterly).unwrap();
    let leads: Vec<(String, Vec<String>)> = Vec::new();
    let input = SupervisionInput {
        measures: &measures,
        projects: &projects,
        ledger: &ledger,
        reports: &reports,
        alerts: &[],
        disclosures: &[],
        row_leads: &leads,
        office: "城中生态环境局",
        today,
    };
    let mut board = Board::default();
    board.reconcile(&rules, &evaluate(&rules, &input), today, "system");
    let units = ecociv_plan::signals::scored_units(&measures, &leads);
    let cards: Vec<_> = units
        .iter()
        .map(|u| {
            score(
                &ScoreRules::default_rules(),
                &ScoreInput {
                    department: u,
                    year: 2025,
                    today,
                    measures: &measures,
                    ledger: &ledger,
                    reports: &reports,
                    supervision: &rules,
                    board: &board,
                    row_leads: &leads,
                    rows: &[] as &[(String, RowState)],
                },
            )
        })
        .collect();
    let input = BulletinInput {
        zone_name: "柳州市城中区",
        issuer: "城中生态环境局",
        date: "2025年10月20日".into(),
        period,
        today,
        measures: &measures,
        ledger: &ledger,
        reports: &reports,
        board: &board,
        rules: &rules,
        scorecards: &cards,
    };
    // The per-unit counts against a count by hand: project 2.01 (城中区农业农村局) was filed on 2025-10-10,
    // before the 2025-10-15 due date; project 5.07 (城中区卫生健康局) ended in 2025 and was not filed for Q3.
    let counts = unit_reports(&input);
    let agri = counts.iter().find(|u| u.unit == "城中区农业农村局").unwrap();
    let agri_measures = measures
        .measures
        .iter()
        .filter(|m| m.lead.first().is_some_and(|l| l == "城中区农业农村局") && m.deadline >= 2025)
        .count();
    assert_eq!(agri.due, agri_measures + 1);
    let due_date = Date::parse("2025-10-15").unwrap();
    let filed: Vec<Date> = measures
        .measures
        .iter()
        .filter(|m| m.lead.first().is_some_and(|l| l == "城中区农业农村局") && m.deadline >= 2025)
        .filter_map(|m| reports.first_filed(&Subject::Measure(m.id.clone()), period))
        .chain(reports.first_filed(&Subject::Project("2.01".into()), period))
        .collect();
    let on_time = filed.iter().filter(|d| **d <= due_date).count();
    assert_eq!((agri.filed, agri.on_time), (filed.len(), on_time));
    assert!(
        filed.contains(&Date::parse("2025-10-10").unwrap()),
        "2.01's Q3 report counted"
    );
    let total_due: usize = counts.iter().map(|u| u.due).sum();
    assert!(total_due > 100, "{total_due}");

    let bytes = bulletin(&input).expect("bulletin");
    assert!(bytes.starts_with(b"PK"), "a zip package");
    let Some(text) = crate::office::pdf_text(&bytes, "450202-2025Q3-工作进展情况通报") else {
        return;
    };
    for expected in [
        "工作进展情况通报",
        "（2025年第3季度）",
        "一、总体情况",
        "二、各单位报送情况",
        "三、督查督办情况",
        "四、部门考核得分",
        "五、工作要求",
        "城中区农业农村局",
        "城中生态环境局",
        "2025年10月20日",
        "—1—",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing from the PDF: {}",
            &text[..text.len().min(600)]
        );
    }
    assert!(
        text.contains(&format!("本期应报送进展报告{total_due}份")),
        "{}",
        &text[..text.len().min(800)]
    );
}
