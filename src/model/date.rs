//! Calendar months and days as civil-affairs files write them.
//!
//! Accepted dates: `2026-11-25`, `2026/11/25`, `2026.11.25`, `20261125`,
//! `2026年11月25日` and their single-digit forms, an optional time after the
//! date (`2026-11-25 09:30:00`, ISO `2026-11-25T09:30:00`), Excel date cells
//! and serial numbers. Accepted months: `2026-11`, `202611`, `2026年11月`,
//! `2026/11`, `2026.11`, `2026-3`, `2026年3月` (and any accepted date: its
//! month). Invariant: a [`Month`] is a real month of years 1900–2099.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// A calendar month, ordered in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1900..=2099).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// Months since year 0: consecutive months differ by one.
    pub fn index(self) -> i32 {
        self.year * 12 + self.month as i32 - 1
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// The day `day` of this month, clamped to the month's last day.
    pub fn day(self, day: u32) -> NaiveDate {
        let last = self.last_day().day();
        NaiveDate::from_ymd_opt(self.year, self.month, day.clamp(1, last)).unwrap_or(NaiveDate::MIN)
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = String;

    /// Parses any accepted month form (see the module comment).
    fn from_str(s: &str) -> Result<Month, String> {
        parse_month(s).ok_or_else(|| format!("not a month: {s:?} (expected YYYY-MM)"))
    }
}

/// The numeric parts of a date or month: `[2026, 11, 25]` or `[2026, 11]`.
#[derive(Clone, Copy)]
struct Parts {
    n: [u32; 3],
    len: usize,
}

impl Parts {
    fn as_slice(&self) -> &[u32] {
        &self.n[..self.len]
    }
}

/// Splits a date or month string into its numeric parts: `2026年11月25日`,
/// `2026-11-25`, `2026/11/25`, `2026.11.25`, `20261125` → `[2026, 11, 25]`.
/// A time part after a space or `T` is ignored. Returns `None` for anything
/// else. Allocates nothing: it runs for every date cell of a large file.
fn parts(s: &str) -> Option<Parts> {
    // 2026年11月份: 份 only says "the month of".
    let s = s.trim();
    let s = s.strip_suffix('份').unwrap_or(s);
    let date_part = match s.find([' ', 'T']) {
        Some(i) if i >= 6 => &s[..i],
        _ => s,
    };
    let mut out = Parts { n: [0; 3], len: 0 };
    let (mut cur, mut digits) = (0u32, 0usize);
    // 0 = none yet, 1 = 年月日, 2 = '-', 3 = '/', 4 = '.'
    let mut sep_kind = 0u8;
    for c in date_part.chars() {
        match c {
            '0'..='9' => {
                digits += 1;
                if digits > 8 {
                    return None;
                }
                cur = cur * 10 + (c as u32 - '0' as u32);
            }
            '年' | '月' | '日' | '号' | '-' | '/' | '.' => {
                if digits == 0 || digits > 4 || out.len == 3 {
                    return None;
                }
                // Separators must agree: 2026-11/25 is not a date.
                let kind = match c {
                    '-' => 2,
                    '/' => 3,
                    '.' => 4,
                    _ => 1,
                };
                if sep_kind != 0 && sep_kind != kind {
                    return None;
                }
                sep_kind = kind;
                out.n[out.len] = cur;
                out.len += 1;
                (cur, digits) = (0, 0);
            }
            _ => return None,
        }
    }
    if digits > 0 {
        if out.len == 0 {
            // 20261125 or 202611.
            out = match digits {
                8 => Parts {
                    n: [cur / 10000, cur / 100 % 100, cur % 100],
                    len: 3,
                },
                6 => Parts {
                    n: [cur / 100, cur % 100, 0],
                    len: 2,
                },
                _ => return None,
            };
        } else {
            if digits > 4 || out.len == 3 {
                return None;
            }
            out.n[out.len] = cur;
            out.len += 1;
        }
    }
    if out.len == 0 || out.n[0] < 1000 {
        return None;
    }
    Some(out)
}

/// Parses a date written as text (see the module comment).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    match *parts(s)?.as_slice() {
        [y, m, d] => {
            let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
            Month::new(date.year(), date.month()).map(|_| date)
        }
        _ => None,
    }
}

