//! The banks' upload layouts (代发报盘格式) as data: which columns in which
//! order, the text file's shape, the amount unit, the encoding, the control
//! line, and the field limits a bank's system enforces (备注 and 户名 in
//! bytes of its encoding, one line's amount).
//!
//! A bank truncates a value over its limit without a word; a truncated 户名
//! may fail the payment, a truncated 备注 cannot be matched back. So limits
//! are checked before anything is written, and the reference is chosen to
//! fit (see [`reference`]).
//!
//! A layout is chosen by the roster's 开户银行 ([`builtin_for`]: `中国工商银行`,
//! `工商银行`, `工行…` are ICBC); a mapping profile with `bank = "…"` and an
//! `[upload]` table changes any part of it ([`for_bank`]). Only the ICBC
//! limits are measured (备注 12 bytes, 户名 60); the others are conservative
//! defaults that a profile can override.

use encoding_rs::Encoding;

use crate::error::Error;
use crate::ingest::profile::{AmountUnit, Mapping, Profile};
use crate::ingest::upload::{SummaryAt, UploadField, UploadFormat, UploadKeys};
use crate::model::date::Month;
use crate::model::money::Money;

/// How the text file separates its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextShape {
    /// Fields joined by this (not empty).
    Delimited(String),
    /// Each field padded to this many bytes (in the layout's encoding), one
    /// per column.
    Fixed(Vec<usize>),
}

/// One bank's upload layout, complete.
#[derive(Clone, Debug, PartialEq)]
pub struct UploadLayout {
    /// Which layout: `ICBC`, `ABC`, …, `通用` (any other bank), or the
    /// profile's name when a profile changed it.
    pub name: String,
    pub format: UploadFormat,
    /// The columns and their header texts, in order.
    pub columns: Vec<(UploadField, String)>,
    /// The text file has the 序号 column too (the built-in delimited
    /// layouts leave it to the workbook, as dibao's text uploads always
    /// have); see [`UploadLayout::text_columns`].
    pub text_serial: bool,
    pub text: TextShape,
    /// The text file's amounts.
    pub amount_unit: AmountUnit,
    /// The workbook's amounts.
    pub xlsx_amount_unit: AmountUnit,
    /// The text file's encoding; byte limits count in it.
    pub encoding: &'static Encoding,
    /// The text file starts with a header line.
    pub header: bool,
    /// Where the text file's control line (合计, N笔, total) stands.
    pub summary: SummaryAt,
    /// Where the workbook's control line stands: last in every built-in
    /// layout (the workbook dibao has always written); a profile's
    /// `summary` moves both.
    pub xlsx_summary: SummaryAt,
    /// 备注 at most this many bytes.
    pub reference_bytes: usize,
    /// 户名 at most this many bytes.
    pub name_bytes: usize,
    /// One line's amount at most.
    pub max_amount: Money,
}

/// Below 1亿 yuan: what banks' amount fields take.
pub const MAX_AMOUNT: Money = Money::from_fen(9_999_999_999);

/// A built-in layout.
struct BuiltIn {
    key: &'static str,
    /// Names of the bank as rosters write them: a 开户银行 that starts with
    /// one (after removing spaces) is this bank.
    names: &'static [&'static str],
    /// English short names, matched whole (any case).
    short: &'static [&'static str],
    columns: &'static [(UploadField, &'static str)],
    text_serial: bool,
    delimiter: &'static str,
    widths: Option<&'static [usize]>,
    amount_unit: AmountUnit,
    header: bool,
    summary: SummaryAt,
    reference_bytes: usize,
    name_bytes: usize,
}

use UploadField::{Account, Amount, IdNumber, Name, Reference, Serial};

const USUAL: &[(UploadField, &str)] = &[
    (Serial, "序号"),
    (Account, "账号"),
    (Name, "户名"),
    (Amount, "金额"),
    (IdNumber, "身份证号"),
    (Reference, "备注"),
];

