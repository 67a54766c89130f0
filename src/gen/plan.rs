//! The plan of one household: every random choice the generator makes for
//! it, and what the reconciliation must conclude about it.
//!
//! A household's plan depends only on the seed, its index and the anomaly it
//! was given: each household draws from its own ChaCha8 stream (stream number
//! = index), so a plan can be rebuilt at any time without replaying the
//! households before it.

use chrono::{Datelike, NaiveDate};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::names::{
    BANKS, Bank, CHANGES, COMMON_SURNAMES, COMPOUND_SURNAMES, EXCUSES, FAIL_REASONS, GIVEN,
    HANDLERS, MINORITY_FIRST, MINORITY_SECOND, REGIONS, SURNAMES,
};
use super::table::{DateStyle, push_num};
use crate::error::Error;
use crate::model::account::luhn_check_digit;
use crate::model::date::Month;
use crate::model::idcard::check_char;

/// The injected anomaly kinds, in the order they are handed out (bank-side and
/// check-in kinds interleaved, so that a small sample still sees both sides).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Anomaly {
    Failed,
    Late,
    Missing,
    Missed,
    Underpaid,
    Early,
    Overpaid,
    Excused,
    Duplicate,
    ChangeReported,
    Retried,
    ReportedAmountDiffers,
    UnexpectedRow,
    MatchedById,
    UnexpectedFailedRow,
    AccountChanged,
    UnexpectedHousehold,
    NameMismatch,
    Unreadable,
}

impl Anomaly {
    pub(super) const ALL: [Anomaly; 19] = [
        Anomaly::Failed,
        Anomaly::Late,
        Anomaly::Missing,
        Anomaly::Missed,
        Anomaly::Underpaid,
        Anomaly::Early,
        Anomaly::Overpaid,
        Anomaly::Excused,
        Anomaly::Duplicate,
        Anomaly::ChangeReported,
        Anomaly::Retried,
        Anomaly::ReportedAmountDiffers,
        Anomaly::UnexpectedRow,
        Anomaly::MatchedById,
        Anomaly::UnexpectedFailedRow,
        Anomaly::AccountChanged,
        Anomaly::UnexpectedHousehold,
        Anomaly::NameMismatch,
        Anomaly::Unreadable,
    ];

    /// The code written in `truth.csv`'s `anomaly` column.
    pub(super) fn code(self) -> &'static str {
        match self {
            Anomaly::Failed => "FAILED",
            Anomaly::Missing => "MISSING",
            Anomaly::Underpaid => "UNDERPAID",
            Anomaly::Overpaid => "OVERPAID",
            Anomaly::Duplicate => "DUPLICATE",
            Anomaly::Retried => "RETRIED",
            Anomaly::UnexpectedRow => "UNEXPECTED_ROW",
            Anomaly::UnexpectedFailedRow => "UNEXPECTED_FAILED_ROW",
            Anomaly::UnexpectedHousehold => "UNEXPECTED_HOUSEHOLD",
            Anomaly::Unreadable => "UNREADABLE",
            Anomaly::MatchedById => "MATCHED_BY_ID",
            Anomaly::AccountChanged => "ACCOUNT_CHANGED",
            Anomaly::NameMismatch => "NAME_MISMATCH",
            Anomaly::Late => "LATE",
            Anomaly::Early => "EARLY",
            Anomaly::Excused => "EXCUSED",
            Anomaly::Missed => "MISSED",
            Anomaly::ChangeReported => "CHANGE_REPORTED",
            Anomaly::ReportedAmountDiffers => "REPORTED_AMOUNT_DIFFERS",
        }
    }

    fn is_checkin(self) -> bool {
        matches!(
            self,
            Anomaly::Late
                | Anomaly::Early
                | Anomaly::Excused
                | Anomaly::Missed
                | Anomaly::ChangeReported
                | Anomaly::ReportedAmountDiffers
        )
    }

    /// Kinds whose household keeps its random roster attributes: the anomaly
    /// is an extra bank row placed after the household's own rows.
    pub(super) fn is_stray_row(self) -> bool {
        matches!(self, Anomaly::UnexpectedRow | Anomaly::UnexpectedFailedRow)
    }
}

/// How the month stands for a household (SPEC §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Standing {
    Due,
    Held,
    Inactive,
}