/// Parses a month written as text; a full date gives its month.
pub fn parse_month(s: &str) -> Option<Month> {
    match *parts(s)?.as_slice() {
        [y, m] => Month::new(y as i32, m),
        [_, _, _] => parse_date(s).map(Month::of),
        _ => None,
    }
}

/// Converts an Excel serial day number (1900 system, or 1904 when `is_1904`)
/// to a date. The fraction (time of day) is ignored. Returns `None` outside
/// 1900–2099.
pub fn from_excel_serial(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    if !serial.is_finite() || serial < 1.0 {
        return None;
    }
    let days = serial.floor() as i64;
    let epoch = if is_1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)?
    } else {
        // Serial 1 is 1900-01-01; Excel counts a 1900-02-29 that never was,
        // so from serial 61 on the epoch is 1899-12-30.
        if days < 61 {
            NaiveDate::from_ymd_opt(1899, 12, 31)?
        } else {
            NaiveDate::from_ymd_opt(1899, 12, 30)?
        }
    };
    let date = epoch.checked_add_signed(chrono::Duration::days(days))?;
    Month::new(date.year(), date.month()).map(|_| date)
}

/// True when a number in a date column is plausibly an Excel serial day
/// (1950-01-01 to 2099-12-31) rather than a `yyyymmdd` or `yyyymm` number.
pub fn plausible_serial(n: f64) -> bool {
    (18264.0..73051.0).contains(&n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_date_form_of_the_spec() {
        for s in [
            "2026-11-25",
            "2026/11/25",
            "2026.11.25",
            "20261125",
            "2026年11月25日",
            "2026-11-25 09:30:00",
            "2026-11-25T09:30:00",
        ] {
            assert_eq!(parse_date(s), Some(d(2026, 11, 25)), "{s}");
        }
        assert_eq!(parse_date("2026-3-5"), Some(d(2026, 3, 5)));
        assert_eq!(parse_date("2026年3月5日"), Some(d(2026, 3, 5)));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-11/25"), None);
        assert_eq!(parse_date("25/11/2026"), None);
        assert_eq!(parse_date("明天"), None);
    }

    #[test]
    fn every_month_form_of_the_spec() {
        let nov = Month::new(2026, 11).unwrap();
        for s in [
            "2026-11",
            "202611",
            "2026年11月",
            "2026/11",
            "2026.11",
            "2026-11-25",
        ] {
            assert_eq!(parse_month(s), Some(nov), "{s}");
        }
        assert_eq!(parse_month("2026-3"), Month::new(2026, 3));
        assert_eq!(parse_month("2026年3月"), Month::new(2026, 3));
        assert_eq!(parse_month("2026年11月份"), Month::new(2026, 11));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(nov.to_string(), "2026-11");
        assert_eq!(nov.next().to_string(), "2026-12");
        assert_eq!(nov.next().next().to_string(), "2027-01");
        assert_eq!(Month::new(2027, 1).unwrap().prev().to_string(), "2026-12");
        assert_eq!(Month::new(2026, 2).unwrap().last_day(), d(2026, 2, 28));
    }

    #[test]
    fn excel_serials() {
        assert_eq!(from_excel_serial(46351.0, false), Some(d(2026, 11, 25)));
        assert_eq!(from_excel_serial(46351.75, false), Some(d(2026, 11, 25)));
        assert_eq!(from_excel_serial(44889.0, true), Some(d(2026, 11, 25)));
        assert_eq!(from_excel_serial(-3.0, false), None);
    }
}