const NO_SERIAL: &[(UploadField, &str)] = &[
    (Account, "账号"),
    (Name, "户名"),
    (Amount, "金额"),
    (IdNumber, "身份证号"),
    (Reference, "备注"),
];

/// The built-in layouts. `ICBC`'s limits are measured; the others are
/// conservative (备注 20 bytes, 户名 40) until a bank's own specification
/// says otherwise.
const BUILT_IN: &[BuiltIn] = &[
    BuiltIn {
        key: "ICBC",
        names: &["中国工商银行", "工商银行", "工行"],
        short: &["ICBC"],
        columns: USUAL,
        text_serial: false,
        delimiter: "|",
        widths: None,
        amount_unit: AmountUnit::Yuan,
        header: false,
        summary: SummaryAt::Last,
        reference_bytes: 12,
        name_bytes: 60,
    },
    BuiltIn {
        key: "CCB",
        names: &["中国建设银行", "建设银行", "建行"],
        short: &["CCB"],
        columns: USUAL,
        text_serial: true,
        delimiter: "",
        widths: Some(&[6, 32, 40, 15, 18, 20]),
        amount_unit: AmountUnit::Fen,
        header: false,
        summary: SummaryAt::First,
        reference_bytes: 20,
        name_bytes: 40,
    },
    BuiltIn {
        key: "CGB",
        names: &["广发银行", "广东发展银行", "广发"],
        short: &["CGB"],
        columns: NO_SERIAL,
        text_serial: false,
        delimiter: ",",
        widths: None,
        amount_unit: AmountUnit::Yuan,
        header: true,
        summary: SummaryAt::Last,
        reference_bytes: 20,
        name_bytes: 40,
    },
    BuiltIn {
        key: "ABC",
        names: &["中国农业银行", "农业银行", "农行"],
        short: &["ABC"],
        columns: USUAL,
        text_serial: false,
        delimiter: "|",
        widths: None,
        amount_unit: AmountUnit::Yuan,
        header: false,
        summary: SummaryAt::Last,
        reference_bytes: 20,
        name_bytes: 40,
    },
    BuiltIn {
        key: "PSBC",
        names: &[
            "中国邮政储蓄银行",
            "邮政储蓄银行",
            "邮储银行",
            "邮政储蓄",
            "邮储",
        ],
        short: &["PSBC"],
        columns: USUAL,
        text_serial: false,
        delimiter: "|",
        widths: None,
        amount_unit: AmountUnit::Yuan,
        header: false,
        summary: SummaryAt::Last,
        reference_bytes: 20,
        name_bytes: 40,
    },
];

/// Any other bank: today's layout (the ABC one) under its own name.
const GENERIC: BuiltIn = BuiltIn {
    key: "通用",
    names: &[],
    short: &[],
    columns: USUAL,
    text_serial: false,
    delimiter: "|",
    widths: None,
    amount_unit: AmountUnit::Yuan,
    header: false,
    summary: SummaryAt::Last,
    reference_bytes: 20,
    name_bytes: 40,
};

/// The keys of the built-in layouts, in the README's order.
pub const BUILT_IN_KEYS: [&str; 5] = ["ICBC", "CCB", "CGB", "ABC", "PSBC"];

impl BuiltIn {
    fn layout(&self) -> UploadLayout {
        UploadLayout {
            name: self.key.to_string(),
            format: UploadFormat::Xlsx,
            columns: self
                .columns
                .iter()
                .map(|(f, h)| (*f, (*h).to_string()))
                .collect(),
            text_serial: self.text_serial,
            text: match self.widths {
                Some(w) => TextShape::Fixed(w.to_vec()),
                None => TextShape::Delimited(self.delimiter.to_string()),
            },
            amount_unit: self.amount_unit,
            xlsx_amount_unit: AmountUnit::Yuan,
            encoding: encoding_rs::GBK,
            header: self.header,
            summary: self.summary,
            xlsx_summary: SummaryAt::Last,
            reference_bytes: self.reference_bytes,
            name_bytes: self.name_bytes,
            max_amount: MAX_AMOUNT,
        }
    }

