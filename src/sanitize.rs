//! Text that crosses a boundary: characters no input value may hold, how a
//! value is shown on a terminal, and how it is kept from being a formula in
//! the CSV files dibao writes.
//!
//! - [`bad_char`]: control characters (C0, DEL, C1), invisible formatting
//!   (bidirectional overrides and isolates, zero-width characters) and
//!   private-use or non-characters. None of them belongs in a name, a bank
//!   or a remark: they hide differences between values, break bank files and
//!   move or recolour text on a terminal.
//! - [`escaped`]: a value as it may be printed: every such character as
//!   `\u{1b}`, so no escape sequence from a file reaches the terminal.
//!   [`Terminal`] applies it to everything written to standard output.
//! - [`csv_escape`] / [`csv_unescape`]: the OWASP rule for CSV files. A value
//!   that a spreadsheet would take as a formula (it starts with `=`, `+`,
//!   `-`, `@`, a tab or a CR) is written with a `'` in front, unless it is a
//!   plain number (`-35.00`). The pair is exact: `csv_unescape(csv_escape(s))
//!   == s` for every `s`, since a value that already starts with `'` before
//!   such a character gets one more.

use std::borrow::Cow;
use std::io::{self, Write};

/// Why a character is not allowed in a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadChar {
    /// C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F).
    Control,
    /// Bidirectional marks, overrides and isolates; zero-width characters.
    Invisible,
    /// Private use (U+E000–U+F8FF, planes 15–16) and non-characters.
    PrivateUse,
}

/// The class of a character that no value may hold, if it is one.
pub fn bad_char(c: char) -> Option<BadChar> {
    match c {
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Some(BadChar::Control),
        '\u{61c}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}' => Some(BadChar::Invisible),
        '\u{e000}'..='\u{f8ff}'
        | '\u{f0000}'..='\u{10ffff}'
        | '\u{fdd0}'..='\u{fdef}'
        | '\u{fffe}'
        | '\u{ffff}' => Some(BadChar::PrivateUse),
        _ => None,
    }
}

/// The first character of `s` that no value may hold, with its class.
pub fn first_bad_char(s: &str) -> Option<(char, BadChar)> {
    // Every such character is a control byte or starts with a byte ≥ 0xC2.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return None;
    }
    s.chars().find_map(|c| bad_char(c).map(|k| (c, k)))
}

/// Like [`first_bad_char`], but line breaks and tabs are allowed (a remark
/// typed with Alt+Enter).
pub fn first_bad_char_in_note(s: &str) -> Option<(char, BadChar)> {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b) || b == b'\n') {
        return None;
    }
    s.chars()
        .filter(|c| !matches!(c, '\n' | '\r' | '\t'))
        .find_map(|c| bad_char(c).map(|k| (c, k)))
}

fn needs_escape(c: char) -> bool {
    bad_char(c).is_some()
}

fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// `s` with every character that [`bad_char`] names written as `\u{1b}`:
/// safe to print, and shows the user where the character is.
pub fn escaped(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// At most `max` characters of `s`, then `…`: long values in messages.
pub fn shortened(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((end, _)) => Cow::Owned(format!("{}…", &s[..end])),
    }
}

/// A writer (standard output) through which nothing from a file can move
/// the cursor or recolour the terminal: each line is passed through
/// [`escaped`] (line ends and tabs are kept).
pub struct Terminal<W: Write> {
    inner: W,
    line: Vec<u8>,
}

impl<W: Write> Terminal<W> {
    pub fn new(inner: W) -> Terminal<W> {
        Terminal {
            inner,
            line: Vec::new(),
        }
    }

    fn emit(&mut self) -> io::Result<()> {
        if self.line.is_empty() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&self.line);
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if matches!(c, '\n' | '\t') || !needs_escape(c) {
                out.push(c);
            } else {
                push_escaped(&mut out, c);
            }
        }
        self.line.clear();
        self.inner.write_all(out.as_bytes())
    }
}

impl<W: Write> Write for Terminal<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = memchr::memchr(b'\n', rest) {
            self.line.extend_from_slice(&rest[..=i]);
            self.emit()?;
            rest = &rest[i + 1..];
        }
        self.line.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // A partial line is only written when it is complete UTF-8.
        if std::str::from_utf8(&self.line).is_ok() {
            self.emit()?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Terminal<W> {
    fn drop(&mut self) {
        let _ = self.emit();
        let _ = self.inner.flush();
    }
}

/// Characters that make a spreadsheet read a CSV value as a formula.
fn formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// `-35.00`, `+5`, `-1`: a number, which a spreadsheet may read as one.
fn plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// True when `s`, after any leading `'`, would be taken as a formula.
fn formula_like(s: &str) -> bool {
    let rest = s.trim_start_matches('\'');
    rest.starts_with(formula_start) && !plain_number(rest)
}

/// A value as a CSV file that spreadsheets open must hold it: `'=1+1` for
/// `=1+1`; anything else unchanged.
pub fn csv_escape(s: &str) -> Cow<'_, str> {
    if formula_like(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Undoes [`csv_escape`]: for dibao's readers of its own CSV files.
pub fn csv_unescape(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if formula_like(s) => rest,
        _ => s,
    }
}

/// A field of a CSV record, escaped by [`csv_escape`].
pub struct CsvField<'a>(Cow<'a, str>);

