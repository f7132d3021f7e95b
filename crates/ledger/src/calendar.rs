//! Working days: Monday to Friday, minus public holidays, plus the weekend days worked in
//! their place (调休). The State Council publishes each year's list in December; nianbao
//! carries the lists it knows and reads more from a file (`2026-10-01 休`, `2026-09-27 班`).

use nianbao_model::Date;
use std::collections::BTreeMap;

/// Days since 1970-01-01 (proleptic Gregorian), and back.
pub fn days(d: Date) -> i64 {
    d.days()
}

pub fn from_days(z: i64) -> Date {
    Date::from_days(z)
}

/// Today in China Standard Time (UTC+8), the calendar deadlines are kept in.
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    from_days((secs + 8 * 3600).div_euclid(86_400))
}

/// 0 = Monday … 6 = Sunday.
pub fn weekday(d: Date) -> i64 {
    (days(d) + 3).rem_euclid(7)
}

/// Official holiday arrangements known to nianbao: (date, true = day off, false = worked).
const KNOWN: &str = "\
2024-01-01 休
2024-02-04 班
2024-02-10 休
2024-02-11 休
2024-02-12 休
2024-02-13 休
2024-02-14 休
2024-02-15 休
2024-02-16 休
2024-02-17 休
2024-02-18 班
2024-04-04 休
2024-04-05 休
2024-04-06 休
2024-04-07 班
2024-04-28 班
2024-05-01 休
2024-05-02 休
2024-05-03 休
2024-05-04 休
2024-05-05 休
2024-05-11 班
2024-06-10 休
2024-09-14 班
2024-09-15 休
2024-09-16 休
2024-09-17 休
2024-09-29 班
2024-10-01 休
2024-10-02 休
2024-10-03 休
2024-10-04 休
2024-10-05 休
2024-10-06 休
2024-10-07 休
2024-10-12 班
2025-01-01 休
2025-01-26 班
2025-01-28 休
2025-01-29 休
2025-01-30 休
2025-01-31 休
2025-02-01 休
2025-02-02 休
2025-02-03 休
2025-02-04 休
2025-02-08 班
2025-04-04 休
2025-04-05 休
2025-04-06 休
2025-04-27 班
2025-05-01 休
2025-05-02 休
2025-05-03 休
2025-05-04 休
2025-05-05 休
2025-05-31 休
2025-06-01 休
2025-06-02 休
2025-09-28 班
2025-10-01 休
2025-10-02 休
2025-10-03 休
2025-10-04 休
2025-10-05 休
2025-10-06 休
2025-10-07 休
2025-10-08 休
2025-10-11 班
";

#[derive(Clone, Debug)]
pub struct Calendar {
    /// Exceptions to the Monday–Friday rule: true = day off, false = working day.
    days: BTreeMap<i64, bool>,
    /// Years the calendar has an official list for.
    years: std::collections::BTreeSet<i32>,
}

impl Default for Calendar {
    fn default() -> Calendar {
        let mut c = Calendar {
            days: BTreeMap::new(),
            years: Default::default(),
        };
        c.add(KNOWN).expect("the built-in calendar parses");
        c
    }
}

/// A line of a holiday list that is not `YYYY-MM-DD 休|班`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarError {
    /// 1-based line number.
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for CalendarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "第 {} 行 (line {})：{}",
            self.line, self.line, self.reason
        )
    }
}

impl std::error::Error for CalendarError {}

impl Calendar {
    /// Weekends only, no holidays.
    pub fn empty() -> Calendar {
        Calendar {
            days: BTreeMap::new(),
            years: Default::default(),
        }
    }

    /// Adds lines `YYYY-MM-DD 休|班` (also `off`/`work`; `#` starts a comment).
    pub fn add(&mut self, text: &str) -> Result<(), CalendarError> {
        for (n, line) in text.lines().enumerate() {
            let bad = |reason: String| CalendarError {
                line: n + 1,
                reason,
            };
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(date), Some(kind)) = (parts.next(), parts.next()) else {
                return Err(bad("应为“日期 休/班” (DATE off|work)".into()));
            };
            let d = Date::try_from(date.to_string()).map_err(bad)?;
            let off = match kind {
                "休" | "off" | "holiday" => true,
                "班" | "work" | "workday" => false,
                _ => return Err(bad(format!("{kind} 应为 休 或 班 (off or work)"))),
            };
            self.days.insert(days(d), off);
            self.years.insert(d.year);
        }
        Ok(())
    }

    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn is_working(&self, d: Date) -> bool {
        match self.days.get(&days(d)) {
            Some(off) => !off,
            None => weekday(d) < 5,
        }
    }

    /// The `n`th working day after `d` (the day of receipt itself does not count).
    pub fn add_working_days(&self, d: Date, n: u32) -> Date {
        let mut z = days(d);
        let mut left = n;
        while left > 0 {
            z += 1;
            if self.is_working(from_days(z)) {
                left -= 1;
            }
        }
        from_days(z)
    }

    /// Working days from `a` (exclusive) to `b` (inclusive); negative when `b` is before `a`.
    pub fn working_days_between(&self, a: Date, b: Date) -> i64 {
        let (x, y) = (days(a), days(b));
        let count = |lo: i64, hi: i64| {
            (lo + 1..=hi)
                .filter(|&z| self.is_working(from_days(z)))
                .count() as i64
        };
        if y >= x {
            count(x, y)
        } else {
            -count(y, x)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn day_numbers_round_trip_and_know_the_weekday() {
        for z in -800_000..800_000i64 {
            if z % 997 == 0 {
                assert_eq!(days(from_days(z)), z);
            }
        }
        assert_eq!(days(d(1970, 1, 1)), 0);
        assert_eq!(weekday(d(2024, 9, 27)), 4); // a Friday
        assert_eq!(weekday(d(2024, 2, 29)), 3);
    }

    #[test]
    fn twenty_working_days_skip_the_national_day_week_and_count_the_swapped_saturday() {
        let c = Calendar::default();
        // Received Friday 27 September 2024: 29 Sep (Sunday, worked) is day 1, 1–7 October
        // are off, 12 October (Saturday, worked) counts; the 20th working day is 30 October.
        assert_eq!(c.add_working_days(d(2024, 9, 27), 20), d(2024, 10, 30));
        assert_eq!(c.add_working_days(d(2024, 10, 30), 20), d(2024, 11, 27));
        // Weekends only without the calendar.
        assert_eq!(
            Calendar::empty().add_working_days(d(2024, 9, 27), 20),
            d(2024, 10, 25)
        );
        assert_eq!(c.working_days_between(d(2024, 9, 27), d(2024, 10, 30)), 20);
        assert_eq!(c.working_days_between(d(2024, 10, 30), d(2024, 9, 27)), -20);
    }

    #[test]
    fn calendar_files_are_read_or_refused_by_line() {
        let mut c = Calendar::empty();
        c.add("# 2026\n2026-10-01 休\n2026-10-10 班\n").unwrap();
        assert!(!c.is_working(d(2026, 10, 1)));
        assert!(c.is_working(d(2026, 10, 10)));
        assert!(c.covers(2026));
        assert_eq!(c.add("2026-13-01 休").unwrap_err().line, 1);
        assert_eq!(c.add("# x\n2026-10-01 maybe").unwrap_err().line, 2);
        assert!(c.add("2026-10-01 maybe").is_err());
    }
}
