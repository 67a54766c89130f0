//! Mapping profiles (SPEC §2.5): how to read one bank's or office's files
//! when detection is not enough. A TOML file holds either one profile at the
//! top level, applied to every input read with it, or a list of
//! `[[bank_profiles]]`, each with a file-name pattern (`match = "工行*.txt"`,
//! `*` and `?` wildcards); an input uses the first profile whose pattern
//! matches its file name, or a profile without a pattern.
//!
//! Keys (all optional):
//!
//! ```toml
//! name = "农行代发"            # shown in messages
//! match = "*.txt"              # [[bank_profiles]] only: which files
//! kind = "bank"                # roster | bank | checkins
//! sheet = "回盘"               # the sheet to read
//! encoding = "gbk"             # any WHATWG label: utf-8, gbk, gb18030, utf-16le
//! delimiter = "|!"             # any string; longer than one character = split literally
//! header_row = 3               # the header's row or line (1-based); no detection
//! skip_lines = 2               # rows or lines to ignore at the top
//! trailer = ["TOTAL", "T|"]    # a row whose first value starts so is a totals/trailer row
//! amount_unit = "fen"          # yuan (default) | fen
//! outcome = "success"          # bank: every row of such a file succeeded (or "failure"):
//!                              # a bank's separate success and failure files
//! success = ["S", "成功"]      # replaces the success words
//! failure = ["F"]              # replaces the failure words
//! status_prefix = true         # bank: `001 成功` matches the word `001` (its leading code)
//! empty_status = "success"     # bank: an empty status cell means success (or "failure")
//! match_by = ["id_number"]     # bank: the file has no account column; rows match by these
//! columns = ["account", "account_name", "amount", "", "status"]
//!                              # headerless: fields by position ("" = ignored); every
//!                              # line below skip_lines is data, no header is looked for
//! split = "whitespace"         # text: runs of spaces and tabs separate the columns
//! widths = [20, 20, 14]        # text: fixed-width columns, in the file's own bytes (GBK
//!                              # counts a Chinese character as 2); the rest of a line is
//!                              # one more column; values are trimmed
//! summary = "last"             # the first or last line is a summary (总笔数, 总金额): not
//!                              # data; its count and total are checked against the rows
//! date_format = "%Y%m%d"       # chrono format tried first for dates
//! bank = "中国农业银行"         # payroll: the bank whose upload this profile shapes
//! upload_text = true           # payroll: also write that bank's upload as text
//! [upload]                     # payroll: the bank's upload layout (see `super::upload`)
//! reference_bytes = 12
//! [aliases]                    # extra headers per field (canonical names)
//! account = ["收方账号"]
//! ```
//!
//! Lines made only of rule characters (`─│┌┐└┘├┤┬┴┼═║`, `-----`, `=====`)
//! are not rows of any kind, with or without a profile; a text file whose
//! lines are drawn with `│` is split at it.
//!
//! Examples, one per bank layout that dibao knows by itself (see
//! [`super::layouts`], where these same profiles are written as data):
//!
//! ```toml
//! # 工商银行 回盘 txt: GBK, no header, fixed widths, fen, a summary line last
//! columns = ["account", "account_name", "amount", "reference", "status"]
//! widths = [20, 20, 14, 16]
//! amount_unit = "fen"
//! summary = "last"
//! status_prefix = true
//! success = ["001"]
//! failure = ["002", "003", "004", "005", "006", "007", "008", "009"]
//!
//! # Hundsun GAPS 代付回盘 (_RT): a summary line first, then `|` fields
//! delimiter = "|"
//! columns = ["", "account", "account_name", "amount", "status", "reason", "reference"]
//! amount_unit = "fen"
//! summary = "first"
//! success = ["1"]
//! failure = ["2"]
//!
//! # 广发银行 #[BatchPayDetail]: status 0 = paid, 1 = failed
//! success = ["0"]
//! failure = ["1"]
//!
//! # a bank core's failure file: no account column, matched by ID or 备注
//! outcome = "failure"
//! match_by = ["id_number", "reference"]
//! [aliases]
//! reason = ["处理结果"]
//! ```
//!
//! A profile's `[aliases]` come before dibao's own header names: `处理结果`
//! named as the reason is not read as the status.
//!
//! Invariant: every error names the mapping file's line.

