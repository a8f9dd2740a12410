//! The time of a monitoring reading (监测数据时间) and the integer it is stored and compared as: one home for
//! the rule of which times are storable, used by the monitoring kinds (a row whose time is not storable is
//! refused with its line and column) and by the store (the key it writes and the ranges it reads).
//!
//! A storable time is sortable ISO 8601 text at the precision of its source, `YYYY[-MM[-DD[THH[:MM[:SS]]]]]`
//! (`2023` for a yearly figure, `2023-01-05` for a dated sample, `2023-01-05T07` for the hour starting then),
//! or the empty time of a register.

/// A year's step in the key: a time's year is `key / YEAR`, and `year * YEAR` is the key of the year itself.
pub const YEAR: i64 = 10_000_000_000;

const POW: [i64; 6] = [YEAR, 100_000_000, 1_000_000, 10_000, 100, 1];
/// Text length after each part: `YYYY`, `-MM`, `-DD`, `THH`, `:MM`, `:SS`.
const PART_END: [usize; 6] = [4, 7, 10, 13, 16, 19];
const PART_SEPARATOR: [u8; 6] = [0, b'-', b'-', b'T', b':', b':'];

/// The integer a reading's time is stored as, ordered as the text: for `YYYY[-MM[-DD[THH[:MM[:SS]]]]]`,
/// Y·10¹⁰ + M·10⁸ + D·10⁶ + (H+1)·10⁴ + (MM+1)·10² + (SS+1), an absent part counting 0 (so a date sorts
/// before its hours, as the text does); 0 for the empty time of a register. `None` for any other text
/// (year 0, month or day 00, a part that is not two digits, anything after the seconds).
pub fn time_key(text: &str) -> Option<i64> {
    let (key, end) = time_prefix(text.as_bytes());
    (end == text.len()).then_some(key).flatten()
}

/// The longest prefix of `text` that is a whole time: its key and length (`(None, 0)` when none; the empty
/// text is key 0).
fn time_prefix(b: &[u8]) -> (Option<i64>, usize) {
    let digits = |from: usize, n: usize| -> Option<i64> {
        let part = b.get(from..from + n)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')))
    };
    if b.is_empty() {
        return (Some(0), 0);
    }
    let Some(year) = digits(0, 4).filter(|y| *y > 0) else {
        return (None, 0);
    };
    let mut key = year * POW[0];
    let mut end = PART_END[0];
    for part in 1..6 {
        if b.get(end) != Some(&PART_SEPARATOR[part]) {
            break;
        }
        let Some(value) = digits(end + 1, 2) else { break };
        // Month and day from 1; hours, minutes and seconds count one more than their value.
        let stored = if part <= 2 { value } else { value + 1 };
        if (part <= 2 && value == 0) || stored > 99 {
            break;
        }
        key += stored * POW[part];
        end = PART_END[part];
    }
    (Some(key), end)
}

/// The text of a time key ([`time_key`]'s inverse).
pub fn time_text(key: i64) -> String {
    if key <= 0 {
        return String::new();
    }
    let (year, parts) = time_parts(key);
    let mut text = format!("{year:04}");
    for (part, separator) in parts.iter().zip(&PART_SEPARATOR[1..]) {
        let Some(shown) = part else { break };
        text.push(*separator as char);
        text.push_str(&format!("{shown:02}"));
    }
    text
}

/// The parts of a time key ([`time_key`]) as written in its text: year, then month, day, hour, minute and
/// second where the time has them (`None` from the first part it lacks on). `(0, [None; 5])` for the empty
/// time of a register.
pub fn time_parts(key: i64) -> (i32, [Option<u8>; 5]) {
    if key <= 0 {
        return (0, [None; 5]);
    }
    let mut parts = [None; 5];
    for (i, pow) in POW.iter().enumerate().skip(1) {
        let value = (key / pow) % 100;
        if value == 0 {
            break;
        }
        let shown = if i <= 2 { value } else { value - 1 };
        parts[i - 1] = u8::try_from(shown).ok();
    }
    (i32::try_from(key / POW[0]).unwrap_or(i32::MAX), parts)
}

/// The key of a range bound given as text, such that `time_key(t) >= key` exactly when `t >= bound` as
/// text, for every storable time `t`: `""` (everything), a text after every digit (`"~"`: nothing
/// beyond), a whole time or a prefix of one (`"2023"`, `"2023-01-01T00"`), possibly followed by other text
/// after a whole part (`"2022-01-01T00:00:00Z"`). `None` for a bound cut inside a part (`"2023-1"`).
pub fn bound_key(bound: &str) -> Option<i64> {
    let b = bound.as_bytes();
    match b.first() {
        None => return Some(0),
        Some(first) if *first > b'9' => return Some(i64::MAX),
        _ => {}
    }
    let (Some(key), end) = time_prefix(b) else {
        return None;
    };
    if end == b.len() {
        return Some(key);
    }
    let level = PART_END.iter().position(|e| *e == end)?;
    let next = level + 1;
    // Other text after a whole part: it sorts after the part and its own extensions, or only after the
    // part, as its first character compares with the next part's separator.
    match PART_SEPARATOR.get(next) {
        None => Some(key + 1),
        Some(separator) if b[end] < *separator => Some(key + 1),
        Some(separator) if b[end] > *separator => Some(key + POW[level]),
        Some(_) => None,
    }
}
