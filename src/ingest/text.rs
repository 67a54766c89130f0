//! Delimited text files (`.csv`, `.txt`): encoding and delimiter detection,
//! then one callback per record with its line number.
//!
//! Encoding: a BOM decides (UTF-8, UTF-16); otherwise valid UTF-8 is UTF-8
//! and anything else is decided line by line, UTF-8 or GB18030 (a superset
//! of GBK), see [`decode`]. A file is read in one encoding: a line in the
//! other is named, and so are bytes that are valid in neither — never
//! silently replaced.
//! Delimiter: `,` tab `|` `;`, whichever splits the first lines most
//! consistently; a profile may give any string (`|!`), which is then split
//! literally (no quoting). A file whose lines are drawn with `│` (a bank
//! core's printout) is split at `│`. A profile may instead cut lines at
//! runs of whitespace or at fixed widths counted in the file's own bytes
//! ([`for_each_cut`]).

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use super::cell::{Cell, RowPos};
use super::profile::Split;

/// The box-drawing character that separates the cells of a drawn table.
const BOX_BAR: &str = "│";

/// True when the first lines of `text` are drawn as a table with `│`.
pub fn box_drawn(text: &str) -> bool {
    text.lines().take(40).any(|l| l.contains(BOX_BAR))
}

/// True for a line or cell made only of rule characters (`─│┌┐└┘├┤┬┴┼═║`,
/// `-----`, `=====`, `+`), at least three of them: it separates rows and
/// holds no value.
pub fn is_rule(s: &str) -> bool {
    let mut n = 0;
    for c in s.chars() {
        match c {
            '\u{2500}'..='\u{257f}' | '-' | '=' | '+' | '_' | '|' => n += 1,
            c if c.is_whitespace() => {}
            _ => return false,
        }
    }
    n >= 3
}

/// The line number (1-based) of the first or the last line of `text` below
/// `skip` lines that holds anything but blanks and rules: a summary line.
pub fn summary_line(text: &str, skip: u32, last: bool) -> Option<u32> {
    let mut found = None;
    for (i, line) in lines(text).enumerate() {
        let n = i as u32 + 1;
        if n <= skip || line.trim().is_empty() || is_rule(line) {
            continue;
        }
        found = Some(n);
        if !last {
            break;
        }
    }
    found
}

/// The lines of `text` as an editor counts them (`\r\n`, `\n`, a lone `\r`);
/// a final line end ends no line.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let body = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix(['\n', '\r']))
        .unwrap_or(text);
    body.split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
}

/// How many bytes `c` takes in `encoding` (a GBK Chinese character 2).
fn encoded_len(c: char, encoding: &'static Encoding) -> usize {
    if c.is_ascii() {
        return 1;
    }
    if encoding == UTF_8 || encoding == UTF_16LE || encoding == UTF_16BE {
        return c.len_utf8();
    }
    let mut buf = [0u8; 4];
    encoding.encode(c.encode_utf8(&mut buf)).0.len()
}

/// Cuts `line` at fixed `widths` counted in `encoding`'s bytes; the rest of
/// the line is one more cell. Returns whether a boundary fell inside a
/// character (that character stays in the cell it starts in).
pub fn cut_widths<'a>(
    line: &'a str,
    widths: &[usize],
    encoding: &'static Encoding,
    cells: &mut Vec<Cell<'a>>,
) -> bool {
    let mut cut_char = false;
    let (mut start, mut bytes, mut col, mut bound) = (0usize, 0usize, 0usize, widths[0]);
    for (i, c) in line.char_indices() {
        if col < widths.len() && bytes >= bound {
            cut_char |= bytes > bound;
            cells.push(Cell::Text(&line[start..i]));
            start = i;
            col += 1;
            bound += widths.get(col).copied().unwrap_or(0);
        }
        bytes += encoded_len(c, encoding);
    }
    if start < line.len() || col < widths.len() {
        cells.push(Cell::Text(&line[start..]));
    }
    cut_char
}