/// A person's name, kept as pieces of the fixed vocabularies.
#[derive(Clone, Copy, Debug)]
pub(super) enum Name {
    Han {
        surname: &'static str,
        first: &'static str,
        second: Option<&'static str>,
    },
    Minority {
        first: &'static str,
        second: &'static str,
    },
}

impl Name {
    fn random(rng: &mut ChaCha8Rng) -> Name {
        let roll = rng.random_range(0..1000u32);
        if roll < 10 {
            return Name::Minority {
                first: pick(rng, MINORITY_FIRST),
                second: pick(rng, MINORITY_SECOND),
            };
        }
        let surname = if roll < 25 {
            pick(rng, COMPOUND_SURNAMES)
        } else if roll < 520 {
            pick(rng, COMMON_SURNAMES)
        } else {
            pick(rng, SURNAMES)
        };
        let first = pick(rng, GIVEN);
        let second = (rng.random_range(0..100u32) < 70).then(|| pick(rng, GIVEN));
        Name::Han {
            surname,
            first,
            second,
        }
    }

    /// The same name with its last character (or, for a minority name, its
    /// second part) replaced by a different one: a typo or a homophone.
    fn altered(self, rng: &mut ChaCha8Rng) -> Name {
        match self {
            Name::Han {
                surname,
                first,
                second,
            } => {
                let last = second.unwrap_or(first);
                let mut other = pick(rng, GIVEN);
                while other == last {
                    other = pick(rng, GIVEN);
                }
                match second {
                    Some(_) => Name::Han {
                        surname,
                        first,
                        second: Some(other),
                    },
                    None => Name::Han {
                        surname,
                        first: other,
                        second: None,
                    },
                }
            }
            Name::Minority { first, second } => {
                let mut other = pick(rng, MINORITY_SECOND);
                while other == second {
                    other = pick(rng, MINORITY_SECOND);
                }
                Name::Minority {
                    first,
                    second: other,
                }
            }
        }
    }

    pub(super) fn write(self, out: &mut String) {
        match self {
            Name::Han {
                surname,
                first,
                second,
            } => {
                out.push_str(surname);
                out.push_str(first);
                if let Some(s) = second {
                    out.push_str(s);
                }
            }
            Name::Minority { first, second } => {
                out.push_str(first);
                out.push('·');
                out.push_str(second);
            }
        }
    }
}

/// What a recipient reports as received (领取金额).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Reported {
    Empty,
    /// The amount actually paid (`0.00` when nothing was paid).
    Paid,
}

/// Every random choice made for one household.
#[derive(Clone, Debug)]
pub(super) struct Household {
    pub index: usize,
    pub anomaly: Option<Anomaly>,
    /// The anomaly's ordinal among all injected anomalies: indexes the extra
    /// accounts and IDs (`households + ordinal`), so they never collide.
    pub ordinal: u64,
    pub name: Name,
    pub bank: usize,
    /// `Some(k)`: the account's check digit is shifted by `k` (1–9), so it
    /// fails Luhn.
    pub luhn_bad: Option<u8>,
    /// 户名 written out (equal to the head's name) rather than left empty.
    pub account_name_filled: bool,
    pub community: usize,
    pub class: &'static str,
    pub tags: &'static str,
    pub members: u32,
    pub approved: Option<i64>,
    pub status: &'static str,
    pub start: Option<Month>,
    pub end: Option<Month>,
    pub home_visit: &'static str,
    pub standing: Standing,
    /// The month's amount by the default policy (fen), whether due or not.
    pub amount: i64,
    // Bank-side choices.
    pub fail_reason: &'static str,
    pub delta: i64,
    pub other_name: Name,
    pub stranger_name: Name,
    pub stranger_amount: i64,
    pub stranger_reference: u8,
    pub unreadable_status: bool,
    // Check-in choices.
    pub checkin_day: u32,
    pub method: &'static str,
    pub month_filled: bool,
    pub date_style: DateStyle,
    pub reported: Reported,
    pub no_change: &'static str,
    pub handler: &'static str,
    pub change: &'static str,
    pub excuse: &'static str,
    pub stray_checkin: bool,
}

/// Outcome of a bank row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    Success,
    Failed,
    /// A status no vocabulary knows (`待处理`): the row is unreadable.
    Pending,
}

