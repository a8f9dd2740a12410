//! The parallel classifier gives the sequential one's output, count and first error (with its line) on every
//! input, whatever the block size and number of workers; so does the parallel annual evaluation (the same
//! rows, or the same first error — a sample given twice names both lines across blocks).

use ecociv_water::evaluation2011::Thresholds;
use ecociv_water::gb3838::Table;
use ecociv_water::ingest::{AnnualRow, annual, annual_parallel, classify_parallel, classify_stream};
use proptest::prelude::*;

use super::ingest::HEADER;

fn sequential(input: &[u8]) -> (Vec<u8>, Result<u64, String>) {
    let mut out = Vec::new();
    let r = classify_stream(input, &mut out, Table::embedded(), Thresholds::embedded()).map_err(|e| e.to_string());
    (out, r)
}

fn parallel(input: &[u8], workers: usize, block: usize) -> (Vec<u8>, Result<u64, String>) {
    let mut out = Vec::new();
    let r = classify_parallel(
        input,
        &mut out,
        Table::embedded(),
        Thresholds::embedded(),
        workers,
        block,
    )
    .map_err(|e| e.to_string());
    (out, r)
}

fn annual_seq(input: &[u8]) -> Result<Vec<AnnualRow>, String> {
    annual(input, Table::embedded(), Thresholds::embedded()).map_err(|e| e.to_string())
}

fn annual_par(input: &[u8], workers: usize, block: usize) -> Result<Vec<AnnualRow>, String> {
    annual_parallel(input, Table::embedded(), Thresholds::embedded(), workers, block).map_err(|e| e.to_string())
}

fn assert_same(input: &[u8], workers: usize, block: usize) {
    assert_eq!(
        annual_par(input, workers, block),
        annual_seq(input),
        "annual: workers {workers}, block {block}, input {:?}",
        String::from_utf8_lossy(input)
    );
    let (seq_out, seq) = sequential(input);
    let (par_out, par) = parallel(input, workers, block);
    assert_eq!(
        par,
        seq,
        "workers {workers}, block {block}, input {:?}",
        String::from_utf8_lossy(input)
    );
    if seq.is_ok() {
        assert_eq!(
            String::from_utf8_lossy(&par_out),
            String::from_utf8_lossy(&seq_out),
            "workers {workers}, block {block}"
        );
    }
}

/// A sample line: valid, or spoiled in one of several ways.
fn line() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just(String::new()),
        "[0-9]{1,2}(\\.[0-9]{1,3})?",
        Just("0.004L".to_string()),
        Just("x".to_string()),
        Just("-1".to_string()),
    ];
    (
        "[A-Z][0-9]{0,2}",
        prop_oneof![Just("2024-01-15"), Just("2024-02-30"), Just("2024/03/01"), Just("")],
        prop_oneof![Just("river"), Just("lake"), Just("sea")],
        prop::collection::vec(value, 23),
        0usize..12,
    )
        .prop_map(|(section, date, wb, values, spoil)| {
            let mut fields = vec![section, date.to_string(), wb.to_string()];
            fields.extend(values);
            match spoil {
                0 => fields.truncate(10),
                1 => return String::new(),
                2 => return ",".repeat(25),
                3 => fields[0] = "\"quoted, section\"".into(),
                // A quoted line end (a block must not be cut inside it).
                4 => fields[0] = "\"two\r\nlines\"".into(),
                _ => {}
            }
            fields.join(",")
        })
}

fn file() -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec(line(), 0..40), 0usize..3, any::<bool>()).prop_map(|(lines, end, bom)| {
        let end = ["\n", "\r\n", "\r"][end];
        let mut s = String::new();
        if bom {
            s.push('\u{feff}');
        }
        s.push_str(HEADER);
        for l in lines {
            s.push_str(end);
            s.push_str(&l);
        }
        s.into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parallel_equals_sequential(input in file(), workers in 1usize..5, block in prop_oneof![Just(64usize), Just(200), Just(4096)]) {
        assert_same(&input, workers, block);
    }

    #[test]
    fn parallel_equals_sequential_on_arbitrary_bytes(tail in prop::collection::vec(any::<u8>(), 0..600), block in 64usize..300) {
        let mut input = format!("{HEADER}\n").into_bytes();
        input.extend_from_slice(&tail);
        assert_same(&input, 3, block);
        assert_same(&tail, 2, block);
    }
}

#[test]
fn a_large_clean_file_is_cut_into_many_blocks_and_stays_in_order() {
    let mut s = format!("{HEADER}\n");
    for i in 0..5000 {
        let v = format!("{}.{}", i % 9, i % 7);
        let values = vec![v; 23].join(",");
        s.push_str(&format!(
            "S{},2024-{:02}-{:02},river,{values}\n",
            i % 37,
            1 + i % 12,
            1 + i % 28
        ));
    }
    for (workers, block) in [(1, 64), (2, 1000), (4, 4096), (8, 1 << 20)] {
        assert_same(s.as_bytes(), workers, block);
    }
    let (_, n) = parallel(s.as_bytes(), 4, 1000);
    assert_eq!(n, Ok(5000));
    // An error late in the file is reported at its own line, after the blocks before it.
    // The annual evaluation: a sample given twice (S0 on 2024-01-01 again at line 3,110) across blocks.
    let twice = annual_seq(s.as_bytes()).unwrap_err();
    assert!(
        twice.contains("line 3110") && twice.contains("first on line 2"),
        "{twice}"
    );
    let clean: String = s.lines().take(3109).map(|l| format!("{l}\n")).collect();
    let rows = annual_par(clean.as_bytes(), 4, 1000).unwrap();
    assert_eq!(rows, annual_seq(clean.as_bytes()).unwrap());
    assert_eq!(rows.iter().map(|r| r.period.samples()).sum::<u32>(), 3108);
    let bad = s.replacen("S3,2024-04-04", "S3,2024-04-44", 1);
    let (_, seq) = sequential(bad.as_bytes());
    assert!(seq.as_ref().unwrap_err().contains("line 5"), "{seq:?}");
    assert_same(bad.as_bytes(), 4, 1000);
}

#[test]
fn a_quoted_line_end_is_never_a_place_to_cut_a_block() {
    // A clean file (LF, CRLF) whose ignored `note` column holds, on its second line, a quoted line end: the
    // sequential reader takes it, and the parallel one must not cut a block inside the quotes — whether the
    // first rare byte of the block is the quote (LF file) or the CR of the line before (CRLF file). The first
    // block starts at the first line; block sizes that end it just after the quoted line end (the last line
    // end a careless cut would find) and others.
    for end in ["\n", "\r\n"] {
        let values = vec!["1.0"; 22].join(",");
        let mut s = format!("{HEADER},note{end}");
        let first = s.len();
        for i in 0..30 {
            let note = if i == 1 {
                format!("\"two{end}lines\"")
            } else {
                "n".into()
            };
            s.push_str(&format!(
                "S{i},2024-01-{:02},river,7.{},{values},{note}{end}",
                1 + i % 28,
                i % 10
            ));
        }
        let (_, n) = sequential(s.as_bytes());
        assert_eq!(n, Ok(30), "{end:?}");
        let quoted_end = s.find("two").unwrap() + 3 + end.len();
        for block in (quoted_end - first)..(quoted_end - first + 8) {
            assert_same(s.as_bytes(), 2, block);
        }
        for block in (64..400).step_by(7) {
            assert_same(s.as_bytes(), 2, block);
        }
    }
}
