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
//! date_format = "%Y%m%d"       # chrono format tried first for dates
//! bank = "中国农业银行"         # payroll: the bank whose upload this profile shapes
//! upload_text = true           # payroll: also write that bank's upload as text
//! [upload]                     # payroll: the bank's upload layout (see `super::upload`)
//! reference_bytes = 12
//! [aliases]                    # extra headers per field (canonical names)
//! account = ["收方账号"]
//! ```
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
    let outcome = match &raw.outcome {
        None => None,
        Some(o) => match o.get_ref().trim().to_lowercase().as_str() {
            "success" | "成功" => Some(Outcome::Success),
            "failure" | "失败" => Some(Outcome::Failure),
            other => {
                return Err(config(
                    o.span().start,
                    format!("outcome {other:?} is not success or failure"),
                ));
            }
        },
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
