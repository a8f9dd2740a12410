//! Property tests: no panic on arbitrary input; classification invariants.

use ecociv_water::evaluation2011::Thresholds;
use ecociv_water::gb3838::{ITEM_COUNT, Item, Table, WaterClass, Waterbody};
use ecociv_water::ingest::{annual, classify_stream, read_bodies, read_ei, read_survey};
use proptest::prelude::*;

use super::ingest::HEADER;

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[0-9]{1,3}(\\.[0-9]{1,4})?",
        "-?[0-9]{0,2}\\.?[0-9]{0,3}L?",
        Just("river".to_string()),
        Just("lake".to_string()),
        Just("2024-02-29".to_string()),
        "[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,3}",
        "[a-zA-Z\"\u{4e00}-\u{4e10} ,;]{0,6}",
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("1e309".to_string()),
    ]
}

fn csvish() -> impl Strategy<Value = String> {
    let row = prop::collection::vec(field(), 0..30).prop_map(|f| f.join(","));
    (any::<bool>(), prop::collection::vec(row, 0..8)).prop_map(|(with_header, rows)| {
        let mut s = if with_header {
            format!("{HEADER}\n")
        } else {
            String::new()
        };
        s.push_str(&rows.join("\n"));
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_panic_on_arbitrary_csv(s in csvish()) {
        let t = Table::embedded();
        let th = Thresholds::embedded();
        let mut out = Vec::new();
        let _ = classify_stream(s.as_bytes(), &mut out, t, th);
        let _ = annual(s.as_bytes(), t, th);
        let _ = read_survey(s.as_bytes());
        let _ = read_bodies(s.as_bytes());
        let _ = read_ei(s.as_bytes());
    }

    #[test]
    fn no_panic_on_arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut input = HEADER.as_bytes().to_vec();
        input.push(b'\n');
        input.extend_from_slice(&b);
        let mut out = Vec::new();
        let _ = classify_stream(&input[..], &mut out, Table::embedded(), Thresholds::embedded());
        let _ = annual(&input[..], Table::embedded(), Thresholds::embedded());
        let _ = read_survey(&b[..]);
        let _ = read_ei(&b[..]);
    }

    /// The class is the worst section item; raising one "at most" value never improves the class.
    #[test]
    fn class_is_monotone(vals in prop::collection::vec(prop::option::of(0.0f64..5.0), ITEM_COUNT), bump in 0.0f64..10.0, k in 0usize..ITEM_COUNT, lake in any::<bool>()) {
        let t = Table::embedded();
        let wb = if lake { Waterbody::Lake } else { Waterbody::River };
        let mut v = [None; ITEM_COUNT];
        for (i, x) in vals.iter().enumerate() { v[i] = *x; }
        let a = t.classify(wb, &v);
        let worst = Item::ALL.iter().filter(|i| i.is_section_item()).filter_map(|i| a.item_classes[i.index()]).max();
        prop_assert_eq!(a.class, worst);
        let item = Item::ALL[k];
        if item != Item::Do && item != Item::Ph
            && let Some(x) = v[k] {
                let mut w = v;
                w[k] = Some(x + bump);
                let b = t.classify(wb, &w);
                prop_assert!(b.item_classes[k] >= a.item_classes[k]);
                prop_assert!(b.class >= a.class);
            }
        if a.class == Some(WaterClass::I) { prop_assert_eq!(a.class_items().count(), 0); }
        prop_assert!(a.main_pollutants(t).len() <= 3);
    }
}

proptest! {
    /// The fast decimal path gives exactly what `str::parse::<f64>` gives, or defers to it.
    #[test]
    fn fast_decimal_matches_std(int in "[0-9]{0,12}", frac in prop::option::of("[0-9]{0,12}"), sign in prop::option::of("[+-]")) {
        let text = format!("{}{}{}", sign.unwrap_or_default(), int, frac.map(|f| format!(".{f}")).unwrap_or_default());
        let fast = ecociv_water::ingest::fast_decimal(text.as_bytes());
        match (fast, text.parse::<f64>()) {
            (Some(a), Ok(b)) => prop_assert_eq!(a.to_bits(), b.to_bits(), "{}", text),
            (Some(a), Err(_)) => prop_assert!(false, "fast path accepted {text:?} as {a}"),
            (None, _) => {}
        }
    }
}

#[test]
fn fast_decimal_edges() {
    use ecociv_water::ingest::fast_decimal;
    for t in [
        "0.1",
        "0.2",
        "0.3",
        "1.0",
        "0.00005",
        "9007199254740992",
        "0.000000000000000000001",
        "-200",
        "+1.5",
        "15.",
        ".5",
    ] {
        assert_eq!(
            fast_decimal(t.as_bytes()).map(f64::to_bits),
            Some(t.parse::<f64>().unwrap().to_bits()),
            "{t}"
        );
    }
    for t in [
        "",
        "-",
        ".",
        "1e3",
        "1..2",
        "0.004L",
        "NaN",
        "9007199254740993",
        "0.00000000000000000000001",
        "1 ",
    ] {
        assert_eq!(fast_decimal(t.as_bytes()), None, "{t}");
    }
}