    fn is(&self, bank: &str) -> bool {
        let compact: String = bank.chars().filter(|c| !c.is_whitespace()).collect();
        self.names.iter().any(|n| compact.starts_with(n))
            || self.short.iter().any(|s| compact.eq_ignore_ascii_case(s))
    }
}

fn builtin_of(bank: &str) -> &'static BuiltIn {
    BUILT_IN.iter().find(|b| b.is(bank)).unwrap_or(&GENERIC)
}

/// The built-in layout for a roster's 开户银行 (`中国工商银行`, `工商银行`,
/// `工行城区支行` → ICBC); any bank not known gets the generic one (today's
/// layout, named `通用`).
///
/// # Examples
/// ```
/// use dibao::report::upload_layouts::builtin_for;
/// assert_eq!(builtin_for("工行城区支行").name, "ICBC");
/// assert_eq!(builtin_for("中国工商银行").reference_bytes, 12);
/// assert_eq!(builtin_for("中国银行").name, "通用");
/// ```
pub fn builtin_for(bank: &str) -> UploadLayout {
    builtin_of(bank).layout()
}

/// The built-in layout by its key (`ICBC`, …).
pub fn builtin(key: &str) -> Option<UploadLayout> {
    BUILT_IN.iter().find(|b| b.key == key).map(BuiltIn::layout)
}

/// The profile of a mapping that shapes `bank`'s upload: the first whose
/// `bank` is the same text, else the first whose `bank` names the same
/// built-in bank (`工商银行` for a roster's `中国工商银行`).
pub fn profile_for<'m>(mapping: Option<&'m Mapping>, bank: &str) -> Option<&'m Profile> {
    let profiles = mapping.map(|m| m.profiles.as_slice()).unwrap_or_default();
    let with_bank = || {
        profiles
            .iter()
            .filter_map(|p| p.bank.as_deref().map(|b| (p, b)))
    };
    if let Some((p, _)) = with_bank().find(|(_, b)| b.trim() == bank.trim()) {
        return Some(p);
    }
    let own = builtin_of(bank);
    if own.key == GENERIC.key {
        return None;
    }
    with_bank()
        .find(|(_, b)| builtin_of(b).key == own.key)
        .map(|(p, _)| p)
}

/// `bank`'s layout: the built-in one, changed by the profile for it (a
/// profile wins): its `[upload]` keys, and the older keys — `upload_text =
/// true` writes the text file too, in the profile's `delimiter`, `encoding`
/// and `amount_unit` (text only) unless `[upload]` gives them.
///
/// # Errors
/// [`Error::Usage`] when the resulting layout cannot be written: headers or
/// widths that do not give one value per column.
pub fn for_bank(mapping: Option<&Mapping>, bank: &str) -> Result<UploadLayout, Error> {
    let mut layout = builtin_for(bank);
    let Some(profile) = profile_for(mapping, bank) else {
        return Ok(layout);
    };
    let keys = profile.upload.clone().unwrap_or_default();
    if let Some(name) = &profile.name {
        layout.name = name.clone();
    }
    if profile.upload_text {
        layout.format = UploadFormat::Text;
        if keys.delimiter.is_none()
            && keys.widths.is_none()
            && let Some(d) = &profile.delimiter
        {
            layout.text = TextShape::Delimited(d.clone());
        }
        if let Some(e) = profile.encoding {
            layout.encoding = e;
        }
        if let Some(u) = profile.amount_unit {
            layout.amount_unit = u;
        }
    }
    apply(&mut layout, &keys, bank)?;
    Ok(layout)
}

