//! The approved roster (低保花名册): one [`Household`] per data row.
//!
//! Invariants: a row becomes a [`Household`] only when every required field
//! is present and valid; otherwise it is kept as a [`Rejected`] row (so
//! `--allow-partial` can list it) and every problem is reported. A household
//! number, ID number or account that appears on two rows is an error at the
//! later row naming the earlier one; both rows are left out of the valid
//! households and recorded in [`RosterReader::conflicts`].

use std::borrow::Cow;
use std::collections::hash_map::Entry;

use compact_str::CompactString;
use rustc_hash::{FxHashMap, FxHashSet};

use super::account::Account;
use super::amount::AmountColumn;
use super::date::Month;
use super::idcard::{IdNumber, IdReading};
use super::money::Money;
use super::policy::Policy;
use super::totals::{Numeric, Totals};
use super::value;
use crate::ingest::normalize::unify_dots;
use crate::ingest::profile::AmountUnit;
use crate::ingest::schema::{Field, spec};
use crate::ingest::{Columns, Row, RowSink, TotalsScope};
use crate::issue::{Issue, Problem, SourceRef, TextLimit};

/// A household's status on the roster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RosterStatus {
    /// 在保 / 正常.
    Active,
    /// 暂停: held by the roster.
    Suspended,
    /// 停保 / 终止.
    Stopped,
    /// 渐退: paid until `end_month`.
    PhasingOut,
}

impl RosterStatus {
    pub fn parse(s: &str) -> Option<RosterStatus> {
        let lower;
        let s = if s.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = s.to_ascii_lowercase();
            lower.as_str()
        } else {
            s
        };
        // 在保户, 停保户: the same words with 户 (household) after them.
        let s = s.strip_suffix('户').unwrap_or(s);
        Some(match s {
            "" | "在保" | "正常" | "active" => RosterStatus::Active,
            "暂停" | "suspended" => RosterStatus::Suspended,
            "停保" | "终止" | "stopped" => RosterStatus::Stopped,
            "渐退" | "phasing_out" | "phasing out" => RosterStatus::PhasingOut,
            _ => return None,
        })
    }
}

/// One approved household.
#[derive(Clone, Debug, PartialEq)]
pub struct Household {
    /// The roster row.
    pub at: SourceRef,
    pub household_id: CompactString,
    pub name: CompactString,
    pub id_number: IdNumber,
    pub members: u32,
    pub account: Account,
    pub bank: Option<CompactString>,
    pub account_name: Option<CompactString>,
    pub community: Option<CompactString>,
    pub street: Option<CompactString>,
    pub class: Option<CompactString>,
    pub tags: Vec<String>,
    pub approved_amount: Option<Money>,
    pub status: RosterStatus,
    pub start_month: Option<Month>,
    pub end_month: Option<Month>,
    pub home_visit: bool,
}

#[cfg(test)]
impl Household {
    /// A valid household for tests elsewhere in the crate: 张三, a valid ID
    /// and account, in 和平社区, with no approved amount or months.
    pub(crate) fn sample(household_id: &str, members: u32, status: RosterStatus) -> Household {
        let super::idcard::IdReading::Valid(id_number) = super::idcard::read("11010519491231002X")
        else {
            unreachable!("a valid test ID")
        };
        Household {
            at: SourceRef::file("r.csv".into()),
            household_id: household_id.into(),
            name: "张三".into(),
            id_number,
            members,
            account: super::account::read("6228481160003452274")
                .unwrap_or_else(|_| unreachable!("a valid test account")),
            bank: None,
            account_name: None,
            community: Some("和平社区".into()),
            street: None,
            class: None,
            tags: Vec::new(),
            approved_amount: None,
            status,
            start_month: None,
            end_month: None,
            home_visit: false,
        }
    }
}

/// A roster row that could not become a household.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    pub at: SourceRef,
    pub household_id: Option<String>,
    pub name: Option<String>,
    /// Codes of the errors found in the row.
    pub codes: Vec<&'static str>,
}