/// Calls `on_row(pos, cells)` for every line of `text`, cut by `split`
/// (whitespace runs, or fixed widths in `encoding`'s bytes). Blank lines
/// come as rows without cells.
pub fn for_each_cut(
    text: &str,
    split: &Split,
    encoding: &'static Encoding,
    on_row: &mut dyn FnMut(RowPos, &[Cell<'_>]) -> bool,
) {
    let mut cells: Vec<Cell<'_>> = Vec::new();
    for (i, line) in lines(text).enumerate() {
        cells.clear();
        let mut pos = RowPos::at(i as u32 + 1);
        if !line.trim().is_empty() {
            match split {
                Split::Whitespace => cells.extend(
                    line.split([' ', '\t', '\u{3000}'])
                        .filter(|s| !s.is_empty())
                        .map(Cell::Text),
                ),
                Split::Widths(widths) if !widths.is_empty() => {
                    pos.cut_char = cut_widths(line, widths, encoding, &mut cells);
                }
                Split::Widths(_) => cells.push(Cell::Text(line)),
            }
        }
        if !on_row(pos, &cells) {
            break;
        }
    }
}

/// A decoded text file.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Byte sequences that were not valid in `encoding`; each became U+FFFD,
    /// which the value readers report at its cell.
    pub bad_sequences: usize,
    /// Lines (1-based, as an editor counts them) written in another
    /// encoding than the file's, in order. Each was decoded in its own
    /// encoding, [`Decoded::line_encoding`], so that its text can be shown;
    /// its row is an error.
    pub mixed_lines: Vec<u32>,
    pub line_encoding: Option<&'static Encoding>,
}

/// Decodes a text file. UTF-8 input is taken over without a copy.
///
/// Without a BOM or `forced` encoding: valid UTF-8 is UTF-8. Otherwise each
/// line that holds non-ASCII bytes votes: a line that is valid UTF-8 with
/// Chinese characters in it for UTF-8, an invalid one for GBK (GB18030);
/// the majority decides (a tie: the first such line). In a UTF-8 file a
/// line that reads cleanly as GB18030 is such a mixed line; one that does
/// not stays UTF-8 with its damaged bytes marked. In a GBK file a line that
/// votes UTF-8 is a mixed line. A UTF-8 BOM makes the file UTF-8, with the
/// same check of its lines. A `forced` encoding decodes the whole file as
/// it says. Damage never rejects the whole file: the rows that hold it are
/// named.
pub fn decode(bytes: Vec<u8>, forced: Option<&'static Encoding>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(&bytes) {
        if enc == UTF_8 && forced.is_none() {
            let body = &bytes[bom_len..];
            return match std::str::from_utf8(body) {
                Ok(text) => plain(text.to_string(), UTF_8),
                Err(_) => by_lines(body, &classify(body), UTF_8),
            };
        }
        return decode_with(&bytes[bom_len..], enc);
    }
    if let Some(enc) = forced {
        return decode_with(&bytes, enc);
    }
    match String::from_utf8(bytes) {
        Ok(text) => plain(text, UTF_8),
        Err(e) => {
            let bytes = e.into_bytes();
            let lines = classify(&bytes);
            let utf8 = lines
                .iter()
                .filter(|l| matches!(l.vote, Vote::Utf8 | Vote::Damaged))
                .count();
            let other = lines.iter().filter(|l| l.vote == Vote::Other).count();
            let first = lines
                .iter()
                .find(|l| l.vote != Vote::Neutral)
                .map(|l| l.vote);
            let file_is_utf8 = utf8 > other || (utf8 == other && first != Some(Vote::Other));
            let encoding = if file_is_utf8 { UTF_8 } else { GB18030 };
            by_lines(&bytes, &lines, encoding)
        }
    }
}

fn plain(text: String, encoding: &'static Encoding) -> Decoded {
    Decoded {
        text,
        encoding,
        bad_sequences: 0,
        mixed_lines: Vec::new(),
        line_encoding: None,
    }
}

/// How a line of a file that is not all UTF-8 votes on the encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Vote {
    /// ASCII, or valid UTF-8 without Chinese characters (GBK text can be
    /// valid UTF-8 by chance, but not as Chinese).
    Neutral,
    /// Valid UTF-8 with at least one Chinese character.
    Utf8,
    /// UTF-8 with a few damaged bytes: its Chinese characters take at
    /// least twice as many bytes as the invalid ones (GBK text read as
    /// UTF-8 has hardly any Chinese character: they take three bytes of a
    /// narrow range).
    Damaged,
    /// Not valid UTF-8.
    Other,
}

