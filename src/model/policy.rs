//! The benefit policy (SPEC §3): standards, subsidies, add-ons by tag,
//! check-in rules and payment settings, from TOML over a built-in default.
//!
//! Invariants: amounts are exact (integer fen; written as strings such as
//! `"280.00"` or as whole numbers — a TOML float is refused, it is binary);
//! a policy file need not be complete: in `[standard]`, `[checkin]` and
//! `[payment]` each given key overrides the default's, while a given
//! `[subsidies]` or `[addons]` table replaces the default's list whole; the
//! order of subsidies and add-ons is the file's. Every error names the
//! policy file's line.

use std::fmt::Write as _;
use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;
use toml::Spanned;

use super::money::{self, Money};
use crate::error::Error;
use crate::ingest::profile::AmountUnit;

/// The precision of every amount the policy computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// To the fen (0.01), half-up.
    Fen,
    /// To the whole yuan, half-up.
    Yuan,
}

/// An add-on (分类施保) for households with a tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Addon {
    /// An amount per covered person.
    PerPerson(Money),
    /// An amount per household.
    PerHousehold(Money),
    /// A percentage of the household's base.
    PercentOfBase(Decimal),
}

/// The policy in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// One-person household, per month.
    pub single: Money,
    /// Households of two or more, per person per month.
    pub per_person: Money,
    /// Per covered person per month, in order.
    pub subsidies: Vec<(String, Money)>,
    /// By tag, in order.
    pub addons: Vec<(String, Addon)>,
    /// Check-in window: days of the month, both ends included.
    pub window: (u32, u32),
    /// Days after the month's end that a late stamp still counts.
    pub grace_days: u32,
    /// Consecutive unexcused misses that trigger SUSPEND.
    pub suspend_after_missed: u32,
    pub default_bank: String,
    pub rounding: Rounding,
    /// The most one household is paid in one month (`[payment]
    /// max_household_total`): an amount above it — an approved amount, an
    /// adjustment, a bank row, a household's total — is an error, a typing
    /// slip or fen read as yuan. By default [`Policy::default_limit`].
    pub max_household_total: Money,
}

impl Default for Policy {
    /// The source community's policy (SPEC §3).
    fn default() -> Policy {
        let mut p = Policy {
            single: Money::from_fen(28_000),
            per_person: Money::from_fen(26_000),
            subsidies: vec![
                ("副食品补贴".to_string(), Money::from_fen(3_500)),
                ("生活补助费".to_string(), Money::from_fen(1_500)),
            ],
            addons: Vec::new(),
            window: (25, 28),
            grace_days: 0,
            suspend_after_missed: 1,
            default_bank: "中国农业银行".to_string(),
            rounding: Rounding::Fen,
            max_household_total: Money::ZERO,
        };
        p.max_household_total = p.default_limit();
        p
    }
}

/// How many months of a one-person household's money the default bound on
/// one household's month allows (see [`Policy::default_limit`]).
pub const LIMIT_MONTHS: i64 = 50;

impl Policy {
    /// Rounds a computed amount in fen (possibly fractional) to the policy's
    /// precision, half-up (away from zero).
    pub fn round(&self, fen: Decimal) -> Money {
        let unit = match self.rounding {
            Rounding::Fen => Decimal::ONE,
            Rounding::Yuan => Decimal::ONE_HUNDRED,
        };
        let rounded = (fen / unit)
            .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            * unit;
        Money::from_fen(rounded.to_i64().unwrap_or(i64::MAX))
    }

    /// The default of `max_household_total`: 50 times one person's month
    /// at the higher standard (`single` or `per_person`) with every subsidy —
    /// 16,500.00 under the default policy. A ten-person household (3,100.00
    /// a month) with five months re-issued stays below it; an amount typed
    /// with two extra digits, or written in fen and read as yuan (×100),
    /// goes above it for any household paid at least one person's standard.
    pub fn default_limit(&self) -> Money {
        let month = self.single.max(self.per_person)
            + self.subsidies.iter().map(|(_, m)| *m).sum::<Money>();
        Money::from_fen(
            month
                .fen()
                .saturating_mul(LIMIT_MONTHS)
                .min(money::LIMIT_FEN),
        )
    }

    /// A policy amount times `members`, rounded.
    pub fn times(&self, amount: Money, members: u32) -> Money {
        self.round(Decimal::from(amount.fen()) * Decimal::from(members))
    }

    /// The standard base of a household of `members` persons: `single` for
    /// one, `per_person × members` for more.
    pub fn standard_base(&self, members: u32) -> Money {
        if members <= 1 {
            self.round(Decimal::from(self.single.fen()))
        } else {
            self.times(self.per_person, members)
        }
    }

