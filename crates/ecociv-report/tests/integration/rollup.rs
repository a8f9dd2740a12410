//! The roll-up's documents (issue 15): the Word summary of a province built from the example zone's real
//! assessment, a second zone whose forest cover (row 10) is 30 % and not met, and a zone that has not
//! reported; opened by LibreOffice (converted to PDF), its text checked against the roll-up counted by hand,
//! and its pages rendered to PNG in `test-artifacts/docx/` for a person to look at. The tables' CSV is
//! checked against the same hand count.

use ecociv_core::Status;
use ecociv_progress::rollup::{ZoneEntry, ZoneSummary, rollup};
use ecociv_report::docx::rollup::{Signature, summary};
use ecociv_report::rollup::{Part, RollupInput, csv};

fn zones() -> (ecociv_core::Framework, Vec<ZoneEntry>) {
    let loaded = crate::example();
    let assessment = ecociv_core::assess(&loaded.framework, &loaded.zone, 2021);
    let chengzhong = ZoneSummary::from_assessment(&assessment);
    let mut yufeng = chengzhong.clone();
    let forest = yufeng.rows.iter_mut().find(|row| row.id == "10").expect("row 10");
    forest.figure = Some(30.0);
    forest.status = Status::NotMet;
    let entries = vec![
        ZoneEntry {
            code: "450202".into(),
            name: "柳州市城中区".into(),
            parent: Some("450200".into()),
            summary: Some(chengzhong),
        },
        ZoneEntry {
            code: "450203".into(),
            name: "柳州市鱼峰区".into(),
            parent: Some("450200".into()),
            summary: Some(yufeng),
        },
        ZoneEntry {
            code: "450302".into(),
            name: "桂林市秀峰区".into(),
            parent: Some("450300".into()),
            summary: None,
        },
    ];
    (loaded.framework, entries)
}

#[test]
fn the_province_s_word_summary_shows_the_roll_up_in_each_row_s_precision_and_opens_in_libreoffice() {
    let (framework, entries) = zones();
    let computed = rollup("450000", 2021, &framework, &entries);
    let forest_value = {
        let loaded = crate::example();
        let assessment = ecociv_core::assess(&loaded.framework, &loaded.zone, 2021);
        assessment
            .rows
            .iter()
            .find(|row| row.id == "10")
            .and_then(|row| row.value.as_ref())
            .and_then(|value| value.as_number())
            .expect("row 10's figure")
    };
    assert_eq!(forest_value, 42.72, "the example zone's forest cover");
    let input = RollupInput {
        rollup: &computed,
        scope_name: "广西壮族自治区",
        zones: &entries,
        framework: &framework,
    };
    // By hand: two zones compared, 桂林市秀峰区 not reported; row 10 min 30, median (30 + 42.72) / 2 = 36.36.
    assert_eq!((computed.zones, computed.compared), (3, 2));
    assert_eq!(computed.not_reported, ["450302"]);
    let rows = String::from_utf8(csv(&input, Part::Rows).unwrap()).unwrap();
    assert!(
        rows.lines()
            .any(|l| l == "10,林草覆盖率,参考性,%,1,1,0,2,30,36.36,42.72"),
        "{rows}"
    );
    let missing = String::from_utf8(csv(&input, Part::Missing).unwrap()).unwrap();
    assert!(missing.lines().any(|l| l == "450302,桂林市秀峰区,450300"), "{missing}");

    // The per-city part: 柳州 with its two zones compared, 桂林 with its one zone not reported.
    let cities: Vec<(String, ecociv_progress::rollup::Rollup)> =
        ecociv_progress::rollup::by_parent(2021, &framework, &entries)
            .into_iter()
            .map(|(code, rolled)| (if code == "450200" { "柳州市" } else { "桂林市" }.to_string(), rolled))
            .collect();
    assert_eq!(
        cities
            .iter()
            .map(|(n, c)| (n.as_str(), c.zones, c.compared, c.not_reported.len()))
            .collect::<Vec<_>>(),
        [("柳州市", 2, 2, 0), ("桂林市", 1, 0, 1)]
    );
    let bytes = summary(
        &input,
        &cities,
        &Signature {
            issuer: "广西壮族自治区生态环境厅",
            date: "2026年12月4日".into(),
        },
    )
    .expect("summary");
    assert!(bytes.starts_with(b"PK"), "a zip package");
    // Every table's header row is marked to repeat on each page: the first row of each of the three tables.
    let document = {
        use std::io::Read as _;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("a docx package");
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    };
    assert_eq!(document.matches("<w:tbl>").count(), 3);
    for table in document.split("<w:tbl>").skip(1) {
        let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
        assert!(
            rows[0].starts_with("<w:trPr><w:tblHeader />"),
            "{}",
            &rows[0][..80.min(rows[0].len())]
        );
        assert!(
            rows[1..].iter().all(|row| !row.contains("tblHeader")),
            "only the header row"
        );
    }
    let Some(text) = crate::office::pdf_text(&bytes, "450000-2021-汇总摘要") else {
        return;
    };
    // The distribution table (表3, one line per row of the edition) runs over pages: its header row is at
    // the top of each of them.
    let header = "编号指标达标不达标无数据最小值中位数最大值";
    assert!(
        text.matches(header).count() >= 2,
        "the distribution table's header on each of its pages: {} time(s)",
        text.matches(header).count()
    );
    for expected in [
        "广西壮族自治区2021年度",
        "生态文明建设示范区创建情况汇总",
        "共有创建区域3个，其中2个已报送2021年度数据并参与比较",
        "一、总体情况",
        "尚未报送的区域1个（见第六部分）",
        "二、各市创建情况",
        "表12021年度各市创建情况",
        "市区域数参与比较达到创建要求未报送约束性指标未达标（区域数）",
        "三、各区域达标情况",
        "四、约束性指标未达标情况",
        "五、各指标分布情况",
        "六、未报送区域",
        "柳州市鱼峰区",
        "10林草覆盖率110",
        "30%36.36%42.72%",
        "桂林市秀峰区",
        "广西壮族自治区生态环境厅",
        "2026年12月4日",
        "—1—",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing from the PDF: {}",
            &text[..text.len().min(1200)]
        );
    }
}
