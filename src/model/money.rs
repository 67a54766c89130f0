//! Money: exact, in fen.
//!
//! Invariant: a [`Money`] is an integer number of fen; it is printed with two
//! decimals (`1234.50`) and parsed from text through `rust_decimal`, never
//! through binary floating point. A workbook number cell is accepted only
//! when it is within a millionth of a whole fen (what Excel shows as 280.00).

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub};

use rust_decimal::Decimal;

use crate::ingest::profile::AmountUnit;

/// An amount of money in fen (0.01 yuan).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    /// The exact decimal value in yuan, scale 2.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Converts an exact decimal number of yuan; `None` if it has a fraction
    /// of a fen or does not fit.
    pub fn from_decimal(d: Decimal) -> Option<Money> {
        let fen = d.checked_mul(Decimal::ONE_HUNDRED)?;
        if !fen.fract().is_zero() {
            return None;
        }
        i64::try_from(fen.trunc()).ok().map(Money)
    }

    /// The value for a workbook number cell: the last step, never used for
    /// sums. `None` when the number would not show the same fen: above
    /// [`LIMIT_FEN`] (Excel keeps 15 significant digits), or when the
    /// binary number, written with two decimals, is not this amount.
    pub fn to_f64_for_cell(self) -> Option<f64> {
        if self.0.unsigned_abs() > LIMIT_FEN as u64 {
            return None;
        }
        let x = self.0 as f64 / 100.0;
        // Below 2^40 fen (about 1.1 × 10^10 yuan, far above any month's
        // total) the nearest binary number is within a millionth of a fen of
        // the amount, so it always shows the same fen (a test writes out a
        // spread of such amounts to make sure); above, it is written out and
        // read back.
        if self.0.unsigned_abs() < FAST_CELL_FEN {
            return Some(x);
        }
        (fen_of_two_decimals(x) == Some(self.0)).then_some(x)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

/// Amounts below this many fen need no writing out to show their fen.
const FAST_CELL_FEN: u64 = 1 << 40;

/// `x` written with two decimals, read back as fen (no allocation).
fn fen_of_two_decimals(x: f64) -> Option<i64> {
    use std::io::Write as _;
    let mut buf = [0u8; 48];
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    write!(cursor, "{x:.2}").ok()?;
    let len = usize::try_from(cursor.position()).ok()?;
    let text = buf.get(..len)?;
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let mut fen: i64 = 0;
    for &b in digits.iter().filter(|&&b| b != b'.') {
        if !b.is_ascii_digit() {
            return None;
        }
        fen = fen.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    Some(if negative { -fen } else { fen })
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Money {
    type Output = Money;
    /// Saturating: no sum of readable amounts comes near the limit
    /// (9.2 × 10^16 yuan), and a file full of absurd ones must not panic.
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// The largest amount a cell may hold, in fen: 9,999,999,999,999.99 yuan,
/// 15 significant digits — what Excel keeps exactly and what a workbook
/// cell ([`Money::to_f64_for_cell`]) gives back to the fen. Far above any
/// benefit: the policy's `max_household_total` is the working bound.
pub const LIMIT_FEN: i64 = 999_999_999_999_999;

/// Why an amount could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoneyProblem {
    NotANumber,
    /// More than two decimals (yuan) that are not zeros.
    FractionOfFen,
    /// A decimal point in a fen amount.
    FenWithFraction,
    /// A comma that does not separate thousands (a decimal comma: `330,00`).
    BadComma,
    /// A space between digits (`620 00`): 620.00 or 62000?
    SpaceInDigits,
    /// Above [`LIMIT_FEN`]: no payment is that large.
    TooLarge,
}

/// An amount as a cell writes it, before a unit is applied: its digits and
/// the unit the text itself names, if any (`62000分`, `330元`, `¥280`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    negative: bool,
    /// The whole part (at most 15 digits).
    int: i64,
    /// The first two digits after the point, as fen (`.5` → 50).
    cents: i64,
    /// A digit after the point that is not zero: the first two, the rest.
    nonzero_fraction: bool,
    nonzero_past_fen: bool,
    /// `元`, `¥`, `RMB`, `CNY` name yuan; `分` names fen.
    pub unit: Option<AmountUnit>,
}

/// Units and currency marks a text may carry before or after its digits.
const PREFIXES: [(&str, AmountUnit); 4] = [
    ("¥", AmountUnit::Yuan),
    ("￥", AmountUnit::Yuan),
    ("rmb", AmountUnit::Yuan),
    ("cny", AmountUnit::Yuan),
];
const SUFFIXES: [(&str, AmountUnit); 7] = [
    ("元整", AmountUnit::Yuan),
    ("元", AmountUnit::Yuan),
    ("分", AmountUnit::Fen),
    ("rmb", AmountUnit::Yuan),
    ("cny", AmountUnit::Yuan),
    ("yuan", AmountUnit::Yuan),
    ("fen", AmountUnit::Fen),
];

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

/// `s` without the ASCII-case-insensitive `prefix`.
fn strip_prefix_ci<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// `s` without the ASCII-case-insensitive `suffix`.
fn strip_suffix_ci<'s>(s: &'s str, suffix: &str) -> Option<&'s str> {
    let at = s.len().checked_sub(suffix.len())?;
    let tail = s.get(at..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..at])
}