/// One line of raw bytes: where its content and its line end lie.
struct Line {
    start: usize,
    /// End of the content (before the line break).
    end: usize,
    /// Start of the next line.
    next: usize,
    vote: Vote,
}

/// Chinese characters and punctuation, full-width forms: what a line of a
/// Chinese file holds when it is really UTF-8.
fn chinese(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}' | '\u{20000}'..='\u{3134f}')
}

/// Splits `bytes` into lines (`\r\n`, `\n`, a lone `\r`) and classifies each.
/// Neither UTF-8 nor GBK uses the bytes of CR or LF inside a character.
fn classify(bytes: &[u8]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let (end, next) = match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            None => (bytes.len(), bytes.len()),
            Some(i) => {
                let end = start + i;
                let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
                (end, end + if crlf { 2 } else { 1 })
            }
        };
        let content = &bytes[start..end];
        let vote = if content.is_ascii() {
            Vote::Neutral
        } else {
            match std::str::from_utf8(content) {
                Ok(s) if s.chars().any(chinese) => Vote::Utf8,
                Ok(_) => Vote::Neutral,
                Err(_) => {
                    // Bytes of Chinese characters among the valid sequences.
                    let chinese_bytes: usize = String::from_utf8_lossy(content)
                        .chars()
                        .filter(|&c| chinese(c))
                        .map(char::len_utf8)
                        .sum();
                    if chinese_bytes >= 2 * invalid_utf8_bytes(content) {
                        Vote::Damaged
                    } else {
                        Vote::Other
                    }
                }
            }
        };
        lines.push(Line {
            start,
            end,
            next,
            vote,
        });
        start = next;
    }
    lines
}

/// How many bytes of `bytes` belong to no valid UTF-8 sequence.
fn invalid_utf8_bytes(mut bytes: &[u8]) -> usize {
    let mut invalid = 0;
    while let Err(e) = std::str::from_utf8(bytes) {
        let bad = e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
        invalid += bad;
        bytes = &bytes[e.valid_up_to() + bad..];
    }
    invalid
}

/// Decodes `bytes` as `encoding`, the lines written in the other encoding
/// (see [`decode`]) in theirs, and records them.
fn by_lines(bytes: &[u8], lines: &[Line], encoding: &'static Encoding) -> Decoded {
    let other: &'static Encoding = if encoding == UTF_8 { GB18030 } else { UTF_8 };
    let mixed = |line: &Line| -> bool {
        if encoding == UTF_8 {
            line.vote == Vote::Other
                && other
                    .decode_without_bom_handling_and_without_replacement(
                        &bytes[line.start..line.end],
                    )
                    .is_some()
        } else {
            matches!(line.vote, Vote::Utf8 | Vote::Damaged)
        }
    };
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut mixed_lines = Vec::new();
    let mut bad_sequences = 0;
    let mut run_start = 0;
    let mut flush = |text: &mut String, from: usize, to: usize| {
        if from < to {
            let (part, had_errors) = encoding.decode_without_bom_handling(&bytes[from..to]);
            if had_errors {
                bad_sequences += part.matches('\u{fffd}').count().max(1);
            }
            text.push_str(&part);
        }
    };
    for (i, line) in lines.iter().enumerate() {
        if !mixed(line) {
            continue;
        }
        flush(&mut text, run_start, line.start);
        let (part, _) = other.decode_without_bom_handling(&bytes[line.start..line.end]);
        text.push_str(&part);
        // The line break is ASCII in both encodings.
        text.push_str(&String::from_utf8_lossy(&bytes[line.end..line.next]));
        run_start = line.next;
        mixed_lines.push(i as u32 + 1);
    }
    flush(&mut text, run_start, bytes.len());
    let line_encoding = (!mixed_lines.is_empty()).then_some(other);
    Decoded {
        text,
        encoding,
        bad_sequences,
        mixed_lines,
        line_encoding,
    }
}