/// Whose account, name and ID a bank row carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Party {
    /// The roster's account, account name and head ID.
    Roster,
    /// The roster's name and head ID with a new account (number `households + ordinal`).
    NewAccount,
    /// The roster's account and ID with an altered 户名.
    OtherName,
    /// Someone not on the roster (account and ID number `households + ordinal`).
    Stranger,
}

/// What the 备注 column says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Reference {
    /// `<household_id> <month>`.
    Household,
    Empty,
    /// A text that names no household.
    Other(&'static str),
}

/// One bank row to write.
#[derive(Clone, Copy, Debug)]
pub(super) struct BankRow {
    pub party: Party,
    pub amount: i64,
    /// The amount is written with a letter O for a zero (`33O.00`).
    pub garbled: bool,
    pub outcome: Outcome,
    pub reason: &'static str,
    pub reference: Reference,
}

/// Flags in SPEC §5.3 order.
pub(super) const FLAG_NAMES: [&str; 7] = [
    "CHECKIN_HOLD",
    "MATCHED_BY_ID",
    "ACCOUNT_CHANGED",
    "RETRIED",
    "NAME_MISMATCH",
    "REPORTED_AMOUNT_DIFFERS",
    "CHANGE_REPORTED",
];
pub(super) const F_MATCHED_BY_ID: u8 = 1 << 1;
pub(super) const F_ACCOUNT_CHANGED: u8 = 1 << 2;
pub(super) const F_RETRIED: u8 = 1 << 3;
pub(super) const F_NAME_MISMATCH: u8 = 1 << 4;
pub(super) const F_REPORTED_AMOUNT_DIFFERS: u8 = 1 << 5;
pub(super) const F_CHANGE_REPORTED: u8 = 1 << 6;

/// Actions in SPEC §5.3 order.
pub(super) const ACTION_NAMES: [&str; 5] = ["REISSUE", "TOP_UP", "RECOVER", "SUSPEND", "REVIEW"];
pub(super) const A_REISSUE: u8 = 1;
pub(super) const A_TOP_UP: u8 = 1 << 1;
pub(super) const A_RECOVER: u8 = 1 << 2;
pub(super) const A_SUSPEND: u8 = 1 << 3;
pub(super) const A_REVIEW: u8 = 1 << 4;

/// The expected ledger row of a household (without its bank line numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Truth {
    pub status: &'static str,
    pub checkin: &'static str,
    pub flags: u8,
    pub actions: u8,
    pub expected: Option<i64>,
    pub paid: Option<i64>,
}

/// The expected ledger row of an extra bank row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ExtraTruth {
    pub kind: Anomaly,
    /// The household the row still names (DUPLICATE, UNREADABLE).
    pub household: Option<usize>,
    pub status: &'static str,
    pub actions: u8,
    pub paid: Option<i64>,
}

/// One check-in record to write.
#[derive(Clone, Copy, Debug)]
pub(super) struct CheckinRow {
    pub date: Option<NaiveDate>,
    pub style: DateStyle,
    pub month: bool,
    pub method: &'static str,
    pub reported: Option<i64>,
    pub changes: &'static str,
    pub excuse: &'static str,
    pub handler: &'static str,
}

const BIRTH_FIRST: (i32, u32, u32) = (1930, 1, 1);
const BIRTH_LAST: (i32, u32, u32) = (2008, 12, 31);
/// Sequence numbers 001–999 per region and birth date.
const SEQS: u128 = 999;

/// Seed-derived constants shared by every household.
pub(super) struct Planner {
    pub month: Month,
    pub households: usize,
    key: [u8; 32],
    birth_base: NaiveDate,
    birth_days: u128,
    id_cap: u128,
    id_mul: u128,
    id_add: u128,
    /// (multiplier, offset) of the account body for bodies of 9–12 digits.
    account_keys: [(u128, u128); 4],
    pub kinds: Vec<Anomaly>,
}

/// The checked-in window of the default policy (SPEC §3).
pub(super) const WINDOW: (u32, u32) = (25, 28);

