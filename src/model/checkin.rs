//! Check-ins (低保证盖章签到): one [`CheckIn`] per readable data row.
//!
//! Invariant: a `CheckIn` always belongs to a month (its `month` column, else
//! its date's month) and to a household key (household number or ID); a row
//! without them is reported and not kept. A record with a date is a stamp or
//! a home visit, whatever its excuse says; without a date but with an excuse
//! it is an excuse. A row whose errors lie only in fields that do not say
//! whether and when the household came (领取金额, 家庭变化, 方式 — read as an
//! in-person stamp —, an ID beside a good household number) keeps its
//! record: the errors are reported, the stamp still counts.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::amount::AmountColumn;
use super::date::Month;
use super::idcard::IdNumber;
use super::money::Money;
use super::policy::Policy;
use super::roster::RowCheck;
use super::totals::{Numeric, Totals};
use super::value;
use crate::ingest::profile::{AmountUnit, Profile};
use crate::ingest::schema::Field;
use crate::ingest::{Columns, Row, RowSink, TotalsScope};
use crate::issue::{Issue, Problem, SourceRef, TextLimit};

/// How the recipient was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// 本人 / 到站 (the default).
    InPerson,
    /// 上门: a home visit.
    HomeVisit,
    /// 代签: someone stamped for them.
    Proxy,
}

impl Method {
    /// Reads a method as offices write it: the words of SPEC §2.3, also
    /// inside longer text (`本人签到`, `上门服务`, `家属代签`). A text naming
    /// two methods is not guessed at.
    pub fn parse(s: &str) -> Option<Method> {
        let lower = s.to_ascii_lowercase();
        match lower.as_str() {
            "" | "in_person" | "in person" => return Some(Method::InPerson),
            "home_visit" | "home visit" => return Some(Method::HomeVisit),
            "proxy" => return Some(Method::Proxy),
            _ => {}
        }
        let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
        let found = [
            (Method::HomeVisit, has(&["上门"])),
            (Method::Proxy, has(&["代签", "代办", "代领"])),
            (Method::InPerson, has(&["本人", "到站", "现场", "亲自"])),
        ];
        let mut hits = found.iter().filter(|(_, hit)| *hit).map(|(m, _)| *m);
        match (hits.next(), hits.next()) {
            (Some(m), None) => Some(m),
            _ => None,
        }
    }
}

/// What a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Record {
    Stamp(NaiveDate, Method),
    HomeVisit(NaiveDate),
    Excuse,
}

/// One check-in record.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckIn {
    pub at: SourceRef,
    pub household_id: Option<String>,
    pub id_number: Option<IdNumber>,
    pub record: Record,
    /// The month it is for.
    pub month: Month,
    pub reported_amount: Option<Money>,
    /// A reported change in the family (None = no change).
    pub changes: Option<String>,
    pub excuse: Option<String>,
    pub handler: Option<String>,
}

/// Reads check-in rows (a [`RowSink`]).
#[derive(Debug)]
pub struct CheckinReader {
    collect: bool,
    pub records: Vec<CheckIn>,
    pub rows: u64,
    /// Rows with errors. Such a row keeps its record when its errors do not
    /// touch the household, the date or the month.
    pub rejected: u64,
    date_format: Option<String>,
    totals: Totals,
    /// The bound on one household's month (the policy's).
    limit: Money,
    /// How 领取金额 is read (its unit is the header's).
    reported: AmountColumn,
}

impl CheckinReader {
    /// Amounts are held to the default policy's bound; see
    /// [`CheckinReader::with_limit`].
    pub fn new(collect: bool, profile: Option<&Profile>) -> CheckinReader {
        let limit = Policy::default().max_household_total;
        CheckinReader {
            collect,
            records: Vec::new(),
            rows: 0,
            rejected: 0,
            date_format: profile.and_then(|p| p.date_format.clone()),
            totals: Totals::new(&[(Field::ReportedAmount, Numeric::Money(AmountUnit::Yuan))]),
            limit,
            reported: AmountColumn::plain(AmountUnit::Yuan, limit, false),
        }
    }

    /// Holds reported amounts to `limit` (the policy's `max_household_total`).
    pub fn with_limit(mut self, limit: Money) -> CheckinReader {
        self.limit = limit;
        self.reported = AmountColumn::plain(AmountUnit::Yuan, limit, false);
        self
    }
}

fn no_change(s: &str) -> bool {
    matches!(
        s,
        "无" | "否" | "没有" | "无变化" | "no" | "none" | "n" | "0"
    )
}