    /// The policy as TOML, every key written out: what `dibao policy show`
    /// prints and what a manifest records.
    pub fn to_toml(&self) -> String {
        let mut s = String::new();
        let q = |t: &str| format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""));
        let _ = writeln!(s, "[standard]");
        let _ = writeln!(s, "single = \"{}\"", self.single);
        let _ = writeln!(s, "per_person = \"{}\"", self.per_person);
        let _ = writeln!(s, "\n[subsidies]");
        for (name, amount) in &self.subsidies {
            let _ = writeln!(s, "{} = \"{amount}\"", q(name));
        }
        let _ = writeln!(s, "\n[addons]");
        for (tag, addon) in &self.addons {
            let value = match addon {
                Addon::PerPerson(m) => format!("{{ per_person = \"{m}\" }}"),
                Addon::PerHousehold(m) => format!("{{ per_household = \"{m}\" }}"),
                Addon::PercentOfBase(p) => format!("{{ percent_of_base = \"{p}\" }}"),
            };
            let _ = writeln!(s, "{} = {value}", q(tag));
        }
        let _ = writeln!(s, "\n[checkin]");
        let _ = writeln!(s, "window = [{}, {}]", self.window.0, self.window.1);
        let _ = writeln!(s, "grace_days = {}", self.grace_days);
        let _ = writeln!(s, "suspend_after_missed = {}", self.suspend_after_missed);
        let _ = writeln!(s, "\n[payment]");
        let _ = writeln!(s, "default_bank = {}", q(&self.default_bank));
        let rounding = match self.rounding {
            Rounding::Fen => "fen",
            Rounding::Yuan => "yuan",
        };
        let _ = writeln!(s, "rounding = \"{rounding}\"");
        let _ = writeln!(s, "max_household_total = \"{}\"", self.max_household_total);
        s
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    standard: Option<RawStandard>,
    subsidies: Option<toml::map::Map<String, toml::Value>>,
    addons: Option<toml::map::Map<String, toml::Value>>,
    checkin: Option<RawCheckin>,
    payment: Option<RawPayment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStandard {
    single: Option<Spanned<toml::Value>>,
    per_person: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAddon {
    per_person: Option<toml::Value>,
    per_household: Option<toml::Value>,
    percent_of_base: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheckin {
    window: Option<Spanned<Vec<u32>>>,
    grace_days: Option<Spanned<u32>>,
    suspend_after_missed: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPayment {
    default_bank: Option<Spanned<String>>,
    rounding: Option<Spanned<String>>,
    max_household_total: Option<Spanned<toml::Value>>,
}

/// Reads a policy file over the default.
///
/// # Errors
/// [`Error::Io`] when it cannot be read, [`Error::Config`] (with the line)
/// for TOML that does not parse, an unknown key or a bad value.
pub fn load(path: &Path) -> Result<Policy, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse(&text, &path.display().to_string())
}

/// The policy of a `--policy` file, or the built-in default without one.
///
/// # Errors
/// As [`load`].
pub fn load_or_default(path: Option<&Path>) -> Result<Policy, Error> {
    path.map_or_else(|| Ok(Policy::default()), load)
}

/// Parses policy text over the default; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Policy, Error> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let err = |offset: usize, message: String| Error::Config {
        file: file.to_string(),
        line: line_of(offset),
        message,
    };
    let raw: RawPolicy = toml::from_str(text)
        .map_err(|e| err(e.span().map_or(0, |s| s.start), e.message().to_string()))?;
    // Spans of keys inside a table read as a map are not kept: find the key's line.
    let key_offset = |table: &str, key: &str| -> usize {
        let header = format!("[{table}]");
        let start = text.find(&header).unwrap_or(0);
        text[start..]
            .lines()
            .scan(start, |pos, line| {
                let here = *pos;
                *pos += line.len() + 1;
                Some((here, line))
            })
            .find(|(_, line)| {
                let l = line.trim_start();
                l.starts_with(key) || l.starts_with(&format!("\"{key}\""))
            })
            .map_or(start, |(pos, _)| pos)
    };
    let amount = |v: &toml::Value, offset: usize, what: &str| -> Result<Money, Error> {
        let m = match v {
            toml::Value::String(s) => money::parse(s, AmountUnit::Yuan).map_err(|_| {
                err(
                    offset,
                    format!("{what}: {s:?} is not an amount in yuan with at most two decimals"),
                )
            }),
            toml::Value::Integer(i) => Ok(Money::from_fen(i.saturating_mul(100))),
            toml::Value::Float(f) => Err(err(
                offset,
                format!(
                    "{what}: write the amount {f} as a string, \"{f:.2}\": a TOML number with a point is not exact"
                ),
            )),
            other => Err(err(offset, format!("{what}: {other} is not an amount"))),
        }?;
        if m.is_negative() {
            return Err(err(offset, format!("{what}: the amount {m} is negative")));
        }
        Ok(m)
    };
    let mut p = Policy::default();
    if let Some(st) = raw.standard {
        if let Some(v) = st.single {
            p.single = amount(v.get_ref(), v.span().start, "standard.single")?;
        }
        if let Some(v) = st.per_person {
            p.per_person = amount(v.get_ref(), v.span().start, "standard.per_person")?;
        }
    }
    if let Some(table) = raw.subsidies {
        p.subsidies.clear();
        for (name, v) in table {
            let offset = key_offset("subsidies", &name);
            p.subsidies.push((
                name.clone(),
                amount(&v, offset, &format!("subsidies.{name}"))?,
            ));
        }
    }
    if let Some(table) = raw.addons {
        p.addons.clear();
        for (tag, v) in table {
            let offset = key_offset("addons", &tag);
            let what = format!("addons.{tag}");
            let addon: RawAddon = v
                .try_into()
                .map_err(|e: toml::de::Error| err(offset, format!("{what}: {}", e.message())))?;
            let given = [
                addon.per_person.is_some(),
                addon.per_household.is_some(),
                addon.percent_of_base.is_some(),
            ];
            if given.iter().filter(|&&g| g).count() != 1 {
                return Err(err(
                    offset,
                    format!(
                        "{what}: give exactly one of per_person, per_household, percent_of_base"
                    ),
                ));
            }
            let parsed = if let Some(v) = addon.per_person {
                Addon::PerPerson(amount(&v, offset, &what)?)
            } else if let Some(v) = addon.per_household {
                Addon::PerHousehold(amount(&v, offset, &what)?)
            } else if let Some(v) = addon.percent_of_base {
                let pct = match &v {
                    toml::Value::String(s) => s.trim().parse::<Decimal>().ok(),
                    toml::Value::Integer(i) => Some(Decimal::from(*i)),
                    _ => None,
                };
                match pct {
                    Some(d) if d >= Decimal::ZERO && d <= Decimal::ONE_HUNDRED => {
                        Addon::PercentOfBase(d.normalize())
                    }
                    _ => {
                        return Err(err(
                            offset,
                            format!(
                                "{what}: percent_of_base must be a number from 0 to 100 written as a string (\"12.5\")"
                            ),
                        ));
                    }
                }
            } else {
                return Err(err(
                    offset,
                    format!(
                        "{what}: give exactly one of per_person, per_household, percent_of_base"
                    ),
                ));
            };
            p.addons.push((tag, parsed));
        }
    }
    if let Some(c) = raw.checkin {
        if let Some(w) = c.window {
            match w.get_ref().as_slice() {
                &[a, b] if (1..=31).contains(&a) && (a..=31).contains(&b) => p.window = (a, b),
                _ => return Err(err(
                    w.span().start,
                    "checkin.window must be [first, last] days of the month, 1 to 31, first ≤ last"
                        .into(),
                )),
            }
        }
        if let Some(g) = c.grace_days {
            if *g.get_ref() > 31 {
                return Err(err(
                    g.span().start,
                    "checkin.grace_days must be 0 to 31".into(),
                ));
            }
            p.grace_days = *g.get_ref();
        }
        if let Some(n) = c.suspend_after_missed {
            if *n.get_ref() == 0 {
                return Err(err(
                    n.span().start,
                    "checkin.suspend_after_missed must be at least 1".into(),
                ));
            }
            p.suspend_after_missed = *n.get_ref();
        }
    }
    let mut limit = None;
    if let Some(pay) = raw.payment {
        if let Some(v) = pay.max_household_total {
            let m = amount(v.get_ref(), v.span().start, "payment.max_household_total")?;
            if m == Money::ZERO || m.fen() > money::LIMIT_FEN {
                return Err(err(
                    v.span().start,
                    format!(
                        "payment.max_household_total must be above 0.00 and at most {}",
                        Money::from_fen(money::LIMIT_FEN)
                    ),
                ));
            }
            limit = Some(m);
        }
        if let Some(b) = pay.default_bank {
            if b.get_ref().trim().is_empty() {
                return Err(err(
                    b.span().start,
                    "payment.default_bank must not be empty".into(),
                ));
            }
            p.default_bank = b.get_ref().trim().to_string();
        }
        if let Some(r) = pay.rounding {
            p.rounding = match r.get_ref().as_str() {
                "fen" => Rounding::Fen,
                "yuan" => Rounding::Yuan,
                other => {
                    return Err(err(
                        r.span().start,
                        format!("payment.rounding {other:?} is not \"fen\" or \"yuan\""),
                    ));
                }
            };
        }
    }
    // Not given: follows the standard and subsidies this file sets.
    p.max_household_total = limit.unwrap_or_else(|| p.default_limit());
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fen(n: i64) -> Money {
        Money::from_fen(n)
    }

    #[test]
    fn the_default_is_the_source_communitys() {
        let p = Policy::default();
        assert_eq!(p.standard_base(1), fen(28_000));
        assert_eq!(p.standard_base(3), fen(78_000));
        assert_eq!(parse("", "p.toml").unwrap(), p);
        // What `policy show` prints reads back as the same policy.
        assert_eq!(parse(&p.to_toml(), "p.toml").unwrap(), p);
    }

    #[test]
    fn partial_files_override_key_by_key_and_replace_lists() {
        let p = parse(
            "[standard]\nper_person = \"300.00\"\n[subsidies]\n\"取暖费\" = \"20.00\"\n[addons]\n\"重残\" = { per_person = \"50.00\" }\n\"老年\" = { percent_of_base = \"12.5\" }\n[checkin]\ngrace_days = 3\n",
            "p.toml",
        )
        .unwrap();
        assert_eq!(p.single, fen(28_000), "kept");
        assert_eq!(p.per_person, fen(30_000));
        assert_eq!(
            p.subsidies,
            vec![("取暖费".to_string(), fen(2_000))],
            "replaced whole"
        );
        assert_eq!(p.addons.len(), 2);
        assert_eq!(p.addons[1].1, Addon::PercentOfBase(Decimal::new(125, 1)));
        assert_eq!((p.window, p.grace_days), ((25, 28), 3));
        assert_eq!(parse(&p.to_toml(), "p.toml").unwrap(), p);
    }

    #[test]
    fn the_bound_on_one_households_month() {
        assert_eq!(Policy::default().max_household_total, fen(1_650_000));
        // Not given: follows the file's standard and subsidies.
        let p = parse(
            "[standard]\nper_person = \"300.00\"\n[subsidies]\n",
            "p.toml",
        )
        .unwrap();
        assert_eq!(p.max_household_total, fen(1_500_000));
        let p = parse("[payment]\nmax_household_total = \"20000\"\n", "p.toml").unwrap();
        assert_eq!(p.max_household_total, fen(2_000_000));
        let p = parse("[payment]\nmax_household_total = 20000\n", "p.toml").unwrap();
        assert_eq!(p.max_household_total, fen(2_000_000));
        assert_eq!(parse(&p.to_toml(), "p.toml").unwrap(), p);
    }

    #[test]
    fn rounding_each_component_half_up() {
        let mut p = Policy::default();
        assert_eq!(
            p.round(Decimal::new(12345, 1)),
            fen(1235),
            "1234.5 fen → 1235"
        );
        p.rounding = Rounding::Yuan;
        assert_eq!(p.round(Decimal::from(28_050)), fen(28_100), "280.50 → 281");
        assert_eq!(p.round(Decimal::from(28_049)), fen(28_000));
        assert_eq!(p.times(fen(3_550), 3), fen(10_700), "106.50 → 107");
    }

    #[test]
    fn errors_name_the_line() {
        let line = |text: &str| match parse(text, "p.toml") {
            Err(Error::Config { line, message, .. }) => (line, message),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            line("[standard]\nsingle = \"280.00\"\nsinge = \"1\"\n").0,
            3
        );
        assert_eq!(line("[standard]\n\nsingle = 280.5\n").0, 3);
        assert_eq!(line("[payment]\nrounding = \"jiao\"\n").0, 2);
        assert_eq!(line("[checkin]\nwindow = [28, 25]\n").0, 2);
        assert_eq!(
            line("[subsidies]\n\"副食品补贴\" = \"35.00\"\n\"生活补助费\" = \"x\"\n").0,
            3
        );
        assert_eq!(
            line("[addons]\n\"孤老\" = { per_household = \"80.00\", per_person = \"1\" }\n").0,
            2
        );
        assert_eq!(
            line("[addons]\n\"老年\" = { percent_of_base = \"150\" }\n").0,
            2
        );
        assert_eq!(line("[standard]\nsingle = \"-1\"\n").0, 2);
        assert_eq!(line("[payment]\nmax_household_total = \"0\"\n").0, 2);
        assert_eq!(
            line("[payment]\n\nmax_household_total = \"99999999999999\"\n").0,
            3
        );
    }
}