use std::collections::BTreeMap;
use std::path::Path;

use encoding_rs::Encoding;
use serde::Deserialize;
use toml::Spanned;

use super::schema::{Field, Kind, field_by_name};
use crate::error::Error;

/// Amount unit of a bank file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AmountUnit {
    #[default]
    Yuan,
    Fen,
}

/// What a bank file declares of all its rows (a bank's separate success
/// and failure files), instead of a status column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
}

/// How a text file's lines are cut into columns when not by a delimiter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Split {
    /// Runs of spaces and tabs separate the columns.
    Whitespace,
    /// Fixed widths in the file's encoded bytes; the rest of a line is one
    /// more column.
    Widths(Vec<usize>),
}

/// Which line of a file is its summary (count and total).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryLine {
    First,
    Last,
}

/// A resolved profile.
#[derive(Clone, Debug, Default)]
pub struct Profile {
    pub name: Option<String>,
    pub pattern: Option<String>,
    pub kind: Option<Kind>,
    pub sheet: Option<String>,
    pub encoding: Option<&'static Encoding>,
    pub delimiter: Option<String>,
    pub header_row: Option<u32>,
    pub skip_lines: u32,
    pub trailer: Vec<String>,
    /// The unit the profile declares for amounts (`amount_unit`); `None`
    /// when it declares none (the file's headers and cells say, else yuan).
    pub amount_unit: Option<AmountUnit>,
    /// Bank: the outcome of every row, when the file says it by being the
    /// success or the failure file.
    pub outcome: Option<Outcome>,
    pub success: Option<Vec<String>>,
    pub failure: Option<Vec<String>>,
    /// Bank: a status matches a word by its leading code (`001 成功`).
    pub status_prefix: bool,
    /// Bank: what an empty status cell means.
    pub empty_status: Option<Outcome>,
    /// Bank: the file has no account column; rows are matched by these.
    pub match_by: Vec<Field>,
    /// Headerless: the field of each column by position (`None` = ignored).
    pub columns: Option<Vec<Option<Field>>>,
    /// Text: columns cut by whitespace or fixed widths.
    pub split: Option<Split>,
    /// The summary line, not data: its figures are checked.
    pub summary: Option<SummaryLine>,
    pub date_format: Option<String>,
    /// The bank this profile is for (payroll: its upload files).
    pub bank: Option<String>,
    /// Payroll: also write the bank's upload as text (this profile's
    /// delimiter, default `|`, and encoding, default GBK).
    pub upload_text: bool,
    /// Payroll: the `[upload]` table, the bank's upload layout (what it
    /// does not give comes from the bank's built-in layout).
    pub upload: Option<super::upload::UploadKeys>,
    /// Extra header names per field.
    pub aliases: Vec<(Field, String)>,
}

/// Profiles from one mapping file.
#[derive(Clone, Debug, Default)]
pub struct Mapping {
    pub profiles: Vec<Profile>,
    /// The file it was read from (for the manifest); `None` when parsed
    /// from text.
    pub source: Option<std::path::PathBuf>,
}

impl Mapping {
    /// The profile for a file name: the first whose pattern matches, or the
    /// first without a pattern.
    pub fn for_file(&self, file_name: &str) -> Option<&Profile> {
        self.profiles
            .iter()
            .find(|p| {
                p.pattern
                    .as_deref()
                    .is_some_and(|pat| wildcard(pat, file_name))
            })
            .or_else(|| self.profiles.iter().find(|p| p.pattern.is_none()))
    }
}

/// One profile as written in TOML (a mapping file, or a `[[bank_profiles]]`
/// entry of a workspace's `dibao.toml`); spans are offsets into that text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    name: Option<String>,
    #[serde(rename = "match")]
    pattern: Option<String>,
    kind: Option<Spanned<String>>,
    sheet: Option<String>,
    encoding: Option<Spanned<String>>,
    delimiter: Option<Spanned<String>>,
    header_row: Option<Spanned<u32>>,
    skip_lines: Option<u32>,
    trailer: Option<Vec<String>>,
    amount_unit: Option<Spanned<String>>,
    outcome: Option<Spanned<String>>,
    success: Option<Vec<String>>,
    failure: Option<Vec<String>>,
    status_prefix: Option<bool>,
    empty_status: Option<Spanned<String>>,
    match_by: Option<Spanned<Vec<String>>>,
    columns: Option<Spanned<Vec<String>>>,
    split: Option<Spanned<String>>,
    widths: Option<Spanned<Vec<usize>>>,
    summary: Option<Spanned<String>>,
    date_format: Option<String>,
    bank: Option<String>,
    upload_text: Option<bool>,
    upload: Option<super::upload::RawUpload>,
    aliases: Option<BTreeMap<Spanned<String>, Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    bank_profiles: Vec<RawProfile>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Reads a mapping file.