impl Planner {
    pub(super) fn new(month: Month, households: usize, seed: u64) -> Result<Planner, Error> {
        let mut master = ChaCha8Rng::seed_from_u64(seed);
        let key: [u8; 32] = master.random();
        let date = |(y, m, d): (i32, u32, u32)| {
            NaiveDate::from_ymd_opt(y, m, d)
                .ok_or_else(|| Error::Usage(format!("internal: bad date {y}-{m}-{d}")))
        };
        let birth_base = date(BIRTH_FIRST)?;
        let birth_days = (date(BIRTH_LAST)? - birth_base).num_days() as u128 + 1;
        let id_cap = REGIONS.len() as u128 * birth_days * SEQS;
        let id_mul = coprime(u128::from(master.random::<u64>()) % id_cap, id_cap);
        let id_add = u128::from(master.random::<u64>()) % id_cap;
        let mut account_keys = [(1, 0); 4];
        for (digits, slot) in (9u32..=12).zip(account_keys.iter_mut()) {
            let cap = 10u128.pow(digits);
            let mul = coprime(u128::from(master.random::<u64>()) % cap, cap);
            *slot = (mul, u128::from(master.random::<u64>()) % cap);
        }
        let late_possible = month.last_day().day() > WINDOW.1;
        let kinds = Anomaly::ALL
            .into_iter()
            .filter(|k| *k != Anomaly::Late || late_possible)
            .collect();
        Ok(Planner {
            month,
            households,
            key,
            birth_base,
            birth_days,
            id_cap,
            id_mul,
            id_add,
            account_keys,
            kinds,
        })
    }

    /// How many distinct ID numbers (and short account numbers) exist: the
    /// roster plus the extra rows must fit.
    pub(super) fn capacity(&self) -> u128 {
        self.id_cap.min(10u128.pow(9))
    }

    /// The selection stream: chooses which households get an anomaly.
    pub(super) fn selector(&self, anomalies: u64) -> Selector {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream(u64::MAX);
        Selector {
            rng,
            left_n: self.households as u64,
            left_k: anomalies,
            picked: 0,
        }
    }

    /// Writes the 18-character ID number of person `index` (households
    /// first, then the extra people of anomalies). An affine bijection of
    /// the index over (region, birth date, sequence) keeps every ID unique.
    pub(super) fn id_number(&self, index: u64, out: &mut String) {
        let k = (u128::from(index) * self.id_mul + self.id_add) % self.id_cap;
        let per_region = self.birth_days * SEQS;
        let region = (k / per_region) as usize;
        let rem = k % per_region;
        let days = (rem / SEQS) as u64;
        let seq = rem % SEQS + 1;
        let birth = self
            .birth_base
            .checked_add_days(chrono::Days::new(days))
            .unwrap_or(self.birth_base);
        out.clear();
        out.push_str(REGIONS.get(region).copied().unwrap_or(REGIONS[0]));
        push_num(out, u64::from(birth.year().unsigned_abs()), 4);
        push_num(out, u64::from(birth.month()), 2);
        push_num(out, u64::from(birth.day()), 2);
        push_num(out, seq as u64, 3);
        let c = check_char(out.as_bytes());
        out.push(char::from(c));
    }

    /// Writes the account number of `index` at `bank`: the bank's BIN, a body
    /// that is an affine bijection of the index, and a Luhn check digit
    /// (shifted by `luhn_bad` when given). Unique per bank and index.
    pub(super) fn account(&self, bank: &Bank, index: u64, luhn_bad: Option<u8>, out: &mut String) {
        let digits = bank.len - 7;
        let (mul, add) = self.account_keys[digits - 9];
        let cap = 10u128.pow(digits as u32);
        let body = (u128::from(index) * mul + add) % cap;
        out.clear();
        out.push_str(bank.bin);
        push_num(out, body as u64, digits);
        let mut c = luhn_check_digit(out);
        if let Some(k) = luhn_bad {
            c = b'0' + (c - b'0' + k) % 10;
        }
        out.push(char::from(c));
    }

