//! Row 5 from the disclosure register, recomputed by hand; the register's CSV refused whole with line and
//! column.

use ecociv_core::{Source, Value};
use ecociv_survey::disclosure::{Category, RATE_EDITION, RateError, Standing, parse_register, rate};
use jiff::civil::date;

const REGISTER: &str = "\u{feff}事项编号,类别,事项,责任单位,依据,频次,应公开日期,公开日期,公开渠道,链接或文号
G-01,政府主动公开,2024年第一季度环境质量状况,城中生态环境局,《环境信息公开办法》,每季度,2024-04-15,2024-04-10,区政府门户网站,http://example.invalid/g01
G-02,政府主动公开,2024年第二季度环境质量状况,城中生态环境局,《环境信息公开办法》,每季度,2024-07-15,2024-07-20,区政府门户网站,
G-03,政府主动公开,2024年第三季度环境质量状况,城中生态环境局,《环境信息公开办法》,每季度,2024-10-15,2024-10-15,区政府门户网站,
G-04,政府主动公开,2024年第四季度环境质量状况,城中生态环境局,《环境信息公开办法》,每季度,2025-01-15,,,
G-05,政府主动公开,2024年上半年行政处罚决定,城中区综合执法局,《政府信息公开条例》,每半年,2024-06-30,,,
G-06,政府主动公开,2024年第四季度饮用水水质,城中区水利局,规划第三章四（一）每季度向社会公开一次,每季度,2024-12-31,2024/12/30,区政府门户网站,城水〔2024〕12号
G-07,政府主动公开,建设用地土壤污染风险管控和修复名录,城中生态环境局,规划第三章 动态更新和公开,动态更新,2024-11-30,2024-11-28,区政府门户网站,
E-01,企业强制性公开,2023年度环境信息依法披露报告,甲公司,《企业环境信息依法披露管理办法》,每年,2024-03-15,2024-03-01,企业环境信息依法披露系统,
E-02,企业强制性公开,2023年度环境信息依法披露报告,乙公司,《企业环境信息依法披露管理办法》,每年,2024-03-15,2024-03-14,企业环境信息依法披露系统,
E-03,企业强制性公开,2023年度环境信息依法披露报告,丙公司,《企业环境信息依法披露管理办法》,每年,2024-03-15,2024-04-02,企业环境信息依法披露系统,
E-04,企业强制性公开,2023年度环境信息依法披露报告,丁公司,《企业环境信息依法披露管理办法》,每年,2024-03-15,2024-03-10,企业环境信息依法披露系统,
";

#[test]
fn row_5_recomputed_by_hand_from_the_register_equals_ecocivs() {
    let items = parse_register(REGISTER).unwrap();
    assert_eq!(items.len(), 11);
    // By hand, 2024 on 2024-12-31: government items due in 2024 are G-01, G-02, G-03, G-05, G-06, G-07 (G-04
    // falls in 2025); on time: G-01 (04-10 ≤ 04-15), G-03 (on the day), G-06 (12-30), G-07 → 4 of 6 =
    // 66.666…%. G-02 published five days late, G-05 never. Enterprises: E-01, E-02, E-04 on time, E-03 late →
    // 3 of 4 = 75 %. Both must reach 100 %: the row takes the lower, 66.67.
    let r = rate(&items, 2024, date(2024, 12, 31)).unwrap();
    let counts: Vec<(Category, u64, u64)> = r.categories.iter().map(|c| (c.category, c.due, c.on_time)).collect();
    assert_eq!(counts, [(Category::Government, 6, 4), (Category::Enterprise, 4, 3)]);
    assert!((r.value - 400.0 / 6.0).abs() < 1e-12, "{}", r.value);
    assert_eq!(r.not_due, 0);
    let short: Vec<(&str, &str, Standing)> = r
        .shortfalls
        .iter()
        .map(|s| (s.owner.as_str(), s.id.as_str(), s.standing))
        .collect();
    assert_eq!(
        short,
        [
            ("丙公司", "E-03", Standing::Late),
            ("城中区综合执法局", "G-05", Standing::Missing),
            ("城中生态环境局", "G-02", Standing::Late),
        ]
    );
    assert_eq!(
        r.arithmetic_zh(),
        "政府主动公开：按期公开 4 ÷ 应公开 6 × 100% = 66.7%；企业强制性公开：按期公开 3 ÷ 应公开 4 × 100% = 75.0%；取较低者 66.7%"
    );
    let o = r.observation("2024年度生态环境信息公开台账", false);
    assert_eq!((o.row.as_str(), o.year, &o.value), ("5", 2024, &Value::Number(66.67)));
    let Source::Computed {
        method,
        edition,
        provenance,
        ..
    } = &o.source
    else {
        panic!("{:?}", o.source)
    };
    assert!(method.contains("按期公开 4 ÷ 应公开 6"), "{method}");
    assert_eq!(edition, RATE_EDITION);
    assert!(
        provenance.contains("城中区综合执法局：2024年上半年行政处罚决定（G-05）逾期未公开，应 2024-06-30 公开"),
        "{provenance}"
    );
    assert!(provenance.contains("【存疑】"), "{provenance}");
}

#[test]
fn mid_year_the_items_not_yet_due_are_left_out_and_said_so() {
    let items = parse_register(REGISTER).unwrap();
    // On 2024-07-01: G-01 on time, G-05 missing (due 06-30); G-02/03/06/07 not yet due. 1 of 2 = 50 %.
    let r = rate(&items, 2024, date(2024, 7, 1)).unwrap();
    assert_eq!(r.value, 50.0);
    assert_eq!(r.not_due, 4);
    assert!(
        r.observation("台账", false)
            .source
            .describe()
            .contains("另有 4 项本年未到期，未计入")
    );
    // A year with nothing due gives no value.
    assert_eq!(
        rate(&items, 2023, date(2023, 12, 31)).unwrap_err(),
        RateError::NothingDue {
            year: 2023,
            as_of: date(2023, 12, 31)
        }
    );
    // Only government items due: the enterprise category is left out, not counted as 100 %.
    let r = rate(&items, 2025, date(2025, 2, 1)).unwrap();
    assert_eq!(r.categories.len(), 1);
    assert_eq!((r.value, r.shortfalls[0].id.as_str()), (0.0, "G-04"));
}

#[test]
fn a_bad_register_is_refused_whole_with_line_and_column() {
    let bad = REGISTER
        .replace("2024-04-15,2024-04-10", "2024-04-31,2024-04-10")
        .replace("E-02,企业强制性公开", "E-01,企业强制性公开")
        .replace("城中区综合执法局", "")
        .replace(
            "丁公司,《企业环境信息依法披露管理办法》,每年,2024-03-15,2024-03-10,企业环境信息依法披露系统,",
            "丁公司,《企业环境信息依法披露管理办法》,每年,2024-03-15,,企业环境信息依法披露系统,",
        )
        .replace("G-07,政府主动公开", "G-07,区政府");
    let problems = parse_register(&bad).unwrap_err();
    let fields: Vec<String> = problems.iter().map(|p| p.field.clone()).collect();
    assert_eq!(
        fields,
        [
            "第2行“应公开日期”",
            "第6行“责任单位”",
            "第8行“类别”",
            "第10行“事项编号”",
            "第12行“公开日期”"
        ],
        "{problems:?}"
    );
    assert!(problems[0].zh.contains("“2024-04-31”不是日期"));
    assert!(problems[3].zh.contains("与第9行重复"));
    assert!(parse_register("a,b\n").unwrap_err()[0].field.contains("表头"));
}
