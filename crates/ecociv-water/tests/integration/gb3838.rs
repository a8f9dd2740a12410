//! Conformance tests for GB 3838-2002 Table 1 single-factor classification.
//!
//! The expected limits are typed here a second time from `docs/reference/standards.md` §3 (double entry):
//! a typo in `data/gb3838-2002.csv` fails `embedded_table_matches_standard`.

use ecociv_water::gb3838::{Direction, ITEM_COUNT, Item, Table, Values, WaterClass, Waterbody, format_main_pollutants};

use WaterClass::*;

/// (item, waterbody, direction, limits I..V) as in standards.md §3.
const EXPECTED: &[(&str, &str, char, [f64; 5])] = &[
    ("ph", "all", 'g', [6.0, 6.0, 6.0, 6.0, 6.0]),
    ("ph", "all", 'l', [9.0, 9.0, 9.0, 9.0, 9.0]),
    ("do", "all", 'g', [7.5, 6.0, 5.0, 3.0, 2.0]),
    ("codmn", "all", 'l', [2.0, 4.0, 6.0, 10.0, 15.0]),
    ("cod", "all", 'l', [15.0, 15.0, 20.0, 30.0, 40.0]),
    ("bod5", "all", 'l', [3.0, 3.0, 4.0, 6.0, 10.0]),
    ("nh3n", "all", 'l', [0.15, 0.5, 1.0, 1.5, 2.0]),
    ("tp", "river", 'l', [0.02, 0.1, 0.2, 0.3, 0.4]),
    ("tp", "lake", 'l', [0.01, 0.025, 0.05, 0.1, 0.2]),
    ("tn", "lake", 'l', [0.2, 0.5, 1.0, 1.5, 2.0]),
    ("cu", "all", 'l', [0.01, 1.0, 1.0, 1.0, 1.0]),
    ("zn", "all", 'l', [0.05, 1.0, 1.0, 2.0, 2.0]),
    ("f", "all", 'l', [1.0, 1.0, 1.0, 1.5, 1.5]),
    ("se", "all", 'l', [0.01, 0.01, 0.01, 0.02, 0.02]),
    ("as", "all", 'l', [0.05, 0.05, 0.05, 0.1, 0.1]),
    ("hg", "all", 'l', [0.00005, 0.00005, 0.0001, 0.001, 0.001]),
    ("cd", "all", 'l', [0.001, 0.005, 0.005, 0.005, 0.01]),
    ("cr6", "all", 'l', [0.01, 0.05, 0.05, 0.05, 0.1]),
    ("pb", "all", 'l', [0.01, 0.01, 0.05, 0.05, 0.1]),
    ("cn", "all", 'l', [0.005, 0.05, 0.2, 0.2, 0.2]),
    ("phenol", "all", 'l', [0.002, 0.002, 0.005, 0.01, 0.1]),
    ("oil", "all", 'l', [0.05, 0.05, 0.05, 0.5, 1.0]),
    ("las", "all", 'l', [0.2, 0.2, 0.2, 0.3, 0.3]),
    ("s", "all", 'l', [0.05, 0.1, 0.2, 0.5, 1.0]),
    ("fc", "all", 'l', [200.0, 2000.0, 10000.0, 20000.0, 40000.0]),
];

fn kinds(wb: &str) -> Vec<Waterbody> {
    match wb {
        "river" => vec![Waterbody::River],
        "lake" => vec![Waterbody::Lake],
        _ => vec![Waterbody::River, Waterbody::Lake],
    }
}

fn item(code: &str) -> Item {
    Item::from_code(code).unwrap()
}

fn class_at(k: usize) -> WaterClass {
    WaterClass::ALL[k]
}

