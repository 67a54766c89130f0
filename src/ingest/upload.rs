//! A bank profile's `[upload]` table: the shape of the upload file (代发报盘)
//! a bank loads, as the mapping file writes it. Every key is optional; what
//! is not given comes from the bank's built-in layout
//! (`crate::report::upload_layouts`).
//!
//! ```toml
//! [upload]
//! format = "text"                  # xlsx | text (text: the workbook and a .txt)
//! columns = ["账号", "户名", "金额", "身份证号", "备注"]
//! headers = ["收款账号", "收款户名", "金额", "证件号码", "用途"]
//! delimiter = "|"                  # text, delimited
//! widths = [32, 60, 15, 18, 12]    # text, fixed width: GBK bytes per column
//! amount_unit = "fen"              # yuan | fen
//! encoding = "gbk"                 # the text file's; byte limits count in it
//! header = true                    # a header line first
//! summary = "first"                # first | last | none: the count and total line
//! reference_bytes = 12             # 备注 at most 12 bytes
//! name_bytes = 60                  # 户名 at most 60 bytes
//! max_amount = "99999999.99"       # one line's amount at most (yuan)
//! ```
//!
//! Invariant: every value is checked here, and an error names the mapping
//! file's line, so that a layout reaching a writer is always writable.

use encoding_rs::Encoding;
use serde::Deserialize;
use toml::Spanned;

use super::profile::AmountUnit;
use crate::error::Error;
use crate::model::money::{self, Money};

/// A column of a bank upload: what it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UploadField {
    /// 序号: 1, 2, … within the bank's file.
    Serial,
    /// 账号.
    Account,
    /// 户名: the name on the account.
    Name,
    /// 金额.
    Amount,
    /// 身份证号.
    IdNumber,
    /// 备注: the household number (and month) the bank echoes back.
    Reference,
}

impl UploadField {
    pub const ALL: [UploadField; 6] = [
        UploadField::Serial,
        UploadField::Account,
        UploadField::Name,
        UploadField::Amount,
        UploadField::IdNumber,
        UploadField::Reference,
    ];

    /// The column's usual header (and its name in a mapping file).
    pub fn label(self) -> &'static str {
        match self {
            UploadField::Serial => "序号",
            UploadField::Account => "账号",
            UploadField::Name => "户名",
            UploadField::Amount => "金额",
            UploadField::IdNumber => "身份证号",
            UploadField::Reference => "备注",
        }
    }

    /// The English name a mapping file may use instead.
    pub fn canonical(self) -> &'static str {
        match self {
            UploadField::Serial => "serial",
            UploadField::Account => "account",
            UploadField::Name => "name",
            UploadField::Amount => "amount",
            UploadField::IdNumber => "id_number",
            UploadField::Reference => "reference",
        }
    }

    /// By its label or canonical name.
    pub fn by_name(name: &str) -> Option<UploadField> {
        let name = name.trim();
        UploadField::ALL
            .into_iter()
            .find(|f| f.label() == name || f.canonical() == name)
    }
}

/// Which files the upload is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadFormat {
    /// The workbook only.
    Xlsx,
    /// The workbook and the text file.
    Text,
}

/// Where the count-and-total line stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryAt {
    First,
    Last,
    None,
}

/// The `[upload]` table, checked: each key as given, `None` when absent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UploadKeys {
    pub format: Option<UploadFormat>,
    pub columns: Option<Vec<UploadField>>,
    pub headers: Option<Vec<String>>,
    pub delimiter: Option<String>,
    pub widths: Option<Vec<usize>>,
    pub amount_unit: Option<AmountUnit>,
    pub encoding: Option<&'static Encoding>,
    pub header: Option<bool>,
    pub summary: Option<SummaryAt>,
    pub reference_bytes: Option<usize>,
    pub name_bytes: Option<usize>,
    pub max_amount: Option<Money>,
}

/// The `[upload]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUpload {
    format: Option<Spanned<String>>,
    columns: Option<Spanned<Vec<String>>>,
    headers: Option<Spanned<Vec<String>>>,
    delimiter: Option<Spanned<String>>,
    widths: Option<Spanned<Vec<usize>>>,
    amount_unit: Option<Spanned<String>>,
    encoding: Option<Spanned<String>>,
    header: Option<bool>,
    summary: Option<Spanned<String>>,
    reference_bytes: Option<Spanned<usize>>,
    name_bytes: Option<Spanned<usize>>,
    max_amount: Option<Spanned<String>>,
}

