//! The working-day calendar (KZ_RULES.md §7) and working-day arithmetic.
//!
//! The calendar is data: the law's fixed holidays (`calendar/holidays.toml`), and one file per year
//! (`calendar/YYYY.toml`) with that year's holidays, lunar dates and the government's transfers.
//! Administrators edit the stored copy; this module only computes with what it is given.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// A holiday fixed by the Law "On Holidays" (same month and day every year).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FixedHoliday {
    pub month: u32,
    pub day: u32,
    pub name: String,
    /// Rule: a holiday on a weekend moves the day off to the next working day, except
    /// 7 January and Kurban Ait (KZ_RULES.md §7).
    #[serde(default = "yes")]
    pub moves_if_weekend: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday (may move if it falls on a weekend).
    Holiday,
    /// A day off by government transfer (not itself moved).
    DayOff,
    /// A weekend day made a working day by transfer.
    WorkingDay,
}

/// One explicit calendar entry, as stored and edited by administrators.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DayEntry {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
    #[serde(default = "yes")]
    pub moves_if_weekend: bool,
}

/// File format of `calendar/holidays.toml`.
#[derive(Debug, Deserialize)]
pub struct HolidaysFile {
    pub holiday: Vec<FixedHoliday>,
}

/// File format of `calendar/YYYY.toml`.
#[derive(Debug, Deserialize)]
pub struct YearFile {
    pub year: i32,
    #[serde(default)]
    pub holiday: Vec<YearHoliday>,
    /// Extra days off set by the government's transfer decree.
    #[serde(default)]
    pub days_off: Vec<NamedDate>,
    /// Weekend days made working by the same decree.
    #[serde(default)]
    pub working_days: Vec<NamedDate>,
}

#[derive(Debug, Deserialize)]
pub struct YearHoliday {
    pub date: NaiveDate,
    pub name: String,
    #[serde(default = "yes")]
    pub moves_if_weekend: bool,
}

#[derive(Debug, Deserialize)]
pub struct NamedDate {
    pub date: NaiveDate,
    #[serde(default)]
    pub name: String,
}

impl YearFile {
    pub fn entries(&self) -> Vec<DayEntry> {
        let mut out: Vec<DayEntry> = self
            .holiday
            .iter()
            .map(|h| DayEntry {
                date: h.date,
                kind: DayKind::Holiday,
                name: h.name.clone(),
                moves_if_weekend: h.moves_if_weekend,
            })
            .collect();
        out.extend(self.days_off.iter().map(|d| DayEntry {
            date: d.date,
            kind: DayKind::DayOff,
            name: d.name.clone(),
            moves_if_weekend: false,
        }));
        out.extend(self.working_days.iter().map(|d| DayEntry {
            date: d.date,
            kind: DayKind::WorkingDay,
            name: d.name.clone(),
            moves_if_weekend: false,
        }));
        out
    }
}

/// Five-day week by default; some organisations work six days (KZ_RULES.md §7).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "snake_case")]
pub enum WorkWeek {
    #[default]
    FiveDay,
    SixDay,
}

impl WorkWeek {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkWeek::FiveDay => "five_day",
            WorkWeek::SixDay => "six_day",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "five_day" => Some(WorkWeek::FiveDay),
            "six_day" => Some(WorkWeek::SixDay),
            _ => None,
        }
    }
    fn is_weekend(self, d: NaiveDate) -> bool {
        match self {
            WorkWeek::FiveDay => matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
            WorkWeek::SixDay => d.weekday() == Weekday::Sun,
        }
    }
}

/// The years for which days off are precomputed; outside them only weekends count.
const FIRST_YEAR: i32 = 2000;
const LAST_YEAR: i32 = 2100;

#[derive(Debug, Clone)]
pub struct Calendar {
    days_off: HashSet<NaiveDate>,
    working_weekend_days: HashSet<NaiveDate>,
    /// Years with explicit data; others use the fixed holidays of the law.
    explicit_years: BTreeSet<i32>,
}