///
/// # Errors
/// [`Error::Io`] when it cannot be read, [`Error::Config`] (with the line)
/// when it is not valid TOML or a key or value is wrong.
pub fn load(path: &Path) -> Result<Mapping, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut mapping = parse(&text, &path.display().to_string())?;
    mapping.source = Some(path.to_path_buf());
    Ok(mapping)
}

/// Parses mapping text; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Mapping, Error> {
    let config = |offset: usize, message: String| Error::Config {
        file: file.to_string(),
        line: line_of(text, offset),
        message,
    };
    let de_err = |e: toml::de::Error| {
        let offset = e.span().map_or(0, |s| s.start);
        config(offset, e.message().to_string())
    };
    let is_list = text
        .lines()
        .any(|l| l.trim_start().starts_with("[[bank_profiles]]"));
    let raws = if is_list {
        toml::from_str::<RawList>(text)
            .map_err(de_err)?
            .bank_profiles
    } else {
        vec![toml::from_str::<RawProfile>(text).map_err(de_err)?]
    };
    resolve_all(raws, text, file)
}

/// Resolves profiles deserialized from `text` (the file `file`), checking
/// their values; errors name the line in `text`.
///
/// # Errors
/// [`Error::Config`] when a value is wrong.
pub fn resolve_all(raws: Vec<RawProfile>, text: &str, file: &str) -> Result<Mapping, Error> {
    let config = |offset: usize, message: String| Error::Config {
        file: file.to_string(),
        line: line_of(text, offset),
        message,
    };
    let mut profiles = Vec::new();
    for raw in raws {
        profiles.push(resolve(raw, &config)?);
    }
    Ok(Mapping {
        profiles,
        source: None,
    })
}