impl RowSink for CheckinReader {
    fn header(&mut self, columns: &Columns, out: &mut Vec<Issue>) {
        self.reported =
            AmountColumn::new(columns, Field::ReportedAmount, None, self.limit, false, out);
        self.totals
            .set_unit(Field::ReportedAmount, self.reported.unit());
    }

    fn data(&mut self, columns: &Columns, row: &Row<'_, '_>, out: &mut Vec<Issue>) {
        use Field::*;
        let cell = |f| columns.cell(row, f);
        let mut c = RowCheck::new(columns, row, out);
        let household_id = c
            .take(HouseholdId, value::code(&cell(HouseholdId)))
            .map(Cow::into_owned);
        let id_number = c.id_number(false, value::id_number(&cell(IdNumber)));
        let date = c.take(Date, value::date(&cell(Date), self.date_format.as_deref()));
        let month = c.take(Month, value::month(&cell(Month)));
        let method = match c.take(Method, value::text(&cell(Method))) {
            None => Some(self::Method::InPerson),
            Some(s) => match self::Method::parse(&s) {
                Some(m) => Some(m),
                None => {
                    c.report(
                        Method,
                        Problem::MethodUnknown {
                            value: s.into_owned(),
                        },
                    );
                    None
                }
            },
        };
        let reported_res = self.reported.read(&cell(ReportedAmount));
        self.totals.row();
        self.totals.add_money(ReportedAmount, &reported_res);
        let reported_amount = c.take(ReportedAmount, reported_res);
        let changes = c
            .take(Changes, value::note(&cell(Changes)))
            .filter(|s| !no_change(&s.to_ascii_lowercase()));
        let excuse = c
            .take(Excuse, value::note(&cell(Excuse)))
            .map(Cow::into_owned);
        let handler = c
            .take(Handler, value::text_within(&cell(Handler), TextLimit::Name))
            .map(Cow::into_owned);

        let key_cols_bad = c
            .errors
            .iter()
            .any(|e| e.starts_with("ID_") || *e == "NUMBER_DIGITS_LOST");
        if household_id.is_none() && id_number.is_none() && !key_cols_bad {
            let field = if columns.has(HouseholdId) {
                HouseholdId
            } else {
                IdNumber
            };
            c.report(field, Problem::CheckinNoKey);
        }
        let date_bad = c.errors.contains(&"DATE_INVALID");
        let record = match (date, method, &excuse) {
            (Some(d), Some(self::Method::HomeVisit), _) => Some(Record::HomeVisit(d)),
            (Some(d), Some(m), _) => Some(Record::Stamp(d, m)),
            // An unknown 方式 (reported): still a stamp on that date.
            (Some(d), None, _) => Some(Record::Stamp(d, self::Method::InPerson)),
            (None, _, Some(_)) if !date_bad => Some(Record::Excuse),
            (None, _, None) if !date_bad => {
                c.report(Date, Problem::CheckinNoDate);
                None
            }
            _ => None,
        };
        let month = month.or(date.map(super::date::Month::of));
        if month.is_none() && record == Some(Record::Excuse) && !c.errors.contains(&"MONTH_INVALID")
        {
            c.report(Month, Problem::CheckinNoMonth);
        }
        self.rows += 1;
        // A row with errors only in fields that do not decide whether and
        // when the household came (领取金额, 家庭变化, 方式, an ID beside a
        // good household number) keeps its record: the errors are reported,
        // the stamp still counts. A typo must not make a recipient MISSED.
        if !c.errors.is_empty() {
            self.rejected += 1;
        }
        let month_bad = c.errors.contains(&"MONTH_INVALID");
        let keyed = household_id.is_some() || id_number.is_some();
        if let (Some(record), Some(month)) = (record, month)
            && keyed
            && !month_bad
            && self.collect
        {
            self.records.push(CheckIn {
                at: columns.source().row(row.number),
                household_id,
                id_number,
                record,
                month,
                reported_amount,
                changes: changes.map(Cow::into_owned),
                excuse,
                handler,
            });
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_as_offices_write_them() {
        assert_eq!(Method::parse(""), Some(Method::InPerson));
        assert_eq!(Method::parse("本人签到"), Some(Method::InPerson));
        assert_eq!(Method::parse("到站"), Some(Method::InPerson));
        assert_eq!(Method::parse("上门服务"), Some(Method::HomeVisit));
        assert_eq!(Method::parse("家属代签"), Some(Method::Proxy));
        assert_eq!(Method::parse("Proxy"), Some(Method::Proxy));
        assert_eq!(Method::parse("视频"), None);
        assert_eq!(Method::parse("本人或代签"), None);
    }
}