fn apply(layout: &mut UploadLayout, keys: &UploadKeys, bank: &str) -> Result<(), Error> {
    if let Some(f) = keys.format {
        layout.format = f;
    }
    if let Some(columns) = &keys.columns {
        layout.columns = columns
            .iter()
            .map(|f| (*f, f.label().to_string()))
            .collect();
        layout.text_serial = true;
        // Widths of the built-in columns no longer fit new columns.
        if keys.widths.is_none() && matches!(layout.text, TextShape::Fixed(_)) {
            layout.text = TextShape::Delimited("|".into());
        }
    }
    let n = layout.columns.len();
    if let Some(headers) = &keys.headers {
        if headers.len() != n {
            return Err(Error::Usage(format!(
                "the upload layout for {bank}: [upload] headers gives {} texts for {n} columns; \
                 give one per column (with columns = [...])",
                headers.len()
            )));
        }
        for ((_, h), new) in layout.columns.iter_mut().zip(headers) {
            h.clone_from(new);
        }
    }
    if let Some(widths) = &keys.widths {
        let n = layout.text_columns().count();
        if widths.len() != n {
            return Err(Error::Usage(format!(
                "the upload layout for {bank}: [upload] widths gives {} widths for the text file's {n} columns; \
                 give one per column (with columns = [...])",
                widths.len()
            )));
        }
        layout.text = TextShape::Fixed(widths.clone());
    }
    if let Some(d) = &keys.delimiter {
        layout.text = TextShape::Delimited(d.clone());
    }
    if let Some(u) = keys.amount_unit {
        layout.amount_unit = u;
        layout.xlsx_amount_unit = u;
    }
    if let Some(e) = keys.encoding {
        layout.encoding = e;
    }
    if let Some(h) = keys.header {
        layout.header = h;
    }
    if let Some(s) = keys.summary {
        layout.summary = s;
        layout.xlsx_summary = s;
    }
    if let Some(b) = keys.reference_bytes {
        layout.reference_bytes = b;
    }
    if let Some(b) = keys.name_bytes {
        layout.name_bytes = b;
    }
    if let Some(m) = keys.max_amount {
        layout.max_amount = m;
    }
    Ok(())
}

impl UploadLayout {
    /// The width of `field`'s column in a fixed-width text file.
    pub fn width(&self, field: UploadField) -> Option<usize> {
        let TextShape::Fixed(widths) = &self.text else {
            return None;
        };
        let i = self.text_columns().position(|(f, _)| *f == field)?;
        widths.get(i).copied()
    }

    /// The text file's columns: [`UploadLayout::columns`], without 序号
    /// unless [`UploadLayout::text_serial`].
    pub fn text_columns(&self) -> impl Iterator<Item = &(UploadField, String)> {
        self.columns
            .iter()
            .filter(|(f, _)| self.text_serial || *f != UploadField::Serial)
    }