fn resolve(raw: RawProfile, config: &dyn Fn(usize, String) -> Error) -> Result<Profile, Error> {
    let kind = match &raw.kind {
        None => None,
        Some(k) => Some(match k.get_ref().as_str() {
            "roster" => Kind::Roster,
            "bank" => Kind::Bank,
            "checkins" => Kind::Checkins,
            other => {
                return Err(config(
                    k.span().start,
                    format!("kind {other:?} is not one of roster, bank, checkins"),
                ));
            }
        }),
    };
    let encoding = match &raw.encoding {
        None => None,
        Some(e) => Some(Encoding::for_label(e.get_ref().as_bytes()).ok_or_else(|| {
            config(
                e.span().start,
                format!(
                    "unknown encoding {:?}; use utf-8, gbk or gb18030",
                    e.get_ref()
                ),
            )
        })?),
    };
    if let Some(d) = &raw.delimiter
        && d.get_ref().is_empty()
    {
        return Err(config(d.span().start, "delimiter must not be empty".into()));
    }
    if let Some(h) = &raw.header_row
        && *h.get_ref() == 0
    {
        return Err(config(h.span().start, "header_row counts from 1".into()));
    }
    let amount_unit = match &raw.amount_unit {
        None => None,
        Some(u) => Some(match u.get_ref().as_str() {
            "yuan" | "元" => AmountUnit::Yuan,
            "fen" | "分" => AmountUnit::Fen,
            other => {
                return Err(config(
                    u.span().start,
                    format!("amount_unit {other:?} is not yuan or fen"),
                ));
            }
        }),
    };
    let outcome_of =
        |key: &str, o: &Spanned<String>| match o.get_ref().trim().to_lowercase().as_str() {
            "success" | "成功" => Ok(Outcome::Success),
            "failure" | "失败" => Ok(Outcome::Failure),
            other => Err(config(
                o.span().start,
                format!("{key} {other:?} is not success or failure"),
            )),
        };
    let outcome = raw
        .outcome
        .as_ref()
        .map(|o| outcome_of("outcome", o))
        .transpose()?;
    let empty_status = raw
        .empty_status
        .as_ref()
        .map(|o| outcome_of("empty_status", o))
        .transpose()?;
    let field_named = |name: &str| Kind::ALL.iter().find_map(|&k| field_by_name(k, name));
    let mut match_by = Vec::new();
    if let Some(m) = &raw.match_by {
        for name in m.get_ref() {
            match field_named(name) {
                Some(f @ (Field::IdNumber | Field::Reference)) => match_by.push(f),
                _ => {
                    return Err(config(
                        m.span().start,
                        format!(
                            "match_by {name:?}: a row without an account can match by id_number or reference"
                        ),
                    ));
                }
            }
        }
    }
    let columns = match &raw.columns {
        None => None,
        Some(c) => {
            let mut fields = Vec::new();
            for name in c.get_ref() {
                let name = name.trim();
                if name.is_empty() || name == "_" || name == "-" {
                    fields.push(None);
                    continue;
                }
                match field_named(name) {
                    Some(f) if !fields.contains(&Some(f)) => fields.push(Some(f)),
                    Some(_) => {
                        return Err(config(
                            c.span().start,
                            format!("columns names {name:?} twice"),
                        ));
                    }
                    None => {
                        return Err(config(
                            c.span().start,
                            format!(
                                "columns: {name:?} is not a field name (account, account_name, amount, status, reason, reference, id_number, date, txn_id, or \"\" for a column to ignore)"
                            ),
                        ));
                    }
                }
            }
            if kind.is_none_or(|k| k == Kind::Bank) {
                let has = |f: Field| fields.contains(&Some(f));
                let key = has(Field::Account) || match_by.iter().any(|&f| has(f));
                let missing: Vec<&str> = [
                    (key, "account"),
                    (has(Field::AccountName), "account_name"),
                    (has(Field::Amount), "amount"),
                ]
                .into_iter()
                .filter(|(ok, _)| !ok)
                .map(|(_, n)| n)
                .collect();
                if !missing.is_empty() {
                    return Err(config(
                        c.span().start,
                        format!("columns of a bank file must name {}", missing.join(", ")),
                    ));
                }
            }
            Some(fields)
        }
    };
    let split = match (&raw.split, &raw.widths) {
        (Some(s), Some(_)) => {
            return Err(config(
                s.span().start,
                "give either split = \"whitespace\" or widths = [..], not both".into(),
            ));
        }
        (Some(s), None) => match s.get_ref().trim().to_lowercase().as_str() {
            "whitespace" | "spaces" | "空格" => Some(Split::Whitespace),
            other => {
                return Err(config(
                    s.span().start,
                    format!(
                        "split {other:?} is not \"whitespace\" (for fixed columns use widths = [..])"
                    ),
                ));
            }
        },
        (None, Some(w)) => {
            if w.get_ref().is_empty() || w.get_ref().contains(&0) {
                return Err(config(
                    w.span().start,
                    "widths are byte counts of at least 1, one per column".into(),
                ));
            }
            Some(Split::Widths(w.get_ref().clone()))
        }
        (None, None) => None,
    };
    if split.is_some()
        && let Some(d) = &raw.delimiter
    {
        return Err(config(
            d.span().start,
            "a delimiter and split/widths cannot both cut the columns".into(),
        ));
    }
    let summary = match &raw.summary {
        None => None,
        Some(s) => Some(match s.get_ref().trim().to_lowercase().as_str() {
            "first" => SummaryLine::First,
            "last" => SummaryLine::Last,
            other => {
                return Err(config(
                    s.span().start,
                    format!("summary {other:?} is not first or last"),
                ));
            }
        }),
    };
    let upload = raw
        .upload
        .map(|u| super::upload::resolve(u, config))
        .transpose()?;
    let mut aliases = Vec::new();
    for (field, headers) in raw.aliases.into_iter().flatten() {
        let found = Kind::ALL
            .iter()
            .find_map(|&k| field_by_name(k, field.get_ref()));
        let Some(f) = found else {
            return Err(config(
                field.span().start,
                format!(
                    "{:?} is not a field name (household_id, name, id_number, account, amount, status, date, …)",
                    field.get_ref()
                ),
            ));
        };
        aliases.extend(headers.into_iter().map(|h| (f, h)));
    }
    Ok(Profile {
        name: raw.name,
        pattern: raw.pattern,
        kind,
        sheet: raw.sheet,
        encoding,
        delimiter: raw.delimiter.map(Spanned::into_inner),
        header_row: raw.header_row.map(Spanned::into_inner),
        skip_lines: raw.skip_lines.unwrap_or(0),
        trailer: raw.trailer.unwrap_or_default(),
        amount_unit,
        outcome,
        success: raw.success,
        failure: raw.failure,
        status_prefix: raw.status_prefix.unwrap_or(false),
        empty_status,
        match_by,
        columns,
        split,
        summary,
        date_format: raw.date_format,
        bank: raw.bank,
        upload_text: raw.upload_text.unwrap_or(false),
        upload,
        aliases,
    })
}