/// Reads the text of an amount as files write it: `1,234.50`, `¥280.00`,
/// `¥ 280.00`, `280元`, `280 元`, `62000分`, `２８０`, `RMB 280`, `-35.00`.
/// Spaces may stand around the number and between it and a sign, currency
/// mark or unit, never between its digits.
///
/// # Errors
/// [`MoneyProblem::SpaceInDigits`] for `620 00`; [`MoneyProblem::BadComma`]
/// for a comma that does not group thousands; [`MoneyProblem::TooLarge`]
/// for more than 15 digits before the point;
/// [`MoneyProblem::NotANumber`] for anything else that is not one number
/// (`1.2.3`, `330.00 -`, two different units).
pub fn read(text: &str) -> Result<Written, MoneyProblem> {
    let half = crate::ingest::normalize::halfwidth_all(text);
    let mut s = half.trim_matches(is_space);
    let mut unit: Option<AmountUnit> = None;
    let mut negative = false;
    let mut signed = false;
    let mut name = |u: AmountUnit| match unit {
        Some(v) if v != u => Err(MoneyProblem::NotANumber),
        _ => {
            unit = Some(u);
            Ok(())
        }
    };
    // Before the digits: one sign and currency marks, in either order.
    'prefix: loop {
        s = s.trim_start_matches(is_space);
        if !signed && let Some(c) = s.chars().next().filter(|c| matches!(c, '-' | '+' | '−')) {
            negative = c != '+';
            signed = true;
            s = &s[c.len_utf8()..];
            continue;
        }
        for (mark, u) in PREFIXES {
            if let Some(rest) = strip_prefix_ci(s, mark) {
                name(u)?;
                s = rest;
                continue 'prefix;
            }
        }
        break;
    }
    // After the digits: a unit or currency.
    'suffix: loop {
        s = s.trim_end_matches(is_space);
        for (mark, u) in SUFFIXES {
            if let Some(rest) = strip_suffix_ci(s, mark) {
                name(u)?;
                s = rest;
                continue 'suffix;
            }
        }
        break;
    }
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_space(c))
    {
        return Err(MoneyProblem::NotANumber);
    }
    if s.chars().any(is_space) {
        return Err(MoneyProblem::SpaceInDigits);
    }
    if s.matches('.').count() > 1 {
        return Err(MoneyProblem::NotANumber);
    }
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() {
        return Err(MoneyProblem::NotANumber);
    }
    if frac.contains(',') || (int.contains(',') && !thousands_grouped(int)) {
        return Err(MoneyProblem::BadComma);
    }
    // Excel keeps 15 significant digits; nothing longer is an amount.
    let digits = int
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&b| b == b'0');
    if digits.clone().count() > 15 {
        return Err(MoneyProblem::TooLarge);
    }
    let int = digits.fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
    let frac = frac.as_bytes();
    let cents = (0..2).fold(0i64, |n, i| {
        n * 10 + frac.get(i).map_or(0, |&b| i64::from(b - b'0'))
    });
    Ok(Written {
        negative,
        int,
        cents,
        nonzero_fraction: frac.iter().any(|&b| b != b'0'),
        nonzero_past_fen: frac.iter().skip(2).any(|&b| b != b'0'),
        unit,
    })
}