    /// The plan of household `index` (0-based), given its anomaly.
    pub(super) fn household(&self, index: usize, anomaly: Option<(Anomaly, u64)>) -> Household {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream(index as u64);
        let m = self.month;
        let (kind, ordinal) = match anomaly {
            Some((k, o)) => (Some(k), o),
            None => (None, 0),
        };

        let name = Name::random(&mut rng);
        let bank = pick_weighted(&mut rng, BANKS.iter().map(|b| b.weight));
        let luhn_bad = (rng.random_range(0..1000u32) < 5).then(|| rng.random_range(1..=9u8));
        let account_name_filled = rng.random_range(0..100u32) < 20;
        let community = (index * super::names::COMMUNITIES.len())
            .checked_div(self.households)
            .unwrap_or(0);
        let class = ["A", "B", "B", "C", "B"][rng.random_range(0..5u32) as usize];
        let tags = match rng.random_range(0..100u32) {
            0..8 => "老年",
            8..11 => "重残",
            11 => "老年;重残",
            _ => "",
        };
        let members = match rng.random_range(0..100u32) {
            0..40 => 1,
            40..70 => 2,
            70..87 => 3,
            87..95 => 4,
            95..98 => 5,
            _ => 6,
        };
        let standard = if members == 1 {
            28_000
        } else {
            26_000 * i64::from(members)
        };
        let approved = (rng.random_range(0..100u32) < 5)
            .then(|| standard - 1_000 * i64::from(rng.random_range(1..=10u32)));
        let amount = approved.unwrap_or(standard) + 5_000 * i64::from(members);

        let past = |rng: &mut ChaCha8Rng| Some(shift(m, -rng.random_range(1..=120i32)));
        let (status, start, end) = match kind {
            Some(Anomaly::UnexpectedHousehold) => ("暂停", past(&mut rng), None),
            Some(k) if !k.is_stray_row() => ("在保", past(&mut rng), None),
            _ => match rng.random_range(0..1000u32) {
                0..20 => ("暂停", past(&mut rng), None),
                20..40 => {
                    let end = shift(m, -rng.random_range(1..=12i32));
                    (
                        "停保",
                        Some(shift(end, -rng.random_range(0..=36i32))),
                        Some(end),
                    )
                }
                40..60 => {
                    let start = shift(m, -rng.random_range(6..=60i32));
                    (
                        "渐退",
                        Some(start),
                        Some(shift(m, rng.random_range(0..=5i32))),
                    )
                }
                60..65 => {
                    let end = shift(m, -rng.random_range(1..=6i32));
                    (
                        "渐退",
                        Some(shift(end, -rng.random_range(6..=36i32))),
                        Some(end),
                    )
                }
                65..70 => ("在保", Some(m), None),
                70..75 => ("在保", Some(shift(m, rng.random_range(1..=2i32))), None),
                75..85 => ("正常", past(&mut rng), None),
                85..135 => ("在保", None, None),
                _ => ("在保", past(&mut rng), None),
            },
        };
        let standing = standing(status, start, end, m);
        let mut home_visit = match rng.random_range(0..100u32) {
            0..3 => "是",
            3..50 => "否",
            _ => "",
        };
        if kind.is_some_and(Anomaly::is_checkin) && home_visit == "是" {
            home_visit = "否";
        }

        let fail_reason = pick(&mut rng, FAIL_REASONS);
        let delta = match kind {
            Some(Anomaly::Underpaid) => [
                1_500 * i64::from(members),
                3_500 * i64::from(members),
                5_000,
                10_000,
            ][rng.random_range(0..4u32) as usize],
            Some(Anomaly::Overpaid) => [26_000, 5_000, 1_500 * i64::from(members), 10_000]
                [rng.random_range(0..4u32) as usize],
            _ => [5_000, 1_500 * i64::from(members), 26_000.min(amount / 2)]
                [rng.random_range(0..3u32) as usize],
        };
        let other_name = name.altered(&mut rng);
        let stranger_name = Name::random(&mut rng);
        let stranger_members = rng.random_range(1..=3u32);
        let stranger_amount = if stranger_members == 1 {
            33_000
        } else {
            31_000 * i64::from(stranger_members)
        };
        let stranger_reference = rng.random_range(0..3u8);
        // UNREADABLE alternates between its two forms, so both appear as soon
        // as the kind comes round twice.
        let unreadable_status = (ordinal / self.kinds.len().max(1) as u64) % 2 == 1;

        let last = m.last_day().day();
        let checkin_day = match kind {
            Some(Anomaly::Late) => rng.random_range(WINDOW.1 + 1..=last.max(WINDOW.1 + 1)),
            Some(Anomaly::Early) => rng.random_range(15..WINDOW.0),
            _ if home_visit == "是" => rng.random_range(5..=WINDOW.1.min(last)),
            _ => rng.random_range(WINDOW.0..=WINDOW.1.min(last)),
        };
        let method = match rng.random_range(0..100u32) {
            0..5 => "代签",
            5..10 => "到站",
            _ => "本人",
        };
        let month_filled = rng.random_range(0..100u32) < 70;
        let date_style = match rng.random_range(0..100u32) {
            0..8 => DateStyle::Slash,
            8..16 => DateStyle::Chinese,
            16..20 => DateStyle::Compact,
            _ => DateStyle::Iso,
        };
        let reported = if rng.random_range(0..2u32) == 0 {
            Reported::Empty
        } else {
            Reported::Paid
        };
        let no_change = if rng.random_range(0..2u32) == 0 {
            "无"
        } else {
            ""
        };
        let handler = pick(&mut rng, HANDLERS);
        let change = pick(&mut rng, CHANGES);
        let excuse = pick(&mut rng, EXCUSES);
        let stray_checkin = kind.is_none() && rng.random_range(0..10u32) == 0;

        Household {
            index,
            anomaly: kind,
            ordinal,
            name,
            bank,
            luhn_bad,
            account_name_filled,
            community,
            class,
            tags,
            members,
            approved,
            status,
            start,
            end,
            home_visit,
            standing,
            amount,
            fail_reason,
            delta,
            other_name,
            stranger_name,
            stranger_amount,
            stranger_reference,
            unreadable_status,
            checkin_day,
            method,
            month_filled,
            date_style,
            reported,
            no_change,
            handler,
            change,
            excuse,
            stray_checkin,
        }
    }
}