fn decode_with(bytes: &[u8], enc: &'static Encoding) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let bad_sequences = if had_errors {
        text.matches('\u{fffd}').count().max(1)
    } else {
        0
    };
    Decoded {
        text: text.into_owned(),
        encoding: enc,
        bad_sequences,
        mixed_lines: Vec::new(),
        line_encoding: None,
    }
}

/// How an encoding is named to users: GB18030 (which dibao reads GBK
/// files as) is called GBK, as offices know it.
pub fn encoding_label(enc: &'static Encoding) -> &'static str {
    if enc == GB18030 || enc == encoding_rs::GBK {
        "GBK"
    } else {
        enc.name()
    }
}

/// True when the bytes are clearly not text: NUL bytes or many control
/// characters in the first 4 KiB.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if matches!(Encoding::for_bom(bytes), Some((e, _)) if e == UTF_16LE || e == UTF_16BE) {
        return false;
    }
    let head = &bytes[..bytes.len().min(4096)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    control * 20 > head.len().max(1)
}

/// Picks the delimiter of the first non-empty lines.
pub fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (b',', 0usize, 0usize);
    for delim in [b',', b'\t', b'|', b';'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| l.bytes().filter(|&b| b == delim).count())
            .collect();
        // The most common non-zero count, and how many lines have it.
        let mut modal = (0usize, 0usize);
        for &c in counts.iter().filter(|&&c| c > 0) {
            let n = counts.iter().filter(|&&x| x == c).count();
            if n > modal.1 || (n == modal.1 && c > modal.0) {
                modal = (c, n);
            }
        }
        if modal.1 > best.2 || (modal.1 == best.2 && modal.0 > best.1) {
            best = (delim, modal.0, modal.1);
        }
    }
    best.0
}

/// Records handed from the parsing thread to the caller, with their lines.
type Batch = Vec<(RowPos, csv::ByteRecord)>;

const BATCH_ROWS: usize = 2048;

/// Calls `on_row(pos, cells)` for every record of `text`. `pos.number` is
/// the 1-based line on which the record starts, as an editor shows it
/// (`\r\n`, `\n` and a lone `\r` end a line). Blank lines come as rows
/// without cells, so that every line is accounted for.
///
/// The CSV is split on a second thread while the caller works through the
/// previous batch of records: on two cores that hides most of the parsing.
/// Records reach `on_row` in file order either way.
pub fn for_each_record(
    text: &str,
    delimiter: Option<&str>,
    on_row: &mut dyn FnMut(RowPos, &[Cell<'_>]) -> bool,
) -> Result<(), String> {
    let delim = match delimiter {
        Some(d) if d.len() == 1 => d.as_bytes()[0],
        Some(d) if !d.is_empty() => return split_literal(text, d, on_row),
        _ if box_drawn(text) => return split_literal(text, BOX_BAR, on_row),
        _ => detect_delimiter(text),
    };
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Result<Batch, String>>(4);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
        scope.spawn(move || parse_batches(text, delim, &full_tx, &empty_rx));
        for batch in full_rx {
            let batch = batch?;
            let mut cells: Vec<Cell<'_>> = Vec::new();
            for (pos, record) in &batch {
                cells.clear();
                cells.extend(record.iter().map(|field| Cell::Text(field_str(field))));
                if !on_row(*pos, &cells) {
                    // Dropping the receiver stops the parsing thread.
                    return Ok(());
                }
            }
            drop(cells);
            let _ = empty_tx.send(batch);
        }
        Ok(())
    })
}

