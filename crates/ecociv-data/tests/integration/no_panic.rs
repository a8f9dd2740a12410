//! No input makes the readers panic: arbitrary text gives a value or a clear error.

use std::sync::LazyLock;

use ecociv_core::Framework;
use ecociv_data::bundled;
use proptest::prelude::*;

static FRAMEWORK: LazyLock<Framework> = LazyLock::new(|| bundled::framework("national-2021").unwrap());

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("7.1".to_string()),
        Just("15.1".to_string()),
        Just("22".to_string()),
        Just("2021".to_string()),
        Just("100%".to_string()),
        Just("面积=1e308;性质=不变".to_string()),
        Just("完成".to_string()),
        Just("达标".to_string()),
        Just("\"a,b\"".to_string()),
        "[0-9.eE+-]{0,12}",
        "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn values_parser_never_panics(rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..7), 0..8), header in 0usize..3) {
        let framework = &*FRAMEWORK;
        let head = ["indicator,year,value,assigned", "indicator,year,value,assigned,recorded,source", "year,value"][header];
        let body: Vec<String> = rows.iter().map(|cells| cells.join(",")).collect();
        let text = format!("{head}\n{}\n", body.join("\n"));
        let _ = ecociv_data::values::parse_values("fuzz.csv", &text, framework);
    }

    #[test]
    fn zone_and_framework_parsers_never_panic(text in "\\PC{0,200}") {
        let framework = &*FRAMEWORK;
        let _ = ecociv_data::zone::parse_zone("fuzz.toml", &text, framework);
        let _ = ecociv_data::framework::parse_framework("fuzz.toml", &text);
        let _ = ecociv_data::zone::parse_projects("fuzz.csv", &text);
    }
}

proptest! {
    // Each case parses the whole framework (debug build): fewer cases keep the suite quick.
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn damaged_shipped_files_give_errors_not_panics(cut in 0usize..20000, insert in "\\PC{0,3}") {
        let original = bundled::ZONES[0].zone_toml;
        let mut at = cut.min(original.len());
        while !original.is_char_boundary(at) { at -= 1; }
        let damaged = format!("{}{insert}{}", &original[..at], &original[at..]);
        let framework = &*FRAMEWORK;
        let _ = ecociv_data::zone::parse_zone("fuzz.toml", &damaged, framework);
        let framework_text = bundled::FRAMEWORKS[0].1;
        let mut at = cut.min(framework_text.len());
        while !framework_text.is_char_boundary(at) { at -= 1; }
        let damaged = format!("{}{insert}{}", &framework_text[..at], &framework_text[at..]);
        let _ = ecociv_data::framework::parse_framework("fuzz.toml", &damaged);
    }
}
