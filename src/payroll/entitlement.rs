//! Standing and amounts of one household in one month.
//!
//! Standing (SPEC §2.1): a household outside its months (`start_month`,
//! `end_month`) or stopped is inactive, even when suspended or held; a 暂停
//! household is held by the roster, even when a check-in hold also applies;
//! a household under a check-in hold from last month is held by it; any
//! other active or phasing-out household is due.
//!
//! Amounts (SPEC §3): `base + Σ subsidies × members + Σ add-ons` (re-issues
//! and adjustments are added by the payroll), where `base` is the approved
//! amount if the roster gives one, else the standard for the household's
//! size. Every computed component is rounded on its own to the policy's
//! precision; amounts taken as they are (the approved amount) are not.

use rust_decimal::Decimal;

use crate::model::date::Month;
use crate::model::money::Money;
use crate::model::policy::{Addon, Policy};
use crate::model::roster::{Household, RosterStatus};

/// Why a household is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// 暂停 on the roster.
    Roster,
    /// Held after missed check-ins (last month's `SUSPEND`).
    Checkin,
}

/// A household's standing in a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Due,
    Held(Hold),
    Inactive,
}

/// The standing of `h` in `month`; `checkin_hold`: last month's
/// reconciliation holds it for missed check-ins.
pub fn standing(h: &Household, month: Month, checkin_hold: bool) -> Standing {
    let started = h.start_month.is_none_or(|s| s <= month);
    let not_ended = h.end_month.is_none_or(|e| month <= e);
    if !started || !not_ended || h.status == RosterStatus::Stopped {
        return Standing::Inactive;
    }
    match h.status {
        RosterStatus::Suspended => Standing::Held(Hold::Roster),
        _ if checkin_hold => Standing::Held(Hold::Checkin),
        _ => Standing::Due,
    }
}

/// The computed parts of a due household's monthly amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amounts {
    pub base: Money,
    /// One amount per policy subsidy, in the policy's order.
    pub subsidies: Vec<Money>,
    /// One amount per add-on that applies, with its tag.
    pub addons: Vec<(String, Money)>,
}

impl Amounts {
    pub fn subsidies_total(&self) -> Money {
        self.subsidies.iter().copied().sum()
    }

    pub fn addons_total(&self) -> Money {
        self.addons.iter().map(|(_, m)| *m).sum()
    }

    /// base + subsidies + add-ons (before re-issues and adjustments).
    pub fn total(&self) -> Money {
        self.base + self.subsidies_total() + self.addons_total()
    }
}

/// The amounts of `h` under `policy`.
pub fn amounts(policy: &Policy, h: &Household) -> Amounts {
    let base = h
        .approved_amount
        .unwrap_or_else(|| policy.standard_base(h.members));
    let subsidies = policy
        .subsidies
        .iter()
        .map(|(_, per)| policy.times(*per, h.members))
        .collect();
    let addons = policy
        .addons
        .iter()
        .filter(|(tag, _)| h.tags.iter().any(|t| t == tag))
        .map(|(tag, addon)| {
            let amount = match addon {
                Addon::PerPerson(m) => policy.times(*m, h.members),
                Addon::PerHousehold(m) => policy.round(Decimal::from(m.fen())),
                Addon::PercentOfBase(pct) => {
                    policy.round(Decimal::from(base.fen()) * pct / Decimal::ONE_HUNDRED)
                }
            };
            (tag.clone(), amount)
        })
        .collect();
    Amounts {
        base,
        subsidies,
        addons,
    }
}

/// True when the roster's approved amount is above the standard base for
/// the household's size (可能超标准: a warning, not an error).
pub fn above_standard(policy: &Policy, h: &Household) -> bool {
    h.approved_amount
        .is_some_and(|a| a > policy.standard_base(h.members))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn household(members: u32, status: RosterStatus) -> Household {
        Household::sample("HP0001", members, status)
    }

    fn m(y: i32, mo: u32) -> Month {
        Month::new(y, mo).unwrap_or_else(|| unreachable!("a valid test month"))
    }

    #[test]
    fn standing_follows_the_precedence_of_the_spec() {
        let nov = m(2026, 11);
        let mut h = household(1, RosterStatus::Active);
        assert_eq!(standing(&h, nov, false), Standing::Due);
        assert_eq!(standing(&h, nov, true), Standing::Held(Hold::Checkin));
        h.status = RosterStatus::Suspended;
        assert_eq!(
            standing(&h, nov, true),
            Standing::Held(Hold::Roster),
            "the roster's hold wins"
        );
        h.end_month = Some(m(2026, 10));
        assert_eq!(
            standing(&h, nov, true),
            Standing::Inactive,
            "outside its months beats held"
        );
        h = household(1, RosterStatus::Stopped);
        assert_eq!(standing(&h, nov, false), Standing::Inactive);
        h = household(1, RosterStatus::PhasingOut);
        h.end_month = Some(nov);
        assert_eq!(
            standing(&h, nov, false),
            Standing::Due,
            "paid until its end month"
        );
        assert_eq!(standing(&h, m(2026, 12), false), Standing::Inactive);
        h.start_month = Some(m(2026, 12));
        assert_eq!(standing(&h, nov, false), Standing::Inactive, "not started");
    }

    #[test]
    fn amounts_of_the_default_policy() {
        let p = Policy::default();
        let one = amounts(&p, &household(1, RosterStatus::Active));
        assert_eq!(one.total(), Money::from_fen(33_000));
        let three = amounts(&p, &household(3, RosterStatus::Active));
        assert_eq!(
            (three.base, three.subsidies_total(), three.total()),
            (
                Money::from_fen(78_000),
                Money::from_fen(15_000),
                Money::from_fen(93_000)
            )
        );
        let mut approved = household(2, RosterStatus::Active);
        approved.approved_amount = Some(Money::from_fen(60_001));
        assert_eq!(
            amounts(&p, &approved).base,
            Money::from_fen(60_001),
            "taken as it is"
        );
        assert!(above_standard(&p, &approved), "600.01 > 520.00");
    }

    #[test]
    fn addons_by_tag_each_rounded() {
        let p = crate::model::policy::parse(
            "[payment]\nrounding = \"yuan\"\n[addons]\n\"重残\" = { per_person = \"50.00\" }\n\"孤老\" = { per_household = \"80.00\" }\n\"老年\" = { percent_of_base = \"12.5\" }\n",
            "p.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut h = household(1, RosterStatus::Active);
        h.tags = vec!["老年".into(), "孤老".into()];
        let a = amounts(&p, &h);
        // 12.5 % of 280.00 = 35.00; 80.00 per household; 重残 not tagged.
        assert_eq!(
            a.addons,
            vec![
                ("孤老".into(), Money::from_fen(8_000)),
                ("老年".into(), Money::from_fen(3_500))
            ]
        );
        h.approved_amount = Some(Money::from_fen(28_100));
        // 12.5 % of 281.00 = 35.125 → 35 yuan.
        assert_eq!(amounts(&p, &h).addons[1].1, Money::from_fen(3_500));
    }
}