/// The parsing thread: fills batches (reusing the ones sent back) until the
/// text ends, an error occurs, or the receiver is gone.
fn parse_batches(
    text: &str,
    delim: u8,
    full: &std::sync::mpsc::SyncSender<Result<Batch, String>>,
    empty: &std::sync::mpsc::Receiver<Batch>,
) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        // Bank files delimited by `|` never quote: a `"` there is a character.
        .quoting(delim != b'|')
        .from_reader(text.as_bytes());
    // Line numbers are counted from byte offsets: csv's own line counter
    // disagrees with editors on CRLF and CR files.
    let bytes = text.as_bytes();
    let (mut seen_byte, mut seen_line) = (0usize, 1u32);
    // Line breaks inside the previous record (None before the first).
    let mut prev_inner: Option<u32> = None;
    let mut batch: Batch = Vec::new();
    let mut n = 0;
    let send = |batch: &mut Batch, n: &mut usize| -> bool {
        batch.truncate(*n);
        let next = empty.try_recv().unwrap_or_default();
        *n = 0;
        full.send(Ok(std::mem::replace(batch, next))).is_ok()
    };
    loop {
        if n == batch.len() {
            batch.push((RowPos::default(), csv::ByteRecord::new()));
        }
        // Records are read straight into the batch.
        let (start, end_of_text) = match reader.read_byte_record(&mut batch[n].1) {
            Ok(true) => {
                // csv reports where the previous record ended; the record
                // itself starts after any line breaks and blank lines.
                let mut start = batch[n]
                    .1
                    .position()
                    .map_or(seen_byte, |p| p.byte() as usize)
                    .clamp(seen_byte, bytes.len());
                while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                    start += 1;
                }
                (start, false)
            }
            Ok(false) => (bytes.len(), true),
            Err(e) => {
                if send(&mut batch, &mut n) {
                    let _ = full.send(Err(e.to_string()));
                }
                return;
            }
        };
        let advanced = line_breaks(&bytes[seen_byte..start]);
        // Blank lines between records (and at the end) are rows too; the
        // previous record's own lines are not.
        let own = prev_inner.map_or(0, |inner| (1 + inner).min(advanced));
        let blank = advanced - own;
        for k in 0..blank {
            let row = (RowPos::at(seen_line + own + k), csv::ByteRecord::new());
            batch.insert(n, row);
            n += 1;
        }
        if end_of_text {
            break;
        }
        seen_line += advanced;
        seen_byte = start;
        let record = &batch[n].1;
        // (A quote left open at the end of the file takes the last line end.)
        let raw = record.as_slice().trim_ascii_end();
        let inner = if memchr::memchr2(b'\n', b'\r', raw).is_some() {
            line_breaks(raw)
        } else {
            0
        };
        prev_inner = Some(inner);
        batch[n].0 = RowPos {
            number: seen_line,
            extra_lines: inner,
            // A cell whose later lines hold the delimiter is rows swallowed by
            // an open quote; a cell that merely has line breaks (an address
            // typed with Alt+Enter) is fine.
            unclosed_quote: inner > 0
                && record.iter().any(|f| {
                    memchr::memchr2(b'\n', b'\r', f).is_some_and(|i| f[i..].contains(&delim))
                }),
            cut_char: false,
        };
        n += 1;
        if n >= BATCH_ROWS && !send(&mut batch, &mut n) {
            return;
        }
    }
    batch.truncate(n);
    let _ = full.send(Ok(batch));
}

/// Line breaks in `bytes`: `\r\n`, a lone `\r` and `\n` count one each.
fn line_breaks(bytes: &[u8]) -> u32 {
    let mut count = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            count += 1;
        }
    }
    count
}

/// A field of a record parsed from a `&str`.
fn field_str(field: &[u8]) -> &str {
    // SAFETY: the reader was given valid UTF-8 (a `&str`), and csv splits
    // and unquotes only at ASCII bytes (delimiter, quote, CR, LF), which
    // never fall inside a multi-byte UTF-8 sequence; so every field is a
    // concatenation of whole UTF-8 sequences. Checked again in debug builds.
    debug_assert!(std::str::from_utf8(field).is_ok());
    unsafe { std::str::from_utf8_unchecked(field) }
}