/// A roster row, read.
#[derive(Clone, Debug, PartialEq)]
pub enum RosterRow {
    Valid(Household),
    Rejected(Rejected),
}

/// Reads roster rows (a [`RowSink`]).
#[derive(Debug)]
pub struct RosterReader {
    collect: bool,
    /// The rows in file order (only when collecting).
    pub rows: Vec<RosterRow>,
    /// Pairs of rows that share a household number, ID or account.
    pub conflicts: Vec<(u32, u32, &'static str)>,
    /// The header read (which column holds which field), so that a later
    /// step can name a household's cell.
    pub columns: Option<Box<Columns>>,
    pub households: u64,
    pub persons: u64,
    // First row of each key. Compact keys keep a million-row roster small.
    seen_hid: FxHashMap<u128, u32>,
    seen_long_hid: FxHashMap<Box<str>, u32>,
    seen_id: FxHashMap<u64, u32>,
    seen_account: FxHashMap<u128, u32>,
    /// (row, members) of every row counted as a valid household, in order.
    valid_rows: Vec<(u32, u32)>,
    /// Earlier rows excluded because a later one shares their key.
    demoted: FxHashSet<u32>,
    seen_long_account: FxHashMap<Box<str>, u32>,
    totals: Totals,
    /// The bound on one household's month (the policy's).
    limit: Money,
    /// How 核定低保金 is read (its unit is the header's).
    approved: AmountColumn,
}

impl RosterReader {
    /// `collect`: keep the rows (a payroll needs them; `check` does not).
    /// Amounts are held to the default policy's bound; see
    /// [`RosterReader::with_limit`].
    pub fn new(collect: bool) -> RosterReader {
        let limit = Policy::default().max_household_total;
        RosterReader {
            collect,
            rows: Vec::new(),
            conflicts: Vec::new(),
            columns: None,
            households: 0,
            persons: 0,
            seen_hid: FxHashMap::default(),
            seen_long_hid: FxHashMap::default(),
            seen_id: FxHashMap::default(),
            seen_account: FxHashMap::default(),
            valid_rows: Vec::new(),
            demoted: FxHashSet::default(),
            seen_long_account: FxHashMap::default(),
            totals: Totals::new(&[
                (Field::Members, Numeric::Persons),
                (Field::ApprovedAmount, Numeric::Money(AmountUnit::Yuan)),
            ]),
            limit,
            approved: AmountColumn::plain(AmountUnit::Yuan, limit, false),
        }
    }

    /// Holds approved amounts to `limit` (the policy's `max_household_total`).
    pub fn with_limit(mut self, limit: Money) -> RosterReader {
        self.limit = limit;
        self.approved = AmountColumn::plain(AmountUnit::Yuan, limit, false);
        self
    }
}

impl RosterReader {
    /// Takes an earlier row out of the valid households: it shares its
    /// household number, ID or account with a later row (SPEC §2.4: both
    /// rows are in error; the message stands at the later one).
    fn demote(&mut self, first: u32, code: &'static str) {
        if !self.demoted.insert(first) {
            return;
        }
        if let Ok(i) = self.valid_rows.binary_search_by_key(&first, |r| r.0) {
            self.households -= 1;
            self.persons -= u64::from(self.valid_rows[i].1);
        }
        let Ok(i) = self.rows.binary_search_by_key(&first, |r| match r {
            RosterRow::Valid(h) => h.at.row.unwrap_or(0),
            RosterRow::Rejected(r) => r.at.row.unwrap_or(0),
        }) else {
            return;
        };
        let row = std::mem::replace(
            &mut self.rows[i],
            RosterRow::Rejected(Rejected {
                at: SourceRef::file("".into()),
                household_id: None,
                name: None,
                codes: Vec::new(),
            }),
        );
        self.rows[i] = match row {
            RosterRow::Valid(h) => RosterRow::Rejected(Rejected {
                at: h.at,
                household_id: Some(h.household_id.into()),
                name: Some(h.name.into()),
                codes: vec![code],
            }),
            RosterRow::Rejected(mut r) => {
                r.codes.push(code);
                RosterRow::Rejected(r)
            }
        };
    }
}

/// Collects a row's problems while its fields are read.
pub(crate) struct RowCheck<'c> {
    pub columns: &'c Columns,
    pub number: u32,
    pub out: &'c mut Vec<Issue>,
    pub errors: Vec<&'static str>,
}