impl Household {
    /// The bank rows written at the household's place in the bank file (roster
    /// order): its own row, if any, then a stranger's row for the
    /// UNEXPECTED_ROW kinds.
    pub(super) fn main_rows(&self) -> [Option<BankRow>; 2] {
        let pay = |amount| BankRow {
            party: Party::Roster,
            amount,
            garbled: false,
            outcome: Outcome::Success,
            reason: "",
            reference: Reference::Household,
        };
        let failed = BankRow {
            outcome: Outcome::Failed,
            reason: self.fail_reason,
            ..pay(self.amount)
        };
        let own = match (self.standing, self.anomaly) {
            (Standing::Held, Some(Anomaly::UnexpectedHousehold)) => Some(pay(self.amount)),
            (Standing::Due, Some(Anomaly::Failed | Anomaly::Retried)) => Some(failed),
            (Standing::Due, Some(Anomaly::Missing)) => None,
            (Standing::Due, Some(Anomaly::Underpaid)) => Some(pay(self.amount - self.delta)),
            (Standing::Due, Some(Anomaly::Overpaid)) => Some(pay(self.amount + self.delta)),
            (Standing::Due, Some(Anomaly::Unreadable)) => Some(BankRow {
                garbled: !self.unreadable_status,
                outcome: if self.unreadable_status {
                    Outcome::Pending
                } else {
                    Outcome::Success
                },
                ..pay(self.amount)
            }),
            (Standing::Due, Some(Anomaly::MatchedById)) => Some(BankRow {
                party: Party::NewAccount,
                reference: Reference::Empty,
                ..pay(self.amount)
            }),
            (Standing::Due, Some(Anomaly::AccountChanged)) => Some(BankRow {
                party: Party::NewAccount,
                ..pay(self.amount)
            }),
            (Standing::Due, Some(Anomaly::NameMismatch)) => Some(BankRow {
                party: Party::OtherName,
                ..pay(self.amount)
            }),
            (Standing::Due, _) => Some(pay(self.amount)),
            _ => None,
        };
        let stray = match self.anomaly {
            Some(k @ (Anomaly::UnexpectedRow | Anomaly::UnexpectedFailedRow)) => Some(BankRow {
                party: Party::Stranger,
                amount: self.stranger_amount,
                garbled: false,
                outcome: if k == Anomaly::UnexpectedRow {
                    Outcome::Success
                } else {
                    Outcome::Failed
                },
                reason: if k == Anomaly::UnexpectedRow {
                    ""
                } else {
                    self.fail_reason
                },
                reference: match self.stranger_reference {
                    0 => Reference::Empty,
                    1 => Reference::Other("临时救助"),
                    _ => Reference::Other("代发"),
                },
            }),
            _ => None,
        };
        match own {
            Some(_) => [own, stray],
            None => [stray, None],
        }
    }