fn split_literal(
    text: &str,
    delim: &str,
    on_row: &mut dyn FnMut(RowPos, &[Cell<'_>]) -> bool,
) -> Result<(), String> {
    let mut cells: Vec<Cell<'_>> = Vec::new();
    for (i, line) in lines(text).enumerate() {
        cells.clear();
        if !line.trim().is_empty() {
            cells.extend(line.split(delim).map(Cell::Text));
        }
        if !on_row(RowPos::at(i as u32 + 1), &cells) {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        let (gbk, _, _) = encoding_rs::GBK.encode("低保证号,户主姓名");
        let d = decode(gbk.into_owned(), None);
        assert_eq!(
            (d.text.as_str(), d.encoding, d.bad_sequences),
            ("低保证号,户主姓名", GB18030, 0)
        );
        let mut bom = vec![0xef, 0xbb, 0xbf];
        bom.extend_from_slice("账号".as_bytes());
        assert_eq!(decode(bom, None).text, "账号");
        // UTF-8 with one damaged byte stays UTF-8; the damage is counted.
        let mut damaged = "低保证号,户主姓名\nHP01,张三\nHP02,李".as_bytes().to_vec();
        damaged.push(0xe5);
        damaged.extend_from_slice("\n".as_bytes());
        let d = decode(damaged, None);
        assert_eq!((d.encoding, d.bad_sequences), (UTF_8, 1));
        assert!(d.text.starts_with("低保证号"));
        assert!(d.text.contains("李\u{fffd}"));
        // A forced encoding is used as it is, damage marked.
        let d = decode(vec![0xb5, 0xcd], Some(UTF_8));
        assert_eq!((d.encoding, d.bad_sequences), (UTF_8, 2));
    }

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(s).0.into_owned()
    }

    #[test]
    fn a_gbk_file_with_one_utf8_line() {
        let mut bytes = gbk("低保证号,户主姓名,开户银行\r\nHP01,张三,中国农业银行\r\n");
        bytes.extend_from_slice("HP02,王芳,中国邮政储蓄银行\r\n".as_bytes());
        bytes.extend(gbk("HP03,李四,中国工商银行\r\n"));
        let d = decode(bytes, None);
        assert_eq!((d.encoding, d.bad_sequences), (GB18030, 0));
        assert_eq!(d.mixed_lines, vec![3]);
        assert_eq!(d.line_encoding, Some(UTF_8));
        // Every line reads as written, the UTF-8 one too (no mojibake).
        assert_eq!(
            d.text,
            "低保证号,户主姓名,开户银行\r\nHP01,张三,中国农业银行\r\nHP02,王芳,中国邮政储蓄银行\r\nHP03,李四,中国工商银行\r\n"
        );
        // Forced, the file is read as it is told.
        let mut bytes = gbk("低保证号,户主姓名\nHP01,张三\n");
        bytes.extend_from_slice("HP02,王芳\n".as_bytes());
        let d = decode(bytes, Some(GB18030));
        assert!(d.mixed_lines.is_empty());
    }

    #[test]
    fn a_utf8_file_with_one_gbk_line() {
        let mut bytes = "低保证号,户主姓名\nHP01,张三\n".as_bytes().to_vec();
        bytes.extend(gbk("HP02,王芳\n"));
        bytes.extend_from_slice("HP03,李四\nHP04,赵六".as_bytes());
        let d = decode(bytes, None);
        assert_eq!((d.encoding, d.bad_sequences), (UTF_8, 0));
        assert_eq!(d.mixed_lines, vec![3]);
        assert_eq!(d.line_encoding, Some(GB18030));
        assert_eq!(
            d.text,
            "低保证号,户主姓名\nHP01,张三\nHP02,王芳\nHP03,李四\nHP04,赵六"
        );
        // With a BOM the same.
        let mut bom = vec![0xef, 0xbb, 0xbf];
        bom.extend_from_slice("姓名\n张三\n".as_bytes());
        bom.extend(gbk("王芳\n"));
        let d = decode(bom, None);
        assert_eq!((d.encoding, d.mixed_lines.clone()), (UTF_8, vec![3]));
        // A lone CR ends a line as the records count it.
        let mut cr = "姓名\r张三\r".as_bytes().to_vec();
        cr.extend(gbk("王芳\r"));
        cr.extend_from_slice("李四\r".as_bytes());
        assert_eq!(decode(cr, None).mixed_lines, vec![3]);
    }

    #[test]
    fn gbk_that_happens_to_be_valid_utf8_is_not_a_utf8_line() {
        // 录 in GBK (C2 BC) is valid UTF-8 (¼), but not Chinese as UTF-8.
        let bytes = gbk("姓名\n录\n张三\n");
        assert!(std::str::from_utf8(&gbk("录")).is_ok());
        let d = decode(bytes, None);
        assert_eq!((d.encoding, d.text.as_str()), (GB18030, "姓名\n录\n张三\n"));
        assert!(d.mixed_lines.is_empty());
    }

    #[test]
    fn cuts_fixed_widths_in_gbk_bytes_and_whitespace() {
        fn cut(line: &str, split: &Split) -> (Vec<String>, bool) {
            let mut seen = (Vec::new(), false);
            for_each_cut(line, split, GB18030, &mut |pos, cells| {
                seen.0 = cells.iter().map(|c| c.shown().into_owned()).collect();
                seen.1 = pos.cut_char;
                true
            });
            seen
        }
        // 张伟 is 4 GBK bytes: padded to 6 with two spaces.
        let widths = Split::Widths(vec![4, 6, 5]);
        assert_eq!(
            cut("6228张伟  33000001 成功", &widths),
            (
                vec![
                    "6228".into(),
                    "张伟".into(),
                    "33000".into(),
                    "001 成功".into()
                ],
                false
            )
        );
        // A boundary inside 伟: said.
        assert!(cut("6228张伟 33000001 成功", &Split::Widths(vec![4, 3])).1);
        assert_eq!(
            cut("  6228  张伟\t330.00 ", &Split::Whitespace).0,
            vec!["6228", "张伟", "330.00"]
        );
        assert!(is_rule("──┼──┤"));
        assert!(is_rule("------ ------"));
        assert!(!is_rule("--"));
        assert!(!is_rule("-30.00"));
        assert_eq!(summary_line("\n总笔数:2\na\nb\n---\n\n", 0, false), Some(2));
        assert_eq!(summary_line("\n总笔数:2\na\nb\n---\n\n", 0, true), Some(4));
    }

    #[test]
    fn detects_delimiters() {
        assert_eq!(detect_delimiter("标题\na|b|c|\n1|2,000.00|3|\n"), b'|');
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(detect_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
    }

    #[test]
    fn records_with_line_numbers_and_literal_delimiters() {
        // (line, cells, extra lines, unclosed quote); blank lines have no cells.
        fn rows(text: &str, delim: Option<&str>) -> Vec<(u32, Vec<String>, u32, bool)> {
            let mut seen = Vec::new();
            for_each_record(text, delim, &mut |pos, cells| {
                let cells = cells.iter().map(|c| c.shown().into_owned()).collect();
                seen.push((pos.number, cells, pos.extra_lines, pos.unclosed_quote));
                true
            })
            .unwrap();
            seen
        }
        let lines =
            |text: &str, delim| -> Vec<u32> { rows(text, delim).iter().map(|r| r.0).collect() };
        assert_eq!(
            rows("h1|!h2\n\nx|!y\n", Some("|!")),
            vec![
                (1, vec!["h1".into(), "h2".into()], 0, false),
                (2, vec![], 0, false),
                (3, vec!["x".into(), "y".into()], 0, false)
            ]
        );
        assert_eq!(lines("a,b\n\"multi\nline\",c\nd,e\n", None), vec![1, 2, 4]);
        assert_eq!(rows("a,b\n\"multi\nline\",c\nd,e\n", None)[1].2, 1);
        // CRLF, blank lines between records and at the end.
        assert_eq!(
            lines("a,b\r\n\r\nc,d\r\ne,f\r\n\r\n", None),
            vec![1, 2, 3, 4, 5]
        );
        // A lone CR ends a line too (old Mac files).
        assert_eq!(lines("a,b\rc,d\re,f", None), vec![1, 2, 3]);
        assert_eq!(lines("a|!b\rc|!d", Some("|!")), vec![1, 2]);
        // Leading blank lines.
        assert_eq!(lines("\n\na,b\n", None), vec![1, 2, 3]);
        // An unclosed quote swallows the lines after it: said, not hidden.
        let swallowed = rows("a,b,c\n1,2,\"x\n3,4,5\n6,7,8\n", None);
        assert_eq!(swallowed.len(), 2);
        assert_eq!(
            (swallowed[1].0, swallowed[1].2, swallowed[1].3),
            (2, 2, true)
        );
        // In a `|` file a quote is just a character.
        assert_eq!(lines("a|b\n1|\"x\n3|4\n", None), vec![1, 2, 3]);
    }
}
