//! The disclosure register (信息公开台账) as the public and the bureau read it: where each item that must be
//! disclosed stands on a day — published on time (按期公开), published late (逾期公开), past due and not
//! published (逾期未公开), or not yet due (未到期) — the year's counts, and the overdue items by owner
//! (责任单位: a department, or an enterprise obliged to disclose).
//!
//! **One home for row 5's figure:** the value of row 5 (生态环境信息公开率) is derived by the general ledger
//! mechanism from the bundled kind `data/ledgers/disclosure_register.toml` (on time = `published_date ≤
//! due_date`, `ecociv_ledger::derive`); this module computes no rate. It classifies the same records for the
//! public list, the open-data file and the supervision rule `disclosure_overdue`, with the same reading of
//! "on time" (published on or before the due date) — a test in the server checks that its on-time count
//! equals the derivation's numerator for every year of the SYNTHETIC register.
//!
//! Pure: the caller reads the records (from the store) and gives the day; dates are civil dates (jiff).

use std::collections::BTreeMap;

use jiff::civil::Date;

/// An item that must be disclosed (应公开事项), one occurrence with its due date (a quarterly report is
/// four items), and its publication record if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// 编号.
    pub id: String,
    /// 应公开事项.
    pub title: String,
    /// 类别: 政府主动公开 / 企业强制性公开 (as the kind's vocabulary writes it).
    pub category: String,
    /// 责任单位: the department or the obliged enterprise.
    pub owner: String,
    /// 公开依据.
    pub basis: String,
    /// 公开频次 (每季度, 每年, 动态更新 …).
    pub frequency: String,
    /// 应公开日期.
    pub due: Date,
    /// 公开日期 (none: not published).
    pub published: Option<Date>,
    /// 公开渠道.
    pub channel: String,
    /// 文号或链接.
    pub reference: String,
    /// From a SYNTHETIC file: demo data.
    pub synthetic: bool,
}

/// Where an item stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Standing {
    /// Published on or before the due date (按期公开).
    OnTime,
    /// Published after the due date (逾期公开).
    Late,
    /// Not published and past due (逾期未公开).
    Overdue,
    /// Not published, not yet due (未到期).
    NotDue,
}

impl Standing {
    pub const ALL: [Standing; 4] = [Standing::OnTime, Standing::Late, Standing::Overdue, Standing::NotDue];

    pub fn zh(self) -> &'static str {
        match self {
            Standing::OnTime => "按期公开",
            Standing::Late => "逾期公开",
            Standing::Overdue => "逾期未公开",
            Standing::NotDue => "未到期",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Standing::OnTime => "on time",
            Standing::Late => "late",
            Standing::Overdue => "overdue, not published",
            Standing::NotDue => "not yet due",
        }
    }

    /// A stable code (CSS classes, JSON).
    pub fn code(self) -> &'static str {
        match self {
            Standing::OnTime => "on_time",
            Standing::Late => "late",
            Standing::Overdue => "overdue",
            Standing::NotDue => "not_due",
        }
    }
}

impl Item {
    /// The item's standing at the end of `as_of`: a publication dated after `as_of` is not known then; an
    /// item due on `as_of` itself is not yet overdue.
    pub fn standing(&self, as_of: Date) -> Standing {
        match self.published.filter(|p| *p <= as_of) {
            Some(p) if p <= self.due => Standing::OnTime,
            Some(_) => Standing::Late,
            None if self.due >= as_of => Standing::NotDue,
            None => Standing::Overdue,
        }
    }

    /// Days past due on `as_of` (0 when not past due).
    pub fn days_late(&self, as_of: Date) -> i64 {
        let until = self.published.filter(|p| *p <= as_of).unwrap_or(as_of);
        if until <= self.due {
            return 0;
        }
        (until - self.due).get_days().into()
    }
}

/// The items of a year (by due date) counted by standing on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct YearCounts {
    pub year: i32,
    /// Every item due in the year (the row's denominator once the year has ended).
    pub items: usize,
    pub on_time: usize,
    pub late: usize,
    pub overdue: usize,
    pub not_due: usize,
}

impl YearCounts {
    pub fn of(&self, standing: Standing) -> usize {
        match standing {
            Standing::OnTime => self.on_time,
            Standing::Late => self.late,
            Standing::Overdue => self.overdue,
            Standing::NotDue => self.not_due,
        }
    }
}