impl Written {
    /// The amount when the number is in `unit`.
    ///
    /// # Errors
    /// [`MoneyProblem::FractionOfFen`] (yuan with more than two decimals
    /// that are not zeros), [`MoneyProblem::FenWithFraction`] (fen with
    /// decimals that are not zeros), [`MoneyProblem::TooLarge`] (above
    /// [`LIMIT_FEN`]).
    pub fn money(&self, unit: AmountUnit) -> Result<Money, MoneyProblem> {
        // At most 15 digits (see `read`): no overflow in i64.
        let fen = match unit {
            AmountUnit::Yuan if self.nonzero_past_fen => return Err(MoneyProblem::FractionOfFen),
            AmountUnit::Fen if self.nonzero_fraction => return Err(MoneyProblem::FenWithFraction),
            AmountUnit::Yuan => self.int * 100 + self.cents,
            AmountUnit::Fen => self.int,
        };
        if fen > LIMIT_FEN {
            return Err(MoneyProblem::TooLarge);
        }
        Ok(Money(if self.negative { -fen } else { fen }))
    }
}

/// Parses an amount as files write it (see [`read`]); the number is in the
/// unit the text names (`62000分` is 620.00), else in `unit`.
pub fn parse(text: &str, unit: AmountUnit) -> Result<Money, MoneyProblem> {
    let written = read(text)?;
    written.money(written.unit.unwrap_or(unit))
}