impl Calendar {
    /// Builds the calendar. Years present in `entries` use exactly those holidays; every other
    /// year gets the law's fixed holidays. The weekend-move rule is applied to both.
    pub fn new(fixed: &[FixedHoliday], entries: &[DayEntry]) -> Calendar {
        let mut by_year: BTreeMap<i32, Vec<&DayEntry>> = BTreeMap::new();
        for e in entries {
            by_year.entry(e.date.year()).or_default().push(e);
        }
        let mut days_off = HashSet::new();
        let mut working_weekend_days = HashSet::new();
        for year in FIRST_YEAR..=LAST_YEAR {
            let mut holidays: Vec<(NaiveDate, bool)> = Vec::new();
            match by_year.get(&year) {
                Some(list) => {
                    for e in list {
                        match e.kind {
                            DayKind::Holiday => holidays.push((e.date, e.moves_if_weekend)),
                            DayKind::DayOff => {
                                days_off.insert(e.date);
                            }
                            DayKind::WorkingDay => {
                                working_weekend_days.insert(e.date);
                            }
                        }
                    }
                }
                None => {
                    for h in fixed {
                        if let Some(d) = NaiveDate::from_ymd_opt(year, h.month, h.day) {
                            holidays.push((d, h.moves_if_weekend));
                        }
                    }
                }
            }
            holidays.sort();
            let holiday_dates: HashSet<NaiveDate> = holidays.iter().map(|h| h.0).collect();
            days_off.extend(holiday_dates.iter().copied());
            for (d, moves) in &holidays {
                if *moves && WorkWeek::FiveDay.is_weekend(*d) {
                    let mut m = *d + Duration::days(1);
                    while WorkWeek::FiveDay.is_weekend(m)
                        || holiday_dates.contains(&m)
                        || days_off.contains(&m)
                    {
                        m += Duration::days(1);
                    }
                    days_off.insert(m);
                }
            }
        }
        Calendar {
            days_off,
            working_weekend_days,
            explicit_years: by_year.keys().copied().collect(),
        }
    }

    /// The calendar shipped with Tyndau (law + 2025 and 2026 files), used for tests and first start.
    pub fn builtin() -> Calendar {
        let (fixed, entries) = builtin_data();
        Calendar::new(&fixed, &entries)
    }

    pub fn has_explicit_year(&self, year: i32) -> bool {
        self.explicit_years.contains(&year)
    }

    pub fn is_working_day(&self, d: NaiveDate, week: WorkWeek) -> bool {
        if self.working_weekend_days.contains(&d) {
            return true;
        }
        !self.days_off.contains(&d) && !week.is_weekend(d)
    }

    pub fn next_working_day_on_or_after(&self, mut d: NaiveDate, week: WorkWeek) -> NaiveDate {
        while !self.is_working_day(d, week) {
            d += Duration::days(1);
        }
        d
    }

    pub fn prev_working_day_on_or_before(&self, mut d: NaiveDate, week: WorkWeek) -> NaiveDate {
        while !self.is_working_day(d, week) {
            d -= Duration::days(1);
        }
        d
    }

    /// The n-th working day after `d` (d itself is day 0 and not counted).
    pub fn add_working_days(&self, d: NaiveDate, n: u32, week: WorkWeek) -> NaiveDate {
        let mut cur = d;
        let mut left = n;
        while left > 0 {
            cur += Duration::days(1);
            if self.is_working_day(cur, week) {
                left -= 1;
            }
        }
        cur
    }

    /// Working days strictly after `from` up to and including `to` (0 if `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate, week: WorkWeek) -> u32 {
        let mut n = 0;
        let mut cur = from;
        while cur < to {
            cur += Duration::days(1);
            if self.is_working_day(cur, week) {
                n += 1;
            }
        }
        n
    }
}

const HOLIDAYS_TOML: &str = include_str!("../../../calendar/holidays.toml");
const YEAR_FILES: [&str; 2] = [
    include_str!("../../../calendar/2025.toml"),
    include_str!("../../../calendar/2026.toml"),
];