/// The years the register speaks of (by due date), oldest first.
pub fn years(items: &[Item]) -> Vec<i32> {
    let mut years: Vec<i32> = items.iter().map(|i| i32::from(i.due.year())).collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// The items due in `year`, by due date then id.
pub fn of_year(items: &[Item], year: i32) -> Vec<&Item> {
    let mut out: Vec<&Item> = items.iter().filter(|i| i32::from(i.due.year()) == year).collect();
    out.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
    out
}

/// The year's counts by standing on `as_of`.
pub fn counts(items: &[Item], year: i32, as_of: Date) -> YearCounts {
    let mut counts = YearCounts {
        year,
        ..YearCounts::default()
    };
    for item in of_year(items, year) {
        counts.items += 1;
        match item.standing(as_of) {
            Standing::OnTime => counts.on_time += 1,
            Standing::Late => counts.late += 1,
            Standing::Overdue => counts.overdue += 1,
            Standing::NotDue => counts.not_due += 1,
        }
    }
    counts
}

/// Items past due and not published on `as_of` (every year), by due date then id — what supervision
/// follows up.
pub fn overdue(items: &[Item], as_of: Date) -> Vec<&Item> {
    let mut out: Vec<&Item> = items
        .iter()
        .filter(|i| i.standing(as_of) == Standing::Overdue)
        .collect();
    out.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
    out
}

/// The items not disclosed on time (late or overdue) on `as_of`, grouped by owner (owners in order, items
/// by due date) — "who is late".
pub fn shortfalls_by_owner<'a>(items: &[&'a Item], as_of: Date) -> Vec<(String, Vec<&'a Item>)> {
    let mut owners: BTreeMap<&str, Vec<&'a Item>> = BTreeMap::new();
    for item in items {
        if matches!(item.standing(as_of), Standing::Late | Standing::Overdue) {
            owners.entry(item.owner.as_str()).or_default().push(item);
        }
    }
    owners
        .into_iter()
        .map(|(owner, mut items)| {
            items.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
            (owner.to_string(), items)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn item(id: &str, due: Date, published: Option<Date>) -> Item {
        Item {
            id: id.into(),
            title: format!("事项{id}"),
            category: "政府主动公开".into(),
            owner: if id.starts_with('E') { "企业" } else { "局" }.into(),
            basis: String::new(),
            frequency: "每季度".into(),
            due,
            published,
            channel: String::new(),
            reference: String::new(),
            synthetic: false,
        }
    }

    #[test]
    fn standings_at_their_bounds() {
        let due = date(2025, 7, 31);
        let on_the_day = item("A", due, Some(due));
        assert_eq!(on_the_day.standing(date(2025, 12, 31)), Standing::OnTime);
        let late = item("B", due, Some(date(2025, 8, 5)));
        assert_eq!(late.standing(date(2025, 12, 31)), Standing::Late);
        assert_eq!(late.days_late(date(2025, 12, 31)), 5);
        // Before it was published the late item was overdue; on its due day, not yet.
        assert_eq!(late.standing(date(2025, 8, 3)), Standing::Overdue);
        assert_eq!(late.standing(due), Standing::NotDue);
        let never = item("C", due, None);
        assert_eq!(never.standing(due), Standing::NotDue);
        assert_eq!(never.standing(date(2025, 8, 1)), Standing::Overdue);
        assert_eq!(never.days_late(date(2025, 8, 10)), 10);
    }

    #[test]
    fn counts_overdue_and_owners() {
        let items = vec![
            item("G1", date(2025, 3, 1), Some(date(2025, 2, 28))),
            item("G2", date(2025, 6, 1), Some(date(2025, 6, 5))),
            item("E1", date(2025, 9, 1), None),
            item("G3", date(2025, 12, 31), None),
            item("G0", date(2024, 12, 31), None),
        ];
        let as_of = date(2025, 10, 1);
        let c = counts(&items, 2025, as_of);
        assert_eq!((c.items, c.on_time, c.late, c.overdue, c.not_due), (4, 1, 1, 1, 1));
        let late: Vec<&str> = overdue(&items, as_of).iter().map(|i| i.id.as_str()).collect();
        assert_eq!(late, ["G0", "E1"]);
        let year = of_year(&items, 2025);
        let by_owner: Vec<(String, Vec<&str>)> = shortfalls_by_owner(&year, as_of)
            .into_iter()
            .map(|(o, items)| (o, items.iter().map(|i| i.id.as_str()).collect()))
            .collect();
        assert_eq!(
            by_owner,
            [("企业".to_string(), vec!["E1"]), ("局".to_string(), vec!["G2"])]
        );
        assert_eq!(years(&items), [2024, 2025]);
    }
}