/// `*` and `?` wildcard match on a whole name.
pub fn wildcard(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_top_level_profile() {
        let m = parse(
            "encoding = \"gbk\"\ndelimiter = \"|!\"\nheader_row = 3\namount_unit = \"fen\"\nsuccess = [\"S\"]\n[aliases]\naccount = [\"收方账号\"]\n",
            "m.toml",
        )
        .unwrap();
        let p = m.for_file("x.txt").unwrap();
        assert_eq!(p.encoding, Some(encoding_rs::GBK));
        assert_eq!(p.delimiter.as_deref(), Some("|!"));
        assert_eq!(p.amount_unit, Some(AmountUnit::Fen));
        assert_eq!(p.aliases, vec![(Field::Account, "收方账号".to_string())]);
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("encoding = \"gbk\"\n\ndelimitter = \",\"\n", "m.toml").unwrap_err();
        assert!(matches!(err, Error::Config { line: 3, .. }), "{err}");
        let err = parse("amount_unit = \"cents\"\n", "m.toml").unwrap_err();
        assert!(matches!(err, Error::Config { line: 1, .. }), "{err}");
        let err = parse("[aliases]\naccont = [\"x\"]\n", "m.toml").unwrap_err();
        assert!(matches!(err, Error::Config { line: 2, .. }), "{err}");
    }

    #[test]
    fn layout_keys_and_their_errors() {
        let m = parse(
            "columns = [\"\", \"account\", \"account_name\", \"amount\", \"status\"]\nwidths = [4, 20]\nsummary = \"last\"\nstatus_prefix = true\nempty_status = \"success\"\n",
            "m.toml",
        )
        .unwrap();
        let p = &m.profiles[0];
        assert_eq!(p.columns.as_ref().map(Vec::len), Some(5));
        assert_eq!(p.split, Some(Split::Widths(vec![4, 20])));
        assert_eq!(p.summary, Some(SummaryLine::Last));
        assert!(p.status_prefix);
        assert_eq!(p.empty_status, Some(Outcome::Success));
        for (text, line) in [
            ("name = \"x\"\nsplit = \"tabs\"\n", 2),
            ("\nsummary = \"end\"\n", 2),
            ("widths = [0]\n", 1),
            ("\n\ncolumns = [\"account\", \"amount\"]\n", 3),
            ("split = \"whitespace\"\nwidths = [3]\n", 1),
            ("match_by = [\"name\"]\n", 1),
        ] {
            let err = parse(text, "m.toml").unwrap_err();
            assert!(
                matches!(err, Error::Config { line: l, .. } if l == line),
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn profiles_by_file_name() {
        let m = parse(
            "[[bank_profiles]]\nname = \"icbc\"\nmatch = \"工行*.txt\"\ndelimiter = \"|\"\n[[bank_profiles]]\nname = \"any\"\n",
            "m.toml",
        )
        .unwrap();
        assert_eq!(
            m.for_file("工行11月.txt").unwrap().name.as_deref(),
            Some("icbc")
        );
        assert_eq!(
            m.for_file("农行.xlsx").unwrap().name.as_deref(),
            Some("any")
        );
        assert!(wildcard("*.t?t", "a.txt"));
        assert!(!wildcard("*.csv", "a.txt"));
    }
}