    /// The bank row written in the trailing batch at the end of the bank
    /// file: the re-run of a RETRIED payment or the second DUPLICATE payment.
    pub(super) fn end_row(&self) -> Option<BankRow> {
        match (self.standing, self.anomaly) {
            (Standing::Due, Some(Anomaly::Retried | Anomaly::Duplicate)) => Some(BankRow {
                party: Party::Roster,
                amount: self.amount,
                garbled: false,
                outcome: Outcome::Success,
                reason: "",
                reference: Reference::Household,
            }),
            _ => None,
        }
    }

    /// The expected ledger row of the household (SPEC §5.3).
    pub(super) fn truth(&self) -> Truth {
        let not_due = |status| Truth {
            status,
            checkin: "NOT_DUE",
            flags: 0,
            actions: 0,
            expected: None,
            paid: None,
        };
        match self.standing {
            Standing::Held if self.anomaly == Some(Anomaly::UnexpectedHousehold) => Truth {
                status: "UNEXPECTED",
                actions: A_RECOVER,
                paid: Some(self.amount),
                ..not_due("")
            },
            Standing::Held => not_due("HELD"),
            Standing::Inactive => not_due("INACTIVE"),
            Standing::Due => {
                let a = self.amount;
                let (status, paid, mut flags, mut actions) = match self.anomaly {
                    Some(Anomaly::Failed) => ("FAILED", None, 0, A_REISSUE),
                    Some(Anomaly::Missing) => ("MISSING", None, 0, A_REISSUE),
                    Some(Anomaly::Unreadable) => ("MISSING", None, 0, A_REVIEW),
                    Some(Anomaly::Underpaid) => ("UNDERPAID", Some(a - self.delta), 0, A_TOP_UP),
                    Some(Anomaly::Overpaid) => ("OVERPAID", Some(a + self.delta), 0, A_RECOVER),
                    Some(Anomaly::Retried) => ("PAID", Some(a), F_RETRIED, 0),
                    Some(Anomaly::MatchedById) => (
                        "PAID",
                        Some(a),
                        F_MATCHED_BY_ID | F_ACCOUNT_CHANGED,
                        A_REVIEW,
                    ),
                    Some(Anomaly::AccountChanged) => ("PAID", Some(a), F_ACCOUNT_CHANGED, A_REVIEW),
                    Some(Anomaly::NameMismatch) => ("PAID", Some(a), F_NAME_MISMATCH, A_REVIEW),
                    _ => ("PAID", Some(a), 0, 0),
                };
                let checkin = match self.anomaly {
                    Some(Anomaly::Late) => "LATE",
                    Some(Anomaly::Early) => "EARLY",
                    Some(Anomaly::Excused) => "EXCUSED",
                    Some(Anomaly::Missed) => {
                        // Never a home-visit household: that would be REVIEW.
                        actions |= A_SUSPEND;
                        "MISSED"
                    }
                    Some(Anomaly::ChangeReported) => {
                        flags |= F_CHANGE_REPORTED;
                        actions |= A_REVIEW;
                        "ON_TIME"
                    }
                    Some(Anomaly::ReportedAmountDiffers) => {
                        flags |= F_REPORTED_AMOUNT_DIFFERS;
                        actions |= A_REVIEW;
                        "ON_TIME"
                    }
                    _ if self.home_visit == "是" => "HOME_VISIT",
                    _ => "ON_TIME",
                };
                Truth {
                    status,
                    checkin,
                    flags,
                    actions,
                    expected: Some(a),
                    paid,
                }
            }
        }
    }

    /// The extra ledger rows this household's anomaly creates, in bank order:
    /// `(true, _)` for one on a main-section row, `(false, _)` for the trailing batch.
    pub(super) fn extra_truths(&self) -> Option<(bool, ExtraTruth)> {
        let kind = self.anomaly?;
        let extra = |household, status, actions, paid| ExtraTruth {
            kind,
            household,
            status,
            actions,
            paid,
        };
        match kind {
            Anomaly::UnexpectedRow => Some((
                true,
                extra(None, "UNEXPECTED", A_RECOVER, Some(self.stranger_amount)),
            )),
            Anomaly::UnexpectedFailedRow => Some((true, extra(None, "UNEXPECTED", A_REVIEW, None))),
            Anomaly::Unreadable => {
                Some((true, extra(Some(self.index), "UNREADABLE", A_REVIEW, None)))
            }
            Anomaly::Duplicate => Some((
                false,
                extra(Some(self.index), "DUPLICATE", A_RECOVER, Some(self.amount)),
            )),
            _ => None,
        }
    }