/// Checks an `[upload]` table; `config` makes an error at an offset of the
/// mapping text.
///
/// # Errors
/// [`Error::Config`] (through `config`) for an unknown format, column,
/// unit, encoding or summary place; an empty or repeated column list;
/// headers or widths that do not give one per column; a zero width or
/// limit; a delimiter that is empty or holds a line break; both a delimiter
/// and widths; a `max_amount` that is not an amount above zero.
pub fn resolve(
    raw: RawUpload,
    config: &dyn Fn(usize, String) -> Error,
) -> Result<UploadKeys, Error> {
    let format = match &raw.format {
        None => None,
        Some(f) => Some(match f.get_ref().trim() {
            "xlsx" => UploadFormat::Xlsx,
            "text" | "txt" => UploadFormat::Text,
            other => {
                return Err(config(
                    f.span().start,
                    format!("upload format {other:?} is not xlsx or text"),
                ));
            }
        }),
    };
    let columns = match &raw.columns {
        None => None,
        Some(c) => {
            let mut fields = Vec::new();
            for name in c.get_ref() {
                let Some(field) = UploadField::by_name(name) else {
                    return Err(config(
                        c.span().start,
                        format!(
                            "upload column {name:?} is not one of 序号, 账号, 户名, 金额, 身份证号, 备注 \
                             (serial, account, name, amount, id_number, reference)"
                        ),
                    ));
                };
                if fields.contains(&field) {
                    return Err(config(
                        c.span().start,
                        format!("upload column {name:?} is given twice"),
                    ));
                }
                fields.push(field);
            }
            for needed in [
                UploadField::Account,
                UploadField::Amount,
                UploadField::Reference,
            ] {
                if !fields.contains(&needed) {
                    return Err(config(
                        c.span().start,
                        format!(
                            "upload columns need {} ({}): the bank pays by it or echoes it back",
                            needed.label(),
                            needed.canonical()
                        ),
                    ));
                }
            }
            Some(fields)
        }
    };
    let per_column = |what: &str, len: usize, start: usize| -> Result<(), Error> {
        let n = columns.as_ref().map_or(0, Vec::len);
        if columns.is_some() && len != n {
            return Err(config(
                start,
                format!("upload {what} gives {len} values for {n} columns"),
            ));
        }
        Ok(())
    };
    if let Some(h) = &raw.headers {
        per_column("headers", h.get_ref().len(), h.span().start)?;
    }
    if let Some(w) = &raw.widths {
        per_column("widths", w.get_ref().len(), w.span().start)?;
        if w.get_ref().contains(&0) {
            return Err(config(
                w.span().start,
                "an upload width must be above 0".into(),
            ));
        }
        if raw.delimiter.is_some() {
            return Err(config(
                w.span().start,
                "give either an upload delimiter or widths, not both".into(),
            ));
        }
    }
    if let Some(d) = &raw.delimiter
        && (d.get_ref().is_empty() || d.get_ref().contains(['\r', '\n']))
    {
        return Err(config(
            d.span().start,
            "the upload delimiter must not be empty or hold a line break".into(),
        ));
    }
    let amount_unit = match &raw.amount_unit {
        None => None,
        Some(u) => Some(match u.get_ref().trim() {
            "yuan" | "元" => AmountUnit::Yuan,
            "fen" | "分" => AmountUnit::Fen,
            other => {
                return Err(config(
                    u.span().start,
                    format!("upload amount_unit {other:?} is not yuan or fen"),
                ));
            }
        }),
    };
    let encoding = match &raw.encoding {
        None => None,
        Some(e) => {
            let found = Encoding::for_label(e.get_ref().trim().as_bytes())
                .filter(|enc| enc.output_encoding() == *enc);
            Some(found.ok_or_else(|| {
                config(
                    e.span().start,
                    format!(
                        "upload encoding {:?} cannot be written; use gbk, gb18030 or utf-8",
                        e.get_ref()
                    ),
                )
            })?)
        }
    };
    let summary = match &raw.summary {
        None => None,
        Some(s) => Some(match s.get_ref().trim() {
            "first" => SummaryAt::First,
            "last" => SummaryAt::Last,
            "none" => SummaryAt::None,
            other => {
                return Err(config(
                    s.span().start,
                    format!("upload summary {other:?} is not first, last or none"),
                ));
            }
        }),
    };
    let positive = |v: &Option<Spanned<usize>>, key: &str| -> Result<Option<usize>, Error> {
        match v {
            Some(n) if *n.get_ref() == 0 => Err(config(
                n.span().start,
                format!("upload {key} must be above 0"),
            )),
            Some(n) => Ok(Some(*n.get_ref())),
            None => Ok(None),
        }
    };
    let reference_bytes = positive(&raw.reference_bytes, "reference_bytes")?;
    let name_bytes = positive(&raw.name_bytes, "name_bytes")?;
    let max_amount = match &raw.max_amount {
        None => None,
        Some(m) => match money::parse(m.get_ref(), AmountUnit::Yuan) {
            Ok(v) if v > Money::ZERO => Some(v),
            _ => {
                return Err(config(
                    m.span().start,
                    format!(
                        "upload max_amount {:?} is not an amount in yuan above 0 (e.g. \"99999999.99\")",
                        m.get_ref()
                    ),
                ));
            }
        },
    };
    Ok(UploadKeys {
        format,
        columns,
        headers: raw.headers.map(Spanned::into_inner),
        delimiter: raw.delimiter.map(Spanned::into_inner),
        widths: raw.widths.map(Spanned::into_inner),
        amount_unit,
        encoding,
        header: raw.header,
        summary,
        reference_bytes,
        name_bytes,
        max_amount,
    })
}
