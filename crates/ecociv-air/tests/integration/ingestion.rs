//! Ingestion: headers, errors with line/column/field, `skip_bad` counting, ordering, nothing written on
//! error, and equal results whatever the row order allowed.

use ecociv_air::EditionChoice;
use ecociv_air::ingest::{self, IngestError, ReadOptions};

fn opts(skip_bad: bool) -> ReadOptions {
    ReadOptions {
        source: "t.csv".into(),
        skip_bad,
    }
}

const H: &str = "station,date,hour,so2,no2,pm10,co,o3,pm25\n";

fn hourly_day(station: &str, date: &str, pm25: u32) -> String {
    (0..24)
        .map(|h| format!("{station},{date},{h},10,20,40,0.8,{},{pm25}\n", 40 + h))
        .collect()
}

fn annual(input: &str, skip: bool) -> (Result<usize, IngestError>, Vec<u8>) {
    let mut out = Vec::new();
    let r =
        ingest::run_annual(input.as_bytes(), &mut out, &opts(skip), EditionChoice::ByDate).map(|(rows, _)| rows.len());
    (r, out)
}

fn input_err(r: Result<usize, IngestError>) -> ingest::InputError {
    match r {
        Err(IngestError::Input(e)) => e,
        other => panic!("expected an input error, got {other:?}"),
    }
}

#[test]
fn bad_value_names_line_column_field_and_writes_nothing() {
    let s = format!(
        "{H}{}A,2023-01-01,5,10,x,40,0.8,50,30\n",
        hourly_day("A", "2022-12-31", 30)
    );
    let (r, out) = annual(&s, false);
    let e = input_err(r);
    assert_eq!((e.line, e.column, e.field.as_deref()), (Some(26), Some(5), Some("no2")));
    assert!(
        e.to_string()
            .contains("t.csv: 第 26 行第 5 列（no2）/ line 26, column 5 (no2)"),
        "{e}"
    );
    assert!(out.is_empty());
}

#[test]
fn other_bad_cells() {
    let cases = [
        ("A,2023-02-30,1,1,1,1,1,1,1\n", 2, Some(2)),
        ("A,2023-02-03,24,1,1,1,1,1,1\n", 2, Some(3)),
        ("A,2023-02-03,1,1,1,-3,1,1,1\n", 2, Some(6)),
        ("A,2023-02-03,1,1,1,1\n", 2, None),
        (",2023-02-03,1,1,1,1,1,1,1\n", 2, Some(1)),
    ];
    for (row, line, col) in cases {
        let e = input_err(annual(&format!("{H}{row}"), false).0);
        assert_eq!((e.line, e.column), (Some(line), col), "{row}");
    }
    let e = input_err(annual("station,date,hour,so2\nA,2023-01-01,1,1\n", false).0);
    assert_eq!(e.line, Some(1));
    assert!(e.message.contains("header"));
    let e = input_err(annual("", false).0);
    assert!(e.message.contains("empty"));
}

#[test]
fn skip_bad_counts_rows() {
    let good = hourly_day("A", "2023-01-01", 30);
    let s = format!("{H}{good}A,2023-01-02,1,1,zz,1,1,1,1\nA,2023-01-02,2,1,1,1,1,1,1\nA,2023-01-01,5,1,1,1,1,1,1\n");
    // The last row is out of order (date went back): fatal even with skip_bad.
    let (r, out) = annual(&s, true);
    assert!(input_err(r).message.contains("date"));
    assert!(out.is_empty());
    let s = format!("{H}{good}A,2023-01-02,1,1,zz,1,1,1,1\nA,2023-01-02,99,1,1,1,1,1,1\nA,2023-01-02,99\n");
    let mut out = Vec::new();
    let (rows, sum) = ingest::run_annual(s.as_bytes(), &mut out, &opts(true), EditionChoice::ByDate).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((sum.rows, sum.bad_rows), (27, 3));
    assert_eq!(sum.first_bad[0].line, Some(26));
    // Duplicate hour: a bad row (skippable), fatal without skip_bad.
    let dup = format!("{H}{good}A,2023-01-01,3,1,1,1,1,1,1\n");
    assert!(input_err(annual(&dup, false).0).message.contains("duplicate"));
    assert_eq!(annual(&dup, true).0.unwrap(), 1);
}

#[test]
fn order_station_major_and_date_major_agree() {
    // Two stations, 400 days (crossing a year), station-major vs date-major with hours reversed.
    let dates: Vec<String> = {
        let mut v = Vec::new();
        let (mut y, mut mo, mut d) = (2022, 12u8, 1u8);
        for _ in 0..400 {
            v.push(format!("{y:04}-{mo:02}-{d:02}"));
            d += 1;
            if d > ecociv_air::edition::days_in_month(y, mo) {
                d = 1;
                mo += 1;
                if mo > 12 {
                    mo = 1;
                    y += 1;
                }
            }
        }
        v
    };
    let row = |st: &str, i: usize, date: &str, h: u32| {
        format!(
            "{st},{date},{h},{},{},{},{}.{},{},{}\n",
            5 + i % 7,
            20 + i % 30,
            40 + i % 90,
            i % 3,
            h % 10,
            30 + (h * 7 + i as u32) % 150,
            10 + (i * 13) % 100
        )
    };
    let mut a = String::from(H);
    for st in ["S1", "S2"] {
        for (i, d) in dates.iter().enumerate() {
            for h in 0..24 {
                if !(i + h as usize).is_multiple_of(29) {
                    a.push_str(&row(st, i, d, h));
                }
            }
        }
    }
    let mut b = String::from(H);
    for (i, d) in dates.iter().enumerate() {
        for h in (0..24).rev() {
            for st in ["S2", "S1"] {
                if !(i + h as usize).is_multiple_of(29) {
                    b.push_str(&row(st, i, d, h));
                }
            }
        }
    }
    let (ra, oa) = annual(&a, false);
    let (rb, ob) = annual(&b, false);
    assert_eq!(ra.unwrap(), 6); // S1 and S2 × 2022 (31 days), 2023, 2024 (4 days)
    assert_eq!(rb.unwrap(), 6);
    assert_eq!(String::from_utf8(oa.clone()).unwrap(), String::from_utf8(ob).unwrap());
    let text = String::from_utf8(oa).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "station,year,valid_days,good_days,good_rate,so2,no2,pm10,pm25,co_p95,o3_8h_p90"
    );
    assert!(lines[1].starts_with("S1,2022,31,"), "{}", lines[1]);
    // 2022 has only December: the annual statistics are empty (coverage rule not met).
    assert!(lines[1].ends_with(",,,,,,"), "{}", lines[1]);
    assert!(lines[2].starts_with("S1,2023,365,"), "{}", lines[2]);
}