    /// The check-in record of the household, if it has one.
    pub(super) fn checkin(&self, month: Month, paid: Option<i64>) -> Option<CheckinRow> {
        let stamp = CheckinRow {
            date: Some(month.day(self.checkin_day)),
            style: self.date_style,
            month: self.month_filled,
            method: self.method,
            reported: match self.reported {
                Reported::Empty => None,
                Reported::Paid => Some(paid.unwrap_or(0)),
            },
            changes: self.no_change,
            excuse: "",
            handler: self.handler,
        };
        match self.standing {
            Standing::Held | Standing::Inactive => self.stray_checkin.then_some(CheckinRow {
                date: Some(month.day(WINDOW.0)),
                month: true,
                ..stamp
            }),
            Standing::Due => match self.anomaly {
                Some(Anomaly::Missed) => None,
                Some(Anomaly::Excused) => Some(CheckinRow {
                    date: None,
                    month: true,
                    method: "",
                    reported: None,
                    excuse: self.excuse,
                    ..stamp
                }),
                Some(Anomaly::ChangeReported) => Some(CheckinRow {
                    changes: self.change,
                    ..stamp
                }),
                Some(Anomaly::ReportedAmountDiffers) => Some(CheckinRow {
                    reported: Some(paid.unwrap_or(0) - self.delta),
                    ..stamp
                }),
                _ if self.home_visit == "是" => Some(CheckinRow {
                    method: "上门",
                    month: true,
                    ..stamp
                }),
                _ => Some(stamp),
            },
        }
    }
}

/// Chooses which households get an anomaly: selection sampling (Knuth's
/// algorithm S) over the roster in order, so exactly the requested number are
/// chosen, each with its ordinal.
pub(super) struct Selector {
    rng: ChaCha8Rng,
    left_n: u64,
    left_k: u64,
    picked: u64,
}

impl Selector {
    pub(super) fn next(&mut self, kinds: &[Anomaly]) -> Option<(Anomaly, u64)> {
        if self.left_n == 0 {
            return None;
        }
        let take = self.left_k > 0 && self.rng.random_range(0..self.left_n) < self.left_k;
        self.left_n -= 1;
        if !take || kinds.is_empty() {
            return None;
        }
        self.left_k -= 1;
        let ordinal = self.picked;
        self.picked += 1;
        let kind = kinds[(ordinal % kinds.len() as u64) as usize];
        Some((kind, ordinal))
    }
}

/// SPEC §2.1: stopped or outside its months → inactive; else 暂停 → held;
/// else due.
fn standing(status: &str, start: Option<Month>, end: Option<Month>, m: Month) -> Standing {
    let in_months = start.is_none_or(|s| s <= m) && end.is_none_or(|e| m <= e);
    match status {
        "在保" | "正常" | "渐退" if in_months => Standing::Due,
        "暂停" if in_months => Standing::Held,
        _ => Standing::Inactive,
    }
}

/// `m` moved by `delta` months (clamped to the representable range).
pub(super) fn shift(m: Month, delta: i32) -> Month {
    let index = m.year() * 12 + m.month() as i32 - 1 + delta;
    Month::new(index.div_euclid(12), index.rem_euclid(12) as u32 + 1).unwrap_or(m)
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len() as u32) as usize]
}

fn pick_weighted(rng: &mut ChaCha8Rng, weights: impl Iterator<Item = u32> + Clone) -> usize {
    let total: u32 = weights.clone().sum();
    let mut roll = rng.random_range(0..total.max(1));
    for (i, w) in weights.enumerate() {
        if roll < w {
            return i;
        }
        roll -= w;
    }
    0
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The first number from `start` on (mod `cap`, at least 2) coprime with
/// `cap`: a multiplier that makes `i ↦ i·mul + add (mod cap)` a bijection.
fn coprime(start: u128, cap: u128) -> u128 {
    let mut mul = start.max(2) % cap;
    while mul < 2 || gcd(mul, cap) != 1 {
        mul = (mul + 1) % cap;
    }
    mul
}

pub(super) fn bank_of(h: &Household) -> &'static Bank {
    &BANKS[h.bank]
}