#[test]
fn embedded_table_matches_standard() {
    let t = Table::embedded();
    for &(code, wb, dir, limits) in EXPECTED {
        for kind in kinds(wb) {
            let want = if dir == 'g' {
                Direction::AtLeast
            } else {
                Direction::AtMost
            };
            let found: Vec<_> = t.bounds(kind, item(code)).filter(|b| b.direction == want).collect();
            assert_eq!(found.len(), 1, "{code} {kind:?} {want:?}");
            assert_eq!(found[0].limits, limits, "{code} {kind:?}");
        }
    }
    // TN has no river limits; every other item has limits for both kinds; nothing else is in the table.
    assert_eq!(t.bounds(Waterbody::River, Item::Tn).count(), 0);
    let total: usize = Item::ALL
        .iter()
        .map(|&i| t.bounds(Waterbody::River, i).count() + t.bounds(Waterbody::Lake, i).count())
        .sum();
    let expected_total: usize = EXPECTED.iter().map(|e| kinds(e.1).len()).sum();
    assert_eq!(total, expected_total);
}

/// Every item's five limits: at the limit, just inside (better side) and just outside (worse side).
/// At a limit the class is the best class sharing that limit (equal limits → better class).
#[test]
fn every_limit_at_inside_outside() {
    let t = Table::embedded();
    let mut checked = 0;
    for &(code, wb, dir, limits) in EXPECTED {
        if code == "ph" {
            continue; // pH is a range; see ph_edges
        }
        let it = item(code);
        for kind in kinds(wb) {
            for k in 0..5 {
                let lim = limits[k];
                let eps = lim * 1e-6;
                let (inside, outside) = if dir == 'l' {
                    (lim - eps, lim + eps)
                } else {
                    (lim + eps, lim - eps)
                };
                // The best class whose limit equals this one.
                let best_equal = (0..=k).find(|&j| limits[j] == lim).unwrap();
                assert_eq!(
                    t.item_class(kind, it, lim),
                    Some(class_at(best_equal)),
                    "{code} {kind:?} at class {} limit {lim}",
                    k + 1
                );
                assert!(
                    t.item_class(kind, it, inside).unwrap() <= class_at(k),
                    "{code} inside {k}"
                );
                // Just outside: the first class whose limit admits the value, i.e. the next class with a different limit.
                let next = (k + 1..5).find(|&j| limits[j] != lim);
                let want_out = next.map_or(WorseThanV, class_at);
                assert_eq!(
                    t.item_class(kind, it, outside),
                    Some(want_out),
                    "{code} {kind:?} just outside class {} limit {lim}",
                    k + 1
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 215); // 20 "all" rows × 2 kinds + 3 single-kind rows (tp river, tp lake, tn lake), × 5 limits
}

#[test]
fn ph_edges() {
    let t = Table::embedded();
    for kind in [Waterbody::River, Waterbody::Lake] {
        assert_eq!(t.item_class(kind, Item::Ph, 6.0), Some(I));
        assert_eq!(t.item_class(kind, Item::Ph, 9.0), Some(I));
        assert_eq!(t.item_class(kind, Item::Ph, 7.2), Some(I));
        assert_eq!(t.item_class(kind, Item::Ph, 5.99), Some(WorseThanV));
        assert_eq!(t.item_class(kind, Item::Ph, 9.01), Some(WorseThanV));
    }
}

#[test]
fn do_is_higher_is_better() {
    let t = Table::embedded();
    let c = |v| t.item_class(Waterbody::River, Item::Do, v).unwrap();
    assert_eq!(c(9.0), I);
    assert_eq!(c(7.5), I);
    assert_eq!(c(7.49), II);
    assert_eq!(c(6.0), II);
    assert_eq!(c(5.99), III);
    assert_eq!(c(5.0), III);
    assert_eq!(c(4.99), IV);
    assert_eq!(c(3.0), IV);
    assert_eq!(c(2.99), V);
    assert_eq!(c(2.0), V);
    assert_eq!(c(1.99), WorseThanV);
    assert_eq!(c(0.0), WorseThanV);
}

#[test]
fn lake_and_river_total_phosphorus_differ() {
    let t = Table::embedded();
    // 0.05 mg/L: river II, lake III; 0.15: river III, lake V; 0.3: river IV, lake 劣V.
    assert_eq!(t.item_class(Waterbody::River, Item::Tp, 0.05), Some(II));
    assert_eq!(t.item_class(Waterbody::Lake, Item::Tp, 0.05), Some(III));
    assert_eq!(t.item_class(Waterbody::River, Item::Tp, 0.15), Some(III));
    assert_eq!(t.item_class(Waterbody::Lake, Item::Tp, 0.15), Some(V));
    assert_eq!(t.item_class(Waterbody::River, Item::Tp, 0.3), Some(IV));
    assert_eq!(t.item_class(Waterbody::Lake, Item::Tp, 0.3), Some(WorseThanV));
    // TN is graded for lakes only.
    assert_eq!(t.item_class(Waterbody::River, Item::Tn, 1.2), None);
    assert_eq!(t.item_class(Waterbody::Lake, Item::Tn, 1.2), Some(IV));
}

#[test]
fn equal_limits_resolve_to_better_class() {
    let t = Table::embedded();
    let r = Waterbody::River;
    assert_eq!(t.item_class(r, Item::Cod, 15.0), Some(I)); // I = II = 15
    assert_eq!(t.item_class(r, Item::Bod5, 3.0), Some(I)); // I = II = 3
    assert_eq!(t.item_class(r, Item::Cu, 1.0), Some(II)); // II..V = 1.0
    assert_eq!(t.item_class(r, Item::Cu, 1.0001), Some(WorseThanV));
    assert_eq!(t.item_class(r, Item::Hg, 0.00005), Some(I));
    assert_eq!(t.item_class(r, Item::Cd, 0.005), Some(II)); // II = III = IV
    assert_eq!(t.item_class(r, Item::Cn, 0.2), Some(III)); // III = IV = V
    assert_eq!(t.item_class(r, Item::Oil, 0.05), Some(I)); // I = II = III
}

fn sample(pairs: &[(Item, f64)]) -> Values {
    let mut v = [None; ITEM_COUNT];
    for &(i, x) in pairs {
        v[i.index()] = Some(x);
    }
    v
}

#[test]
fn worst_item_decides_and_class_items_listed() {
    let t = Table::embedded();
    let v = sample(&[
        (Item::Ph, 7.5),
        (Item::Do, 8.0),     // I
        (Item::CodMn, 3.0),  // II
        (Item::Nh3n, 1.2),   // IV
        (Item::Tp, 0.25),    // IV (river)
        (Item::Cod, 18.0),   // III
        (Item::Tn, 5.0),     // excluded
        (Item::Fc, 90000.0), // excluded
    ]);
    let a = t.classify(Waterbody::River, &v);
    assert_eq!(a.class, Some(IV));
    assert_eq!(a.class.unwrap().status(), "轻度污染");
    assert_eq!(a.class_items().collect::<Vec<_>>(), vec![Item::Nh3n, Item::Tp]);
    // Fecal coliform is still graded per item (for reporting) but does not set the class.
    assert_eq!(a.item_classes[Item::Fc.index()], Some(WorseThanV));
    // Same sample in a lake: TP 0.25 is 劣V there and alone sets the class.
    let l = t.classify(Waterbody::Lake, &v);
    assert_eq!(l.class, Some(WorseThanV));
    assert_eq!(l.class_items().collect::<Vec<_>>(), vec![Item::Tp]);
    // Class I → no class items.
    let good = t.classify(Waterbody::River, &sample(&[(Item::Do, 8.0), (Item::Cod, 10.0)]));
    assert_eq!(good.class, Some(I));
    assert_eq!(good.class_items().count(), 0);
    // Nothing measured → no class.
    assert_eq!(t.classify(Waterbody::River, &sample(&[(Item::Tn, 1.0)])).class, None);
}

#[test]
fn status_words() {
    let words: Vec<_> = WaterClass::ALL.iter().map(|c| c.status()).collect();
    assert_eq!(words, ["优", "优", "良好", "轻度污染", "中度污染", "重度污染"]);
    let labels: Vec<_> = WaterClass::ALL.iter().map(|c| c.label()).collect();
    assert_eq!(labels, ["I", "II", "III", "IV", "V", "劣V"]);
}

#[test]
fn exceedance_multiple_and_main_pollutants() {
    let t = Table::embedded();
    let v = sample(&[
        (Item::Nh3n, 2.5),   // 劣V, (2.5-1)/1 = 1.5
        (Item::Tp, 0.5),     // 劣V river, (0.5-0.2)/0.2 = 1.5 → tie with NH3-N; Table order keeps NH3-N first
        (Item::Cod, 45.0),   // 劣V, (45-20)/20 = 1.25
        (Item::CodMn, 12.0), // V, (12-6)/6 = 1.0
        (Item::Do, 1.0),     // 劣V, no multiple
        (Item::Bod5, 3.5),   // III: not a main pollutant
    ]);
    let a = t.classify(Waterbody::River, &v);
    assert_eq!(a.class, Some(WorseThanV));
    let e = |i| a.exceedance(t, i);
    assert!((e(Item::Nh3n).unwrap() - 1.5).abs() < 1e-12);
    assert!((e(Item::Tp).unwrap() - 1.5).abs() < 1e-12);
    assert!((e(Item::Cod).unwrap() - 1.25).abs() < 1e-12);
    assert!((e(Item::CodMn).unwrap() - 1.0).abs() < 1e-12);
    assert_eq!(e(Item::Do), None);
    assert_eq!(e(Item::Bod5), None);
    let main = a.main_pollutants(t);
    let items: Vec<_> = main.iter().map(|m| m.item).collect();
    assert_eq!(items, vec![Item::Nh3n, Item::Tp, Item::Cod]);
    assert_eq!(format_main_pollutants(&main), "nh3n(1.50);tp(1.50);cod(1.25)");
    // Larger multiple ranks first within the same class.
    let b = t.classify(
        Waterbody::River,
        &sample(&[(Item::Nh3n, 1.8), (Item::Tp, 0.38), (Item::Cod, 39.0)]),
    );
    let items: Vec<_> = b.main_pollutants(t).iter().map(|m| m.item).collect();
    assert_eq!(items, vec![Item::Cod, Item::Tp, Item::Nh3n]); // 0.95, 0.9, 0.8 — all class V
    // DO ranks after same-class items with a multiple.
    let c = t.classify(Waterbody::River, &sample(&[(Item::Do, 2.5), (Item::Cod, 31.0)]));
    let items: Vec<_> = c.main_pollutants(t).iter().map(|m| m.item).collect();
    assert_eq!(items, vec![Item::Cod, Item::Do]);
}

#[test]
fn table_parse_rejects_bad_data() {
    let header = "item,waterbody,direction,I,II,III,IV,V,unit,name_zh,confidence,note\n";
    let bad_order = format!("{header}cod,all,le,15,30,20,30,40,mg/L,x,V2,\n");
    assert!(Table::parse(&bad_order).unwrap_err().message.contains("not ordered"));
    let bad_conf = format!("{header}cod,all,le,15,15,20,30,40,mg/L,x,maybe,\n");
    assert!(Table::parse(&bad_conf).is_err());
    assert!(Table::parse(Table::embedded_text()).is_ok());
}

/// The class of one value by the table's bounds read one at a time ([`Bound::class_of`], the worst of an item's
/// bounds; `None` without bounds) — the reference the sample classifier must equal.
fn reference_class(t: &Table, wb: Waterbody, it: Item, v: f64) -> Option<WaterClass> {
    t.bounds(wb, it).map(|b| b.class_of(v)).max()
}

#[test]
fn the_sample_classifier_equals_the_bounds_read_one_at_a_time() {
    // Every item of both kinds at every limit, one step of f64 either side, and values no limit is near —
    // including NaN, infinities and negative numbers, which the readers refuse but the table must still judge.
    let t = Table::embedded();
    for wb in [Waterbody::River, Waterbody::Lake] {
        for it in Item::ALL {
            let mut probes = vec![
                0.0,
                -0.0,
                -1.0,
                1e9,
                1e300,
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                7.0,
                0.5,
            ];
            for b in t.bounds(wb, it) {
                for lim in b.limits {
                    probes.extend([lim, lim.next_up(), lim.next_down(), lim * 2.0, lim / 2.0]);
                }
            }
            for v in probes {
                let expected = reference_class(t, wb, it, v);
                assert_eq!(t.item_class(wb, it, v), expected, "{wb:?} {it} {v}");
                let mut values: Values = [None; ITEM_COUNT];
                values[it.index()] = Some(v);
                let (classes, class) = t.classes(wb, &values);
                assert_eq!(classes[it.index()], expected, "{wb:?} {it} {v}");
                assert_eq!(class, expected.filter(|_| it.is_section_item()), "{wb:?} {it} {v}");
                assert!(classes.iter().enumerate().all(|(k, c)| k == it.index() || c.is_none()));
            }
        }
    }
}

#[test]
fn class_items_are_the_section_items_at_the_sample_class() {
    // Every class against item classes spread over all six classes and none, and a few random mixes.
    let all = [None, Some(I), Some(II), Some(III), Some(IV), Some(V), Some(WorseThanV)];
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for round in 0..2000usize {
        let mut item_classes = [None; ITEM_COUNT];
        for (k, c) in item_classes.iter_mut().enumerate() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *c = all[if round < 7 {
                (k + round) % 7
            } else {
                (state % 7) as usize
            }];
        }
        for class in all {
            let expected: Vec<Item> = Item::ALL
                .into_iter()
                .filter(|i| {
                    i.is_section_item() && class != Some(I) && class.is_some() && item_classes[i.index()] == class
                })
                .collect();
            let got: Vec<Item> = ecociv_water::gb3838::class_items(class, &item_classes).collect();
            assert_eq!(got, expected, "{class:?} {item_classes:?}");
        }
    }
}

#[test]
fn the_one_pass_section_class_is_the_class_and_class_items_of_the_per_item_classes() {
    // `Table::section_class` (the classifier's per-sample judgement) against `classes` and `class_item_mask`:
    // samples whose items sit at, just inside and just outside every limit of their water body, NaN and
    // infinities, with random items left out.
    let t = Table::embedded();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for wb in [Waterbody::River, Waterbody::Lake] {
        let probes: Vec<Vec<f64>> = Item::ALL
            .into_iter()
            .map(|it| {
                let mut p = vec![0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e9];
                for b in t.bounds(wb, it) {
                    for lim in b.limits {
                        p.extend([lim, lim.next_up(), lim.next_down()]);
                    }
                }
                p
            })
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for round in 0..20_000usize {
            let mut values: Values = [None; ITEM_COUNT];
            for (k, v) in values.iter_mut().enumerate() {
                let r = next();
                // One item, about a quarter or about three quarters of the items; none in the first sample.
                let given = match round % 3 {
                    _ if round == 0 => false,
                    0 => k == (round / 3) % ITEM_COUNT,
                    1 => r % 4 == 0,
                    _ => r % 4 != 0,
                };
                if given {
                    *v = Some(probes[k][(r >> 8) as usize % probes[k].len()]);
                }
            }
            let (classes, class) = t.classes(wb, &values);
            let expected = (class, ecociv_water::gb3838::class_item_mask(class, &classes));
            assert_eq!(t.section_class(wb, &values), expected, "{wb:?} {values:?}");
            seen.insert(class);
        }
        // Every class (and none) was judged.
        assert_eq!(seen.len(), 7, "{wb:?} {seen:?}");
    }
}