impl AsRef<[u8]> for CsvField<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// A CSV record with [`csv_escape`] applied to each field, for
/// `csv::Writer::write_record`.
pub fn csv_escaped_record<'a, I>(fields: I) -> impl Iterator<Item = CsvField<'a>>
where
    I: IntoIterator<Item = &'a str>,
{
    fields.into_iter().map(|f| CsvField(csv_escape(f)))
}

/// A record read back from one of dibao's CSV files, unescaped. The record
/// is rebuilt only when one of its fields was escaped.
pub fn csv_unescaped_record(record: csv::StringRecord) -> csv::StringRecord {
    if !record.iter().any(|f| f.starts_with('\'')) {
        return record;
    }
    record.iter().map(csv_unescape).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_characters() {
        assert_eq!(first_bad_char("张三"), None);
        assert_eq!(first_bad_char("买买提·艾力"), None);
        assert_eq!(
            first_bad_char("张\u{7}三"),
            Some(('\u{7}', BadChar::Control))
        );
        assert_eq!(
            first_bad_char("a\u{1b}[31m"),
            Some(('\u{1b}', BadChar::Control))
        );
        assert_eq!(first_bad_char("a\u{0}"), Some(('\u{0}', BadChar::Control)));
        assert_eq!(
            first_bad_char("a\u{85}"),
            Some(('\u{85}', BadChar::Control))
        );
        assert_eq!(
            first_bad_char("a\u{7f}"),
            Some(('\u{7f}', BadChar::Control))
        );
        assert_eq!(
            first_bad_char("张\u{202e}三"),
            Some(('\u{202e}', BadChar::Invisible))
        );
        assert_eq!(
            first_bad_char("张\u{2066}三"),
            Some(('\u{2066}', BadChar::Invisible))
        );
        assert_eq!(
            first_bad_char("张\u{e001}"),
            Some(('\u{e001}', BadChar::PrivateUse))
        );
        assert_eq!(first_bad_char("a\tb"), Some(('\t', BadChar::Control)));
        assert_eq!(first_bad_char_in_note("住院\n三天\t"), None);
        assert_eq!(
            first_bad_char_in_note("住院\u{1b}"),
            Some(('\u{1b}', BadChar::Control))
        );
    }

    #[test]
    fn escaped_for_the_terminal() {
        assert_eq!(escaped("张三"), "张三");
        assert_eq!(escaped("张\u{7}三"), "张\\u{7}三");
        assert_eq!(escaped("\u{1b}[2J"), "\\u{1b}[2J");
        assert_eq!(escaped("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(shortened("一二三四五", 3), "一二三…");
        assert_eq!(shortened("一二三", 3), "一二三");
    }

    #[test]
    fn terminal_writer_escapes_lines() {
        let mut buf = Vec::new();
        {
            let mut t = Terminal::new(&mut buf);
            write!(t, "a\u{1b}[31m").unwrap();
            writeln!(t, "红\u{7}").unwrap();
            write!(t, "\tend").unwrap();
        }
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "a\\u{1b}[31m红\\u{7}\n\tend"
        );
    }

    #[test]
    fn csv_formulas_escaped_and_back() {
        let cases = [
            (
                "=HYPERLINK(\"http://evil\",\"x\")",
                "'=HYPERLINK(\"http://evil\",\"x\")",
            ),
            ("+1", "+1"),
            ("+cmd", "'+cmd"),
            ("-35.00", "-35.00"),
            ("-", "'-"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("张三", "张三"),
            ("'abc", "'abc"),
            ("'=x", "''=x"),
            ("''=x", "'''=x"),
            ("'-35.00", "'-35.00"),
            ("280.00", "280.00"),
            ("", ""),
            ("2026-11", "2026-11"),
        ];
        for (raw, written) in cases {
            assert_eq!(csv_escape(raw), written, "{raw:?}");
            assert_eq!(csv_unescape(written), raw, "{written:?}");
        }
        let rec = csv::StringRecord::from(vec!["'=1", "a", "-2.00"]);
        assert_eq!(
            csv_unescaped_record(rec),
            csv::StringRecord::from(vec!["=1", "a", "-2.00"])
        );
    }
}