#[test]
fn daily_command_contract() {
    let s = "station,date,so2,no2,pm10,co,o3_1h,o3_8h,pm25\n\
             A,2023-05-01,10,40,150,0.5,120,100,75\n\
             A,2023-05-02,,,,,,,\n\
             \"B, east\",2026-05-02,5,10,20,0.4,50,40,60.5\n\
             C,2023-07-01,5,10,20,0.4,300,801,20\n";
    let mut out = Vec::new();
    ingest::run_daily(s.as_bytes(), &mut out, &opts(false), EditionChoice::ByDate).unwrap();
    let text = String::from_utf8(out).unwrap();
    let want = "station,date,aqi,level,category,primary,iaqi_so2,iaqi_no2,iaqi_pm10,iaqi_co,iaqi_o3_1h,iaqi_o3_8h,iaqi_pm25\n\
                A,2023-05-01,100,2,良,pm10;pm25,10,50,100,13,38,50,100\n\
                A,2023-05-02,,,,,,,,,,,\n\
                \"B, east\",2026-05-02,100,2,良,pm25,5,13,20,10,16,20,100\n\
                C,2023-07-01,150,3,轻度污染,o3_1h,5,13,20,10,150,,29\n";
    assert_eq!(text, want);
    // --edition 2012 forces the 2012 table on 2026 data: PM2.5 60.5 → 60 → 50 + ceil(50·25/40) = 82.
    let mut out = Vec::new();
    let forced = EditionChoice::Fixed(ecociv_air::Edition::E2012);
    ingest::run_daily(s.as_bytes(), &mut out, &opts(false), forced).unwrap();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("\"B, east\",2026-05-02,82,2,良,pm25")
    );
}

/// Blank lines count: the csv crate skips them and its own line count misses them, so an error after
/// blank lines must still name the line a person sees in the file (found by the parallel-reader property
/// test in CI).
#[test]
fn errors_after_blank_lines_name_the_right_line() {
    let s = format!("{H}\n\nA,2023-01-01,0,0,0,e,0,0,0\n");
    let (r, _) = annual(&s, false);
    assert_eq!(input_err(r).line, Some(4));
    let s = format!("{H}A,2023-01-01,0,1,1,1,1,1,1\r\n\r\n\nA,2023-01-01,1,x,1,1,1,1,1\n");
    let (r, _) = annual(&s, false);
    assert_eq!(input_err(r).line, Some(5));
}

/// A file with no LF at all (CR-only line ends, as Excel's "CSV (Macintosh)" writes) larger than the parallel
/// reader's block: it used to spin forever (the block fill stopped at the block size, so the fallback for
/// lines longer than a block was never reached). Now it is read like the LF file, and errors name the line.
#[test]
fn a_cr_only_file_larger_than_a_block_is_read_like_the_lf_file() {
    let month_days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let days: String = ["A", "B", "C", "D", "E"]
        .iter()
        .flat_map(|s| {
            (1..=12).flat_map(move |m| {
                (1..=month_days[m - 1]).map(move |d| hourly_day(s, &format!("2023-{m:02}-{d:02}"), 30 + d))
            })
        })
        .collect();
    let lf = format!("{H}{days}");
    assert!(lf.len() > ingest::BLOCK, "{}", lf.len());
    let cr = lf.replace('\n', "\r");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let r = ingest::run_annual(cr.as_bytes(), &mut out, &opts(false), EditionChoice::ByDate)
            .map(|(rows, s)| (rows.len(), s.rows));
        let _ = tx.send((r.map_err(|e| e.to_string()), out));
    });
    // Debug builds on a shared machine: far more than the real cost (well under a second), far less than
    // forever.
    let (r, out) = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the CR-only file was neither read nor refused within 30 s");
    let mut lf_out = Vec::new();
    let lf_r = ingest::run_annual(lf.as_bytes(), &mut lf_out, &opts(false), EditionChoice::ByDate)
        .map(|(rows, s)| (rows.len(), s.rows));
    assert_eq!(r.unwrap(), lf_r.unwrap());
    assert_eq!(out, lf_out);
    // A bad value far into a CR-only file names its line, in both readers.
    let line = 20_000;
    let mut rows: Vec<String> = lf.lines().map(str::to_string).collect();
    rows[line - 1] = rows[line - 1].replacen(",10,", ",x,", 1);
    let bad = rows.join("\r") + "\r";
    let (r, _) = annual(&bad, false);
    assert_eq!(input_err(r).line, Some(line as u64));
    let r = ingest::read_hourly(bad.as_bytes(), &opts(false), |_| Ok(()));
    match r {
        Err(IngestError::Input(e)) => assert_eq!(e.line, Some(line as u64)),
        other => panic!("{other:?}"),
    }
}