impl<'c> RowCheck<'c> {
    /// Starts the checks of one data row. A row with a flaw of its own
    /// (reported by the reader) starts with that error.
    pub fn new(columns: &'c Columns, row: &Row<'_, '_>, out: &'c mut Vec<Issue>) -> RowCheck<'c> {
        RowCheck {
            columns,
            number: row.number,
            out,
            errors: row.flaw.map(Problem::code).into_iter().collect(),
        }
    }

    /// Keeps the value, or reports the problem at the field's cell.
    pub fn take<T>(&mut self, field: Field, res: Result<Option<T>, Problem>) -> Option<T> {
        match res {
            Ok(v) => v,
            Err(p) => {
                self.report(field, p);
                None
            }
        }
    }

    /// An ID number (SPEC §2.4) in any kind of file: a 15-digit number is
    /// upgraded with a warning; a bad one is an error at its cell.
    pub fn id_number(
        &mut self,
        required: bool,
        res: Result<Option<IdReading>, Problem>,
    ) -> Option<IdNumber> {
        let reading = if required {
            self.require(Field::IdNumber, res)
        } else {
            self.take(Field::IdNumber, res)
        };
        match reading? {
            IdReading::Valid(id) => Some(id),
            IdReading::Upgraded { from, to } => {
                let problem = Problem::IdUpgraded {
                    from,
                    to: to.to_string(),
                };
                self.report(Field::IdNumber, problem);
                Some(to)
            }
            IdReading::Invalid(_) => None,
        }
    }

    /// The problem of an empty required `field`.
    pub fn missing(&self, field: Field) -> Problem {
        let spec = spec(self.columns.kind, field);
        Problem::MissingValue {
            name: spec.and_then(|s| s.aliases.first().copied()).unwrap_or("?"),
            canonical: spec.map_or("?", |s| s.canonical),
        }
    }

    /// Like [`RowCheck::take`], and an empty value is a [`Problem::MissingValue`].
    pub fn require<T>(&mut self, field: Field, res: Result<Option<T>, Problem>) -> Option<T> {
        match res {
            Ok(None) => {
                let p = self.missing(field);
                self.report(field, p);
                None
            }
            other => self.take(field, other),
        }
    }

    pub fn report(&mut self, field: Field, p: Problem) {
        let issue = Issue::new(self.columns.at(self.number, field), p);
        if issue.severity == crate::issue::Severity::Error {
            self.errors.push(issue.code());
        }
        self.out.push(issue);
    }

    pub fn warn(&mut self, field: Field, p: Problem) {
        self.out
            .push(Issue::new(self.columns.at(self.number, field), p).downgraded());
    }
}

/// Up to 15 bytes of text packed into an integer (with the length), so that
/// the usual household numbers (`HP0001`) need no allocation as map keys;
/// ASCII letters are upper-cased, so that `hp0001` is `HP0001`.
fn short_key(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    (b.len() < 16).then(|| {
        b.iter().fold(b.len() as u128, |acc, &x| {
            acc << 8 | u128::from(x.to_ascii_uppercase())
        })
    })
}