/// The shipped calendar data: the law's fixed holidays and the explicit year entries.
pub fn builtin_data() -> (Vec<FixedHoliday>, Vec<DayEntry>) {
    let fixed: HolidaysFile = toml::from_str(HOLIDAYS_TOML).expect("calendar/holidays.toml");
    let mut entries = Vec::new();
    for y in YEAR_FILES {
        let f: YearFile = toml::from_str(y).expect("calendar year file");
        for e in f.entries() {
            assert_eq!(
                e.date.year(),
                f.year,
                "calendar entry outside its year file"
            );
            entries.push(e);
        }
    }
    (fixed.holiday, entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn holiday_on_weekend_moves_to_next_working_day_2025_transfers_match_the_decree() {
        // KZ_RULES §7 lists the 2025 days off produced by moved holidays: 10 March, 24-25 March,
        // 7 July, 1 September, 27 October. Our year file lists only the holidays; the rule derives these.
        let cal = Calendar::builtin();
        for day in [
            "2025-03-10",
            "2025-03-24",
            "2025-03-25",
            "2025-07-07",
            "2025-09-01",
            "2025-10-27",
        ] {
            assert!(
                !cal.is_working_day(d(day), WorkWeek::FiveDay),
                "{day} should be a day off"
            );
        }
    }

    #[test]
    fn holiday_move_rule_excludes_orthodox_christmas_and_kurban_ait() {
        // 7 January 2023 was a Saturday: Monday 9 January 2023 stays a working day.
        let fixed = builtin_data().0;
        let cal = Calendar::new(&fixed, &[]);
        assert!(cal.is_working_day(d("2023-01-09"), WorkWeek::FiveDay));
        // Kurban Ait on a Saturday does not move either.
        let entries = vec![DayEntry {
            date: d("2027-05-15"),
            kind: DayKind::Holiday,
            name: "Kurban Ait".into(),
            moves_if_weekend: false,
        }];
        let cal = Calendar::new(&fixed, &entries);
        assert!(cal.is_working_day(d("2027-05-17"), WorkWeek::FiveDay));
    }

    #[test]
    fn government_transfer_2025_friday_3_january_off_sunday_5_january_working() {
        let cal = Calendar::builtin();
        assert!(!cal.is_working_day(d("2025-01-03"), WorkWeek::FiveDay));
        assert!(cal.is_working_day(d("2025-01-05"), WorkWeek::FiveDay));
    }

    #[test]
    fn kurban_ait_2025_is_a_day_off() {
        assert!(!Calendar::builtin().is_working_day(d("2025-06-06"), WorkWeek::FiveDay));
    }

    #[test]
    fn fixed_holidays_of_the_law_on_holidays_are_days_off() {
        let cal = Calendar::builtin();
        for day in [
            "2026-01-01",
            "2026-01-02",
            "2026-01-07",
            "2026-03-23",
            "2026-05-01",
            "2026-05-07",
            "2026-07-06",
            "2026-12-16",
        ] {
            assert!(!cal.is_working_day(d(day), WorkWeek::FiveDay), "{day}");
        }
    }

    #[test]
    fn six_day_week_organisations_work_on_saturday_but_not_on_holidays() {
        let cal = Calendar::builtin();
        assert!(cal.is_working_day(d("2026-02-07"), WorkWeek::SixDay));
        assert!(!cal.is_working_day(d("2026-02-07"), WorkWeek::FiveDay));
        assert!(!cal.is_working_day(d("2026-02-08"), WorkWeek::SixDay));
        assert!(!cal.is_working_day(d("2026-12-16"), WorkWeek::SixDay));
    }

    #[test]
    fn years_without_a_file_fall_back_to_the_law() {
        let cal = Calendar::builtin();
        assert!(!cal.has_explicit_year(2031));
        // 16 December 2031 is a Tuesday: Independence Day.
        assert!(!cal.is_working_day(d("2031-12-16"), WorkWeek::FiveDay));
        // 30 August 2031 is a Saturday: Monday 1 September is off.
        assert!(!cal.is_working_day(d("2031-09-01"), WorkWeek::FiveDay));
    }

    #[test]
    fn add_working_days_skips_weekends_and_holidays() {
        let cal = Calendar::builtin();
        // Friday 2026-02-27 + 1 working day = Monday 2026-03-02.
        assert_eq!(
            cal.add_working_days(d("2026-02-27"), 1, WorkWeek::FiveDay),
            d("2026-03-02")
        );
        // Over Nauryz 2026 (21-23 March, moved days 24-25 March).
        assert_eq!(
            cal.add_working_days(d("2026-03-20"), 1, WorkWeek::FiveDay),
            d("2026-03-26")
        );
        assert_eq!(
            cal.working_days_between(d("2026-03-20"), d("2026-03-26"), WorkWeek::FiveDay),
            1
        );
    }

    proptest! {
        #[test]
        fn adding_working_days_lands_on_a_working_day(start in 0i64..4000, n in 1u32..60, six: bool) {
            let cal = Calendar::builtin();
            let week = if six { WorkWeek::SixDay } else { WorkWeek::FiveDay };
            let s = d("2024-01-01") + Duration::days(start);
            let r = cal.add_working_days(s, n, week);
            prop_assert!(cal.is_working_day(r, week));
            prop_assert_eq!(cal.working_days_between(s, r, week), n);
        }

        #[test]
        fn adding_working_days_is_monotone(start in 0i64..4000, a in 0u32..60, b in 0u32..60, gap in 0i64..30) {
            let cal = Calendar::builtin();
            let s = d("2024-01-01") + Duration::days(start);
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(cal.add_working_days(s, lo, WorkWeek::FiveDay) <= cal.add_working_days(s, hi, WorkWeek::FiveDay));
            // A later start never gives an earlier result.
            prop_assert!(cal.add_working_days(s, a, WorkWeek::FiveDay) <= cal.add_working_days(s + Duration::days(gap), a, WorkWeek::FiveDay));
        }
    }
}