/// `1,234`, `12,345,678`: commas only between groups of three digits.
fn thousands_grouped(int: &str) -> bool {
    let mut groups = int.split(',');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    first_ok && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads a workbook number cell as money in `unit`. The cell holds the
/// binary number nearest to what was typed; it is accepted when it is
/// within a few units in the last place of a whole fen (what Excel shows as
/// 280.00, also for a sum such as `=0.1+0.2`), and refused otherwise.
pub fn from_number(x: f64, unit: AmountUnit) -> Result<Money, MoneyProblem> {
    if !x.is_finite() {
        return Err(MoneyProblem::NotANumber);
    }
    let scaled = match unit {
        AmountUnit::Yuan => x * 100.0,
        AmountUnit::Fen => x,
    };
    if scaled.abs() >= LIMIT_FEN as f64 + 0.5 {
        return Err(MoneyProblem::TooLarge);
    }
    let fen = scaled.round();
    let exact = match unit {
        AmountUnit::Yuan => fen / 100.0,
        AmountUnit::Fen => fen,
    };
    if (x - exact).abs() > 16.0 * f64::EPSILON * x.abs().max(1.0) {
        return Err(match unit {
            AmountUnit::Yuan => MoneyProblem::FractionOfFen,
            AmountUnit::Fen => MoneyProblem::FenWithFraction,
        });
    }
    // |fen| ≤ LIMIT_FEN < 2^53: exact.
    Ok(Money(fen as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(s: &str) -> Result<Money, MoneyProblem> {
        parse(s, AmountUnit::Yuan)
    }

    #[test]
    fn every_written_form() {
        assert_eq!(y("1,234.50"), Ok(Money(123450)));
        assert_eq!(y("¥280.00"), Ok(Money(28000)));
        assert_eq!(y("￥280.00"), Ok(Money(28000)));
        assert_eq!(y("280元"), Ok(Money(28000)));
        assert_eq!(y("２８０．５"), Ok(Money(28050)));
        assert_eq!(y("-35"), Ok(Money(-3500)));
        assert_eq!(y("280.000"), Ok(Money(28000)));
        assert_eq!(y("280.005"), Err(MoneyProblem::FractionOfFen));
        assert_eq!(y("28O.00"), Err(MoneyProblem::NotANumber));
        assert_eq!(y("330,00"), Err(MoneyProblem::BadComma));
        assert_eq!(y("1,2,3"), Err(MoneyProblem::BadComma));
        assert_eq!(y("12,345,678.9"), Ok(Money(1_234_567_890)));
        assert_eq!(y("１，２３４．５０"), Ok(Money(123450)));
        assert_eq!(
            y("280.0000000000000000000000000000001"),
            Err(MoneyProblem::FractionOfFen)
        );
        assert_eq!(y("9223372036854775807"), Err(MoneyProblem::TooLarge));
        assert_eq!(y("999999999999999"), Err(MoneyProblem::TooLarge));
        assert_eq!(y("92233720368547.75"), Err(MoneyProblem::TooLarge));
        assert_eq!(y("9999999999999.99"), Ok(Money(LIMIT_FEN)));
        assert_eq!(y("-9999999999999.99"), Ok(Money(-LIMIT_FEN)));
        assert_eq!(y("000000000000000000280.00"), Ok(Money(28000)));
        assert_eq!(y(""), Err(MoneyProblem::NotANumber));
        assert_eq!(parse("33000", AmountUnit::Fen), Ok(Money(33000)));
        assert_eq!(
            parse("330.5", AmountUnit::Fen),
            Err(MoneyProblem::FenWithFraction)
        );
    }

    #[test]
    fn units_the_text_names() {
        let f = |s: &str| parse(s, AmountUnit::Fen);
        assert_eq!(y("62000分"), Ok(Money(62000)), "fen named in a yuan column");
        assert_eq!(f("330元"), Ok(Money(33000)), "yuan named in a fen column");
        assert_eq!(f("330.00元"), Ok(Money(33000)));
        assert_eq!(f("¥330"), Ok(Money(33000)));
        assert_eq!(y("330元整"), Ok(Money(33000)));
        assert_eq!(y("620.5分"), Err(MoneyProblem::FenWithFraction));
        assert_eq!(y("¥62000分"), Err(MoneyProblem::NotANumber), "two units");
        assert_eq!(y("3元5分"), Err(MoneyProblem::NotANumber));
        assert_eq!(read("62000分").map(|w| w.unit), Ok(Some(AmountUnit::Fen)));
        assert_eq!(read("280 RMB").map(|w| w.unit), Ok(Some(AmountUnit::Yuan)));
        assert_eq!(read("280").map(|w| w.unit), Ok(None));
    }

    #[test]
    fn spaces_around_the_number_but_not_inside() {
        assert_eq!(y(" 280.00\u{3000}"), Ok(Money(28000)));
        assert_eq!(y("¥ 280.00"), Ok(Money(28000)));
        assert_eq!(y("280 元"), Ok(Money(28000)));
        assert_eq!(y("RMB 280"), Ok(Money(28000)));
        assert_eq!(y("- 35.00"), Ok(Money(-3500)));
        assert_eq!(y("620 00"), Err(MoneyProblem::SpaceInDigits));
        assert_eq!(y("1 234.50"), Err(MoneyProblem::SpaceInDigits));
        assert_eq!(y("620\u{3000}00"), Err(MoneyProblem::SpaceInDigits));
        assert_eq!(y("620\u{a0}00"), Err(MoneyProblem::SpaceInDigits));
        assert_eq!(y("620 .00"), Err(MoneyProblem::SpaceInDigits));
        assert_eq!(y("620,00"), Err(MoneyProblem::BadComma));
    }

    #[test]
    fn not_a_number_is_not_a_precision_problem() {
        assert_eq!(y("1.2.3"), Err(MoneyProblem::NotANumber));
        assert_eq!(y("330.00 -"), Err(MoneyProblem::NotANumber));
        assert_eq!(y("330.00-"), Err(MoneyProblem::NotANumber));
        assert_eq!(y("--5"), Err(MoneyProblem::NotANumber));
        assert_eq!(y("3-30"), Err(MoneyProblem::NotANumber));
        assert_eq!(y("."), Err(MoneyProblem::NotANumber));
        assert_eq!(y("元"), Err(MoneyProblem::NotANumber));
        assert_eq!(y("1,234.5,0"), Err(MoneyProblem::BadComma));
        assert_eq!(y(".5"), Ok(Money(50)));
        assert_eq!(y("5."), Ok(Money(500)));
    }

    #[test]
    fn cells_show_the_same_fen() {
        for fen in [
            0,
            1,
            -1,
            28000,
            3_300_005,
            LIMIT_FEN,
            -LIMIT_FEN,
            123_456_789_012_345,
        ] {
            let x = Money(fen)
                .to_f64_for_cell()
                .unwrap_or_else(|| panic!("{fen}"));
            assert_eq!(format!("{x:.2}"), Money(fen).to_string());
        }
        assert_eq!(Money(LIMIT_FEN + 1).to_f64_for_cell(), None);
        assert_eq!(Money(9_223_372_036_854_775).to_f64_for_cell(), None);
        assert_eq!(Money(i64::MIN).to_f64_for_cell(), None);
        // Past 2^53 fen the binary number cannot hold every fen: the check
        // sees it even without the limit.
        let fen: i64 = 9_223_372_036_854_775;
        assert_ne!(fen_of_two_decimals(fen as f64 / 100.0), Some(fen));
    }

    #[test]
    fn number_cells() {
        assert_eq!(from_number(62000.0, AmountUnit::Fen), Ok(Money(62000)));
        assert_eq!(
            from_number(620.5, AmountUnit::Fen),
            Err(MoneyProblem::FenWithFraction)
        );
        assert_eq!(
            from_number(1234567.895, AmountUnit::Yuan),
            Err(MoneyProblem::FractionOfFen),
            "a fraction of a fen in a large amount"
        );
        assert_eq!(
            from_number(1e13, AmountUnit::Yuan),
            Err(MoneyProblem::TooLarge)
        );
        assert_eq!(
            from_number(9_999_999_999_999.99, AmountUnit::Yuan),
            Ok(Money(LIMIT_FEN))
        );
        assert_eq!(from_number(280.1, AmountUnit::Yuan), Ok(Money(28010)));
        assert_eq!(from_number(0.1 + 0.2, AmountUnit::Yuan), Ok(Money(30)));
        assert_eq!(
            from_number(280.005, AmountUnit::Yuan),
            Err(MoneyProblem::FractionOfFen)
        );
        assert_eq!(
            from_number(f64::NAN, AmountUnit::Yuan),
            Err(MoneyProblem::NotANumber)
        );
    }

    #[test]
    fn display() {
        assert_eq!(Money(28000).to_string(), "280.00");
        assert_eq!(Money(-5).to_string(), "-0.05");
        assert_eq!(Money(123456789).to_string(), "1234567.89");
        assert_eq!([Money(1), Money(2)].into_iter().sum::<Money>(), Money(3));
    }

    #[test]
    fn cells_below_the_fast_bound_show_their_fen() {
        // A spread of amounts up to 2^40 fen, with every last-two-digit
        // ending: each written with two decimals is the same fen.
        let mut fen: i64 = 1;
        while fen < (1i64 << 40) {
            for end in 0..100 {
                let m = Money::from_fen(fen - fen % 100 + end);
                let x = m.fen() as f64 / 100.0;
                assert_eq!(fen_of_two_decimals(x), Some(m.fen()), "{m}");
                assert_eq!(fen_of_two_decimals(-x), Some(-m.fen()), "-{m}");
            }
            fen = fen * 3 + 7;
        }
    }
}
