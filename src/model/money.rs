//! Money: exact, in fen.
//!
//! Invariant: a [`Money`] is an integer number of fen; it is printed with two
//! decimals (`1234.50`) and parsed from text through `rust_decimal`, never
//! through binary floating point. A workbook number cell is accepted only
//! when it is within a millionth of a whole fen (what Excel shows as 280.00).

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub};
use std::str::FromStr;

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

    /// The value for a workbook number cell: the last step, never used for sums.
    pub fn to_f64_for_cell(self) -> f64 {
        self.0 as f64 / 100.0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
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
    /// More than 15 digits of yuan: no payment is that large.
    TooLarge,
}

/// Parses an amount as files write it: `1,234.50`, `¥280.00`, `280元`,
/// `２８０`, `RMB 280`, `-35.00`. `unit` says whether the number is yuan or fen.
pub fn parse(text: &str, unit: AmountUnit) -> Result<Money, MoneyProblem> {
    let half = crate::ingest::normalize::halfwidth_all(text);
    let mut s: String = half
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '¥' | '￥'))
        .map(|c| if c == '，' { ',' } else { c })
        .collect();
    for suffix in ["元", "分", "CNY", "RMB", "cny", "rmb"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.to_string();
        }
    }
    for prefix in ["CNY", "RMB", "cny", "rmb"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_string();
        }
    }
    let s = s.replace('−', "-");
    if s.contains(',') {
        if !thousands_grouped(&s) {
            return Err(MoneyProblem::BadComma);
        }
        return parse(&s.replace(',', ""), unit);
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
    {
        return Err(MoneyProblem::NotANumber);
    }
    // Look at the digits before rust_decimal does: it rounds past 28 of them.
    let (int, frac) = s
        .trim_start_matches(['-', '+'])
        .split_once('.')
        .unwrap_or((s.trim_start_matches(['-', '+']), ""));
    if int.trim_start_matches('0').len() > 15 {
        return Err(MoneyProblem::TooLarge);
    }
    let kept = match unit {
        AmountUnit::Yuan => 2,
        AmountUnit::Fen => 0,
    };
    if frac.len() > kept && frac[kept..].bytes().any(|b| b != b'0') {
        return Err(match unit {
            AmountUnit::Yuan => MoneyProblem::FractionOfFen,
            AmountUnit::Fen => MoneyProblem::FenWithFraction,
        });
    }
    let d = Decimal::from_str(&s).map_err(|_| MoneyProblem::NotANumber)?;
    match unit {
        AmountUnit::Yuan => Money::from_decimal(d.normalize()).ok_or(MoneyProblem::FractionOfFen),
        AmountUnit::Fen => i64::try_from(d.trunc())
            .map(Money)
            .map_err(|_| MoneyProblem::TooLarge),
    }
}

/// `1,234.50`, `12,345,678`: commas only between groups of three digits.
fn thousands_grouped(s: &str) -> bool {
    let body = s.trim_start_matches(['-', '+']);
    let int = body.split_once('.').map_or(body, |(i, _)| i);
    let mut groups = int.split(',');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    first_ok && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads a workbook number cell as money.
pub fn from_number(x: f64, unit: AmountUnit) -> Result<Money, MoneyProblem> {
    if !x.is_finite() {
        return Err(MoneyProblem::NotANumber);
    }
    if x.abs() > 1e13 {
        return Err(MoneyProblem::TooLarge);
    }
    let scaled = match unit {
        AmountUnit::Yuan => x * 100.0,
        AmountUnit::Fen => x,
    };
    let fen = scaled.round();
    if (scaled - fen).abs() > 1e-6 * scaled.abs().max(1.0) {
        return Err(match unit {
            AmountUnit::Yuan => MoneyProblem::FractionOfFen,
            AmountUnit::Fen => MoneyProblem::FenWithFraction,
        });
    }
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
        assert_eq!(y("000000000000000000280.00"), Ok(Money(28000)));
        assert_eq!(y(""), Err(MoneyProblem::NotANumber));
        assert_eq!(parse("33000", AmountUnit::Fen), Ok(Money(33000)));
        assert_eq!(
            parse("330.5", AmountUnit::Fen),
            Err(MoneyProblem::FenWithFraction)
        );
    }

    #[test]
    fn number_cells() {
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
}
