//! Delimited text files (`.csv`, `.txt`): encoding and delimiter detection,
//! then one callback per record with its line number.
//!
//! Encoding: a BOM decides (UTF-8, UTF-16); otherwise valid UTF-8 is UTF-8
//! and anything else is read as GB18030 (a superset of GBK). Bytes that are
//! valid in neither are a problem, never silently replaced.
//! Delimiter: `,` tab `|` `;`, whichever splits the first lines most
//! consistently; a profile may give any string (`|!`), which is then split
//! literally (no quoting).

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use super::cell::Cell;

/// A decoded text file.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Byte sequences that were not valid in `encoding`; each became U+FFFD,
    /// which the value readers report at its cell.
    pub bad_sequences: usize,
}

/// Decodes a text file. UTF-8 input is taken over without a copy.
///
/// Without a BOM or `forced` encoding: valid UTF-8 is UTF-8; UTF-8 with a
/// few damaged bytes (bad sequences under 5 % of the non-ASCII bytes; GBK
/// text read as UTF-8 has about 50 %) stays UTF-8 with those bytes marked;
/// anything else is GB18030.
/// Damage never rejects the whole file: the rows that hold it are named.
pub fn decode(bytes: Vec<u8>, forced: Option<&'static Encoding>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(&bytes) {
        return decode_with(&bytes[bom_len..], enc);
    }
    if let Some(enc) = forced {
        return decode_with(&bytes, enc);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            encoding: UTF_8,
            bad_sequences: 0,
        },
        Err(e) => {
            let bytes = e.into_bytes();
            let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
            let utf8 = decode_with(&bytes, UTF_8);
            if utf8.bad_sequences * 20 < non_ascii {
                utf8
            } else {
                decode_with(&bytes, GB18030)
            }
        }
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
type Batch = Vec<(u32, csv::ByteRecord)>;

const BATCH_ROWS: usize = 2048;

/// Calls `on_row(line, cells)` for every record of `text`. `line` is the
/// 1-based line on which the record starts, as an editor shows it.
///
/// The CSV is split on a second thread while the caller works through the
/// previous batch of records: on two cores that hides most of the parsing.
/// Records reach `on_row` in file order either way.
pub fn for_each_record(
    text: &str,
    delimiter: Option<&str>,
    on_row: &mut dyn FnMut(u32, &[Cell<'_>]) -> bool,
) -> Result<(), String> {
    let delim = match delimiter {
        Some(d) if d.len() == 1 => d.as_bytes()[0],
        Some(d) if !d.is_empty() => return split_literal(text, d, on_row),
        _ => detect_delimiter(text),
    };
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Result<Batch, String>>(4);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
        scope.spawn(move || parse_batches(text, delim, &full_tx, &empty_rx));
        for batch in full_rx {
            let batch = batch?;
            let mut cells: Vec<Cell<'_>> = Vec::new();
            for (line, record) in &batch {
                cells.clear();
                cells.extend(record.iter().map(|field| Cell::Text(field_str(field))));
                if !on_row(*line, &cells) {
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
        .from_reader(text.as_bytes());
    // Line numbers are counted from byte offsets: csv's own line counter
    // disagrees with editors on CRLF files.
    let bytes = text.as_bytes();
    let (mut seen_byte, mut seen_line) = (0usize, 1u32);
    let mut batch: Batch = Vec::new();
    let mut n = 0;
    loop {
        if n == batch.len() {
            batch.push((0, csv::ByteRecord::new()));
        }
        let (line, record) = &mut batch[n];
        match reader.read_byte_record(record) {
            Ok(false) => break,
            Ok(true) => {
                // csv reports where the previous record ended; the record
                // itself starts after any line breaks and blank lines.
                let mut start = record
                    .position()
                    .map_or(seen_byte, |p| p.byte() as usize)
                    .clamp(seen_byte, bytes.len());
                while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                    start += 1;
                }
                seen_line += memchr_count(&bytes[seen_byte..start]);
                seen_byte = start;
                *line = seen_line;
                n += 1;
                if n == BATCH_ROWS {
                    batch.truncate(n);
                    let next = empty.try_recv().unwrap_or_default();
                    if full.send(Ok(std::mem::replace(&mut batch, next))).is_err() {
                        return;
                    }
                    n = 0;
                }
            }
            Err(e) => {
                batch.truncate(n);
                if full.send(Ok(batch)).is_ok() {
                    let _ = full.send(Err(e.to_string()));
                }
                return;
            }
        }
    }
    batch.truncate(n);
    let _ = full.send(Ok(batch));
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

fn memchr_count(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u32
}

fn split_literal(
    text: &str,
    delim: &str,
    on_row: &mut dyn FnMut(u32, &[Cell<'_>]) -> bool,
) -> Result<(), String> {
    let mut cells: Vec<Cell<'_>> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        cells.clear();
        cells.extend(line.split(delim).map(Cell::Text));
        if !on_row(i as u32 + 1, &cells) {
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

    #[test]
    fn detects_delimiters() {
        assert_eq!(detect_delimiter("标题\na|b|c|\n1|2,000.00|3|\n"), b'|');
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(detect_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
    }

    #[test]
    fn records_with_line_numbers_and_literal_delimiters() {
        let mut seen = Vec::new();
        for_each_record("h1|!h2\n\nx|!y\n", Some("|!"), &mut |line, cells| {
            seen.push((
                line,
                cells
                    .iter()
                    .map(|c| c.shown().into_owned())
                    .collect::<Vec<_>>(),
            ));
            true
        })
        .unwrap();
        assert_eq!(
            seen,
            vec![
                (1, vec!["h1".into(), "h2".into()]),
                (3, vec!["x".into(), "y".into()])
            ]
        );
        let mut lines = Vec::new();
        for_each_record("a,b\n\"multi\nline\",c\nd,e\n", None, &mut |line, _| {
            lines.push(line);
            true
        })
        .unwrap();
        assert_eq!(lines, vec![1, 2, 4]);
        let mut crlf = Vec::new();
        for_each_record("a,b\r\n\r\nc,d\r\ne,f\r\n", None, &mut |line, _| {
            crlf.push(line);
            true
        })
        .unwrap();
        assert_eq!(crlf, vec![1, 3, 4]);
    }
}