/// A name with its middle dots unified, still borrowed when nothing changed.
fn unify_name(name: Cow<'_, str>) -> Cow<'_, str> {
    match unify_dots(&name) {
        Cow::Borrowed(_) => name,
        Cow::Owned(o) => Cow::Owned(o),
    }
}

fn split_tags(s: &str) -> Vec<String> {
    s.split([';', '；', ',', '，', '、'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

impl RowSink for RosterReader {
    fn header(&mut self, columns: &Columns, out: &mut Vec<Issue>) {
        self.columns = Some(Box::new(columns.clone()));
        self.approved =
            AmountColumn::new(columns, Field::ApprovedAmount, None, self.limit, false, out);
        self.totals
            .set_unit(Field::ApprovedAmount, self.approved.unit());
    }

    fn data(&mut self, columns: &Columns, row: &Row<'_, '_>, out: &mut Vec<Issue>) {
        use Field::*;
        let cell = |f| columns.cell(row, f);
        let mut c = RowCheck::new(columns, row, out);
        let household_id = c.require(HouseholdId, value::code(&cell(HouseholdId)));
        let name = c
            .require(Name, value::text_within(&cell(Name), TextLimit::Name))
            .map(unify_name);
        let id_number = c.id_number(true, value::id_number(&cell(IdNumber)));
        let members_res = value::members(&cell(Members));
        self.totals.row();
        self.totals.add(
            Members,
            members_res
                .clone()
                .map(|m| i64::from(m.unwrap_or(0)))
                .map_err(|_| ()),
        );
        let members = c.require(Members, members_res);
        let account = c
            .require(Account, value::account(&cell(Account), true))
            .map(|r| {
                if let Some(w) = r.warning {
                    c.warn(Account, w);
                }
                r.account
            });
        let bank = c.take(Bank, value::text_within(&cell(Bank), TextLimit::Bank));
        let account_name = c
            .take(
                AccountName,
                value::text_within(&cell(AccountName), TextLimit::Name),
            )
            .map(unify_name);
        let community = c.take(
            Community,
            value::text_within(&cell(Community), TextLimit::Place),
        );
        let street = c.take(Street, value::text_within(&cell(Street), TextLimit::Place));
        let class = c.take(Class, value::text(&cell(Class))).map(|s| {
            if s.bytes().any(|b| b.is_ascii_lowercase()) {
                Cow::Owned(s.to_ascii_uppercase())
            } else {
                s
            }
        });
        if let Some(class) = &class
            && !matches!(&**class, "A" | "B" | "C")
        {
            c.warn(
                Class,
                Problem::ClassUnknown {
                    value: class.to_string(),
                },
            );
        }
        let tags = c.take(Tags, value::text(&cell(Tags)));
        let approved_res = self.approved.read(&cell(ApprovedAmount));
        self.totals.add_money(ApprovedAmount, &approved_res);
        let approved_amount = c.take(ApprovedAmount, approved_res);
        let status = match c.take(Status, value::text(&cell(Status))) {
            None => Some(RosterStatus::Active),
            Some(s) => match RosterStatus::parse(&s) {
                Some(st) => Some(st),
                None => {
                    c.report(
                        Status,
                        Problem::StatusUnknown {
                            value: s.into_owned(),
                        },
                    );
                    None
                }
            },
        };
        let start_month = c.take(StartMonth, value::month(&cell(StartMonth)));
        let end_month = c.take(EndMonth, value::month(&cell(EndMonth)));
        if let (Some(s), Some(e)) = (start_month, end_month)
            && s > e
        {
            c.report(
                EndMonth,
                Problem::MonthRange {
                    start: s.to_string(),
                    end: e.to_string(),
                },
            );
        }
        if status == Some(RosterStatus::PhasingOut) && end_month.is_none() {
            c.report(Status, Problem::PhaseOutNoEnd);
        }
        let home_visit = c
            .take(HomeVisit, value::flag(&cell(HomeVisit)))
            .unwrap_or(false);

        // Across rows: the same household number (letters in any case:
        // `HP0001` and `hp0001` are one household), ID or account twice. The
        // later row gets the error naming the earlier; both are excluded.
        let number = row.number;
        let mut demote: Vec<(u32, &'static str)> = Vec::new();
        if let Some(hid) = &household_id {
            let seen = match short_key(hid) {
                Some(key) => self.seen_hid.entry(key).or_insert(number),
                None => self
                    .seen_long_hid
                    .entry(Box::from(hid.to_ascii_uppercase()))
                    .or_insert(number),
            };
            match *seen {
                n if n == number => {}
                first => {
                    self.conflicts
                        .push((first, number, "DUPLICATE_HOUSEHOLD_ID"));
                    demote.push((first, "DUPLICATE_HOUSEHOLD_ID"));
                    c.report(
                        HouseholdId,
                        Problem::DuplicateHouseholdId {
                            value: hid.to_string(),
                            first,
                        },
                    );
                }
            }
        }
        if let Some(id) = &id_number {
            match self.seen_id.entry(id.key()) {
                Entry::Occupied(e) => {
                    let first = *e.get();
                    self.conflicts.push((first, number, "DUPLICATE_ID_NUMBER"));
                    demote.push((first, "DUPLICATE_ID_NUMBER"));
                    c.report(
                        IdNumber,
                        Problem::DuplicateIdNumber {
                            value: id.to_string(),
                            first,
                        },
                    );
                }
                Entry::Vacant(v) => {
                    v.insert(number);
                }
            }
        }
        if let Some(acct) = &account {
            let seen = match acct.key() {
                Some(key) => self.seen_account.entry(key).or_insert(number),
                None => self
                    .seen_long_account
                    .entry(acct.as_str().into())
                    .or_insert(number),
            };
            match *seen {
                n if n == number => {}
                first => {
                    self.conflicts.push((first, number, "SHARED_ACCOUNT"));
                    demote.push((first, "SHARED_ACCOUNT"));
                    c.report(
                        Account,
                        Problem::DuplicateAccount {
                            value: acct.to_string(),
                            first,
                        },
                    );
                }
            }
        }

        let errors = std::mem::take(&mut c.errors);
        let complete = match (&household_id, &name, &id_number, members, &account, status) {
            (Some(_), Some(_), Some(_), Some(members), Some(_), Some(_)) if errors.is_empty() => {
                self.households += 1;
                self.persons += u64::from(members);
                self.valid_rows.push((row.number, members));
                true
            }
            _ => false,
        };
        for (first, code) in demote {
            self.demote(first, code);
        }
        if !self.collect {
            return;
        }
        let at = columns.source().row(number);
        let owned = |s: Option<Cow<'_, str>>| s.map(Cow::into_owned);
        // Short text (household numbers, names, banks, communities) is kept
        // inline: no allocation per household.
        let compact = |s: Option<Cow<'_, str>>| s.map(|s| CompactString::from(&*s));
        let row = match (household_id, name, id_number, members, account, status) {
            (
                Some(household_id),
                Some(name),
                Some(id_number),
                Some(members),
                Some(account),
                Some(status),
            ) if complete => RosterRow::Valid(Household {
                at,
                household_id: CompactString::from(&*household_id),
                name: CompactString::from(&*name),
                id_number,
                members,
                account,
                bank: compact(bank),
                account_name: compact(account_name),
                community: compact(community),
                street: compact(street),
                class: compact(class),
                tags: tags.map(|t| split_tags(&t)).unwrap_or_default(),
                approved_amount,
                status,
                start_month,
                end_month,
                home_visit,
            }),
            (household_id, name, ..) => RosterRow::Rejected(Rejected {
                at,
                household_id: owned(household_id),
                name: owned(name),
                codes: errors,
            }),
        };
        self.rows.push(row);
    }

    fn totals(
        &mut self,
        columns: &Columns,
        row: &Row<'_, '_>,
        scope: TotalsScope,
        out: &mut Vec<Issue>,
    ) {
        self.totals.check(columns, row, scope, out);
    }
}