    /// The most bytes `field` may take: its limit, and its width when the
    /// text file is fixed-width and will be written.
    pub fn limit(&self, field: UploadField) -> Option<usize> {
        let own = match field {
            UploadField::Reference => Some(self.reference_bytes),
            UploadField::Name => Some(self.name_bytes),
            _ => None,
        };
        let width = (self.format == UploadFormat::Text)
            .then(|| self.width(field))
            .flatten();
        match (own, width) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Does the layout have this column?
    pub fn has(&self, field: UploadField) -> bool {
        self.columns.iter().any(|(f, _)| *f == field)
    }
}

/// Bytes `text` takes in `encoding`; a character it cannot represent counts
/// 4 bytes (as GB18030 writes it).
pub fn byte_len(text: &str, encoding: &'static Encoding) -> usize {
    if encoding == encoding_rs::UTF_8 || text.is_ascii() {
        return text.len();
    }
    let (bytes, _, bad) = encoding.encode(text);
    if !bad {
        return bytes.len();
    }
    let mut buf = [0u8; 4];
    text.chars()
        .map(|c| {
            let (b, _, bad) = encoding.encode(c.encode_utf8(&mut buf));
            if bad { 4 } else { b.len() }
        })
        .sum()
}

/// The 备注 that matches a payment back: `{household_id} {YYYY-MM}` when it
/// fits in `limit` bytes of `encoding`, else the household number alone;
/// `None` when even that does not fit.
///
/// # Examples
/// ```
/// use dibao::model::date::Month;
/// use dibao::report::upload_layouts::reference;
/// let nov = Month::new(2026, 11).expect("a month");
/// let gbk = encoding_rs::GBK;
/// assert_eq!(reference("HP0001", nov, 20, gbk).as_deref(), Some("HP0001 2026-11"));
/// assert_eq!(reference("HP0001", nov, 12, gbk).as_deref(), Some("HP0001"));
/// assert_eq!(reference("HP0001", nov, 5, gbk), None);
/// ```
pub fn reference(
    household_id: &str,
    month: Month,
    limit: usize,
    encoding: &'static Encoding,
) -> Option<String> {
    let full = format!("{household_id} {month}");
    if byte_len(&full, encoding) <= limit {
        Some(full)
    } else if byte_len(household_id, encoding) <= limit {
        Some(household_id.to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::profile::parse;

    #[test]
    fn banks_by_their_roster_names() {
        for (bank, key) in [
            ("中国工商银行", "ICBC"),
            ("工商银行", "ICBC"),
            ("工行城区支行", "ICBC"),
            ("中国工商银行 东关支行", "ICBC"),
            ("icbc", "ICBC"),
            ("中国建设银行", "CCB"),
            ("建行", "CCB"),
            ("广发银行", "CGB"),
            ("广东发展银行", "CGB"),
            ("中国农业银行", "ABC"),
            ("农行", "ABC"),
            ("中国邮政储蓄银行", "PSBC"),
            ("邮储银行", "PSBC"),
            ("中国银行", "通用"),
            ("农村商业银行", "通用"),
            ("", "通用"),
        ] {
            assert_eq!(builtin_for(bank).name, key, "{bank}");
        }
        for key in BUILT_IN_KEYS {
            assert_eq!(builtin(key).map(|l| l.name), Some(key.to_string()));
        }
    }

    #[test]
    fn icbc_limits_are_the_measured_ones() {
        let icbc = builtin_for("工商银行");
        assert_eq!(icbc.reference_bytes, 12);
        assert_eq!(icbc.name_bytes, 60);
        assert_eq!(icbc.max_amount, Money::from_fen(9_999_999_999));
        assert_eq!(icbc.encoding, encoding_rs::GBK);
        let ccb = builtin_for("建设银行");
        assert_eq!(ccb.width(UploadField::Reference), Some(20));
        // The width counts only when the text file is written.
        assert_eq!(ccb.limit(UploadField::Account), None);
    }

    #[test]
    fn the_reference_fits_or_is_refused() {
        let nov = Month::new(2026, 11).expect("month");
        let gbk = encoding_rs::GBK;
        assert_eq!(
            reference("HP0001", nov, 14, gbk).as_deref(),
            Some("HP0001 2026-11")
        );
        assert_eq!(reference("HP0001", nov, 13, gbk).as_deref(), Some("HP0001"));
        assert_eq!(reference("HP0001", nov, 6, gbk).as_deref(), Some("HP0001"));
        assert_eq!(reference("HP0001", nov, 5, gbk), None);
        // Bytes, not characters: 低保 is 4 GBK bytes, 6 in UTF-8.
        assert_eq!(byte_len("低保1", gbk), 5);
        assert_eq!(byte_len("低保1", encoding_rs::UTF_8), 7);
        assert_eq!(byte_len("𠮷", gbk), 4);
    }

    #[test]
    fn a_profile_changes_the_built_in_layout() {
        let m = parse(
            "[[bank_profiles]]\nname = \"工行报盘\"\nbank = \"工商银行\"\n[bank_profiles.upload]\nformat = \"text\"\n\
             columns = [\"account\", \"户名\", \"金额\", \"备注\"]\nwidths = [20, 30, 12, 10]\namount_unit = \"fen\"\n\
             header = true\nsummary = \"first\"\nname_bytes = 30\nmax_amount = \"5000\"\n",
            "m.toml",
        )
        .expect("parse");
        // 中国工商银行 on the roster is the profile's 工商银行.
        let layout = for_bank(Some(&m), "中国工商银行").expect("layout");
        assert_eq!(layout.name, "工行报盘");
        assert_eq!(layout.format, UploadFormat::Text);
        assert_eq!(layout.text, TextShape::Fixed(vec![20, 30, 12, 10]));
        assert_eq!(layout.columns.len(), 4);
        assert_eq!(layout.amount_unit, AmountUnit::Fen);
        assert_eq!(layout.xlsx_amount_unit, AmountUnit::Fen);
        assert!(layout.header);
        assert_eq!(layout.summary, SummaryAt::First);
        assert_eq!(layout.xlsx_summary, SummaryAt::First);
        assert_eq!(layout.reference_bytes, 12, "kept from the built-in");
        assert_eq!(
            layout.limit(UploadField::Reference),
            Some(10),
            "the width is less"
        );
        assert_eq!(layout.limit(UploadField::Name), Some(30));
        assert_eq!(layout.max_amount, Money::from_fen(500_000));
        // Another bank is untouched.
        assert_eq!(
            for_bank(Some(&m), "中国农业银行").expect("abc"),
            builtin_for("农行")
        );
    }

    #[test]
    fn old_upload_text_profiles_still_write_text() {
        let m = parse(
            "[[bank_profiles]]\nbank = \"中国农业银行\"\nupload_text = true\ndelimiter = \",\"\namount_unit = \"fen\"\n",
            "m.toml",
        )
        .expect("parse");
        let layout = for_bank(Some(&m), "中国农业银行").expect("layout");
        assert_eq!(layout.format, UploadFormat::Text);
        assert_eq!(layout.text, TextShape::Delimited(",".into()));
        assert_eq!(layout.amount_unit, AmountUnit::Fen);
        // The workbook keeps yuan: the old key shaped the text file only.
        assert_eq!(layout.xlsx_amount_unit, AmountUnit::Yuan);
    }

    #[test]
    fn bad_upload_keys_name_the_line() {
        for (text, line) in [
            ("bank = \"x\"\n[upload]\nformat = \"pdf\"\n", 3),
            (
                "bank = \"x\"\n[upload]\ncolumns = [\"账号\", \"金额\"]\n",
                3,
            ),
            (
                "bank = \"x\"\n[upload]\ncolumns = [\"账号\", \"金额\", \"备注\"]\n\nwidths = [1, 2]\n",
                5,
            ),
            ("bank = \"x\"\n[upload]\nreference_bytes = 0\n", 3),
            ("bank = \"x\"\n[upload]\nmax_amount = \"-1\"\n", 3),
            ("bank = \"x\"\n[upload]\nsummary = \"middle\"\n", 3),
            ("bank = \"x\"\n[upload]\nencoding = \"utf-16le\"\n", 3),
            (
                "bank = \"x\"\n[upload]\ndelimiter = \"|\"\nwidths = [1]\n",
                4,
            ),
            ("bank = \"x\"\n[upload]\nreference_byte = 12\n", 3),
        ] {
            let err = parse(text, "m.toml").expect_err(text);
            assert!(
                matches!(err, Error::Config { line: l, .. } if l == line),
                "{text}: {err}"
            );
        }
        let m = parse("bank = \"农行\"\n[upload]\nheaders = [\"a\"]\n", "m.toml").expect("parse");
        assert!(matches!(for_bank(Some(&m), "农行"), Err(Error::Usage(_))));
    }
}
