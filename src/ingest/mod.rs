//! Reading input files into rows with provenance.
//!
//! [`scan`] opens any supported file (by its bytes: workbook or text), finds
//! the header row (the first row holding all required headers of a kind;
//! rows above it are titles), maps columns to fields, and hands every row
//! below it to a [`RowSink`]: data rows to [`RowSink::data`], totals rows
//! (see [`totals_row`], or a profile's trailer) to [`RowSink::totals`].
//! Blank rows are counted; rows that hold nothing in any required column
//! are counted and reported; below a grand total, rows that name no
//! household are the trailer (signature lines, notes) and are counted
//! silently, while rows that name one are still data.
//!
//! A file that no profile of the user's describes is first shown to the
//! built-in bank layouts ([`layouts`]); the one that fits reads it as its
//! profile. A profile with `columns` reads a headerless file by position;
//! `summary` takes its first or last line out of the data and checks its
//! figures; rule lines (`──┼──`, `-----`) are blank rows.
//!
//! Invariants: every row of the file is counted in exactly one bucket of the
//! [`ScanSummary`]; a problem never aborts the scan of other rows; the issues
//! of one row reach the caller ordered by column.

pub mod cell;
pub mod layouts;
pub mod normalize;
pub mod profile;
pub mod schema;
pub mod sheet;
pub mod text;
pub mod totals_row;
pub mod upload;

use std::path::Path;
use std::sync::Arc;

use cell::{Cell, RowPos};
use layouts::Recognised;
use normalize::{clean, header_key};
use profile::{Profile, Split, SummaryLine};
use schema::{FIELD_COUNT, Field, FieldSpec, Kind};
use sheet::{Book, Sniffed};

use crate::error::Error;
use crate::issue::{Issue, Lang, Problem, Severity, SourceRef};

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: u32 = 50;

/// Where a table came from: the file's display name and the sheet.
#[derive(Clone, Debug)]
pub struct Source {
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
}

impl Source {
    pub fn here(&self) -> SourceRef {
        SourceRef {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row: None,
            col: None,
            header: None,
        }
    }

    pub fn row(&self, row: u32) -> SourceRef {
        SourceRef {
            row: Some(row),
            ..self.here()
        }
    }
}

/// One row below the header.
#[derive(Clone, Copy, Debug)]
pub struct Row<'r, 'a> {
    /// The row number the user sees (Excel row or text line).
    pub number: u32,
    /// Cells by absolute column (A = 0).
    pub cells: &'r [Cell<'a>],
    /// A problem of the whole row found while reading the file (a line in
    /// another encoding): already reported; the row must not be used.
    pub flaw: Option<&'r Problem>,
}

/// The header: which column holds which field, and what the header says.
#[derive(Clone, Debug)]
pub struct Columns {
    pub kind: Kind,
    pub header_row: u32,
    map: [Option<u32>; FIELD_COUNT],
    headers: Vec<Arc<str>>,
    source: Source,
    /// A unit named by a title row above the header (`单位：分`), and the
    /// title cell (its text in place of a header).
    title_unit: Option<(normalize::UnitMark, SourceRef)>,
    /// The built-in layout that reads the file, when one does.
    layout: Option<&'static layouts::Layout>,
}

impl Columns {
    pub fn col(&self, field: Field) -> Option<u32> {
        self.map[field as usize]
    }

    pub fn has(&self, field: Field) -> bool {
        self.col(field).is_some()
    }

    /// The cell of `field` in `row` (empty when the file has no such column).
    pub fn cell<'a>(&self, row: &Row<'_, 'a>, field: Field) -> Cell<'a> {
        self.col(field)
            .and_then(|c| row.cells.get(c as usize).copied())
            .unwrap_or(Cell::Empty)
    }

    /// The place of `field` in row `row`: `file[sheet]!C14 (header)`.
    pub fn at(&self, row: u32, field: Field) -> SourceRef {
        let col = self.col(field);
        SourceRef {
            row: Some(row),
            col,
            header: col.and_then(|c| self.headers.get(c as usize).cloned()),
            ..self.source.here()
        }
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The built-in layout that reads the file, when one does: its profile
    /// is the one in force.
    pub fn layout(&self) -> Option<&'static layouts::Layout> {
        self.layout
    }

    /// Where the header is: its row, or the file when it has none (a
    /// profile's `columns`).
    pub fn header_at(&self) -> SourceRef {
        match self.header_row {
            0 => self.source.here(),
            row => self.source.row(row),
        }
    }

    /// The header texts, by column.
    pub fn headers(&self) -> impl Iterator<Item = &str> {
        self.headers.iter().map(|h| &**h)
    }

    /// The unit `field`'s header names (`交易金额(分)`), with the header
    /// cell's place.
    pub fn header_unit(&self, field: Field) -> Option<(normalize::UnitMark, SourceRef)> {
        let col = self.col(field)?;
        let unit = normalize::header_unit(self.header(col)?)?;
        Some((unit, self.at(self.header_row, field)))
    }

    /// The unit a title row above the header names (`单位：分`), with the
    /// title cell's place.
    pub fn title_unit(&self) -> Option<&(normalize::UnitMark, SourceRef)> {
        self.title_unit.as_ref()
    }

    /// The header text of a column.
    pub fn header(&self, col: u32) -> Option<&str> {
        self.headers.get(col as usize).map(|h| &**h)
    }

    /// True when the row names a household: its key column (household
    /// number, or ID for check-ins, or account in a bank file) holds a value
    /// that is not a totals label or a count (`合计`, `36户`). Such a row is
    /// data whatever its remarks say (`共计3天住院`).
    fn names_household(&self, row: &Row<'_, '_>) -> bool {
        let keys: &[Field] = match self.kind {
            Kind::Roster => &[Field::HouseholdId],
            Kind::Bank => &[Field::Account],
            Kind::Checkins => &[Field::HouseholdId, Field::IdNumber],
            Kind::Adjustments => &[Field::HouseholdId],
        };
        keys.iter().any(|&f| {
            let cell = self.cell(row, f);
            if cell.is_blank() {
                return false;
            }
            let shown = cell.shown();
            // Household numbers and accounts are ASCII; totals labels and
            // counts (合计, 36户) are not, but for the English "Total".
            if shown.is_ascii() {
                return !shown
                    .as_bytes()
                    .windows(5)
                    .any(|w| w.eq_ignore_ascii_case(b"total"));
            }
            totals_row::totals_label(&shown).is_none() && totals_row::count_label(&shown).is_none()
        })
    }

    /// True when any required column of the row has a value.
    fn any_required(&self, row: &Row<'_, '_>) -> bool {
        self.kind
            .required()
            .iter()
            .flat_map(|group| group.iter())
            .any(|&f| !self.cell(row, f).is_blank())
    }
}

/// Whether a totals row closes a group (`小计`) or the whole table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TotalsScope {
    /// `小计`: the rows since the previous totals row.
    Subtotal,
    /// `本页合计`: the rows since the previous page total.
    Page,
    /// `合计`, `总计`: the whole table.
    Grand,
}

/// Receives the rows of one table.
pub trait RowSink {
    /// The header was found: what it says about the columns (a unit that
    /// contradicts another). Called once, before any row.
    fn header(&mut self, _columns: &Columns, _out: &mut Vec<Issue>) {}
    /// A data row. Problems go into `out` (any order; they are sorted).
    fn data(&mut self, columns: &Columns, row: &Row<'_, '_>, out: &mut Vec<Issue>);
    /// A totals row: check its figures against the data rows.
    fn totals(
        &mut self,
        columns: &Columns,
        row: &Row<'_, '_>,
        scope: TotalsScope,
        out: &mut Vec<Issue>,
    );
    /// A profile's summary line (`summary = "first"`/`"last"`), its text
    /// as written: check its count and total against the data rows. Called
    /// after the last data row.
    fn summary(&mut self, _columns: &Columns, _line: u32, _text: &str, _out: &mut Vec<Issue>) {}
    /// After the last row: cross-row checks.
    fn finish(&mut self, _columns: &Columns, _out: &mut Vec<Issue>) {}
}

/// How to read one input.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions<'p> {
    /// The kinds to look for, in order; empty = all.
    pub kinds: Vec<Kind>,
    pub sheet: Option<String>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub profile: Option<&'p Profile>,
    pub lang: Lang,
    /// Shows the rows read so far (hidden when standard error is not a terminal).
    pub progress: Option<indicatif::ProgressBar>,
    /// The largest amount, in fen, that an amount cell may hold: the
    /// policy's bound on one household's month; `None` for the default
    /// policy's.
    pub amount_limit: Option<i64>,
}

/// What a scan saw. `rows` = `title_rows + header (1) + data_rows +
/// totals_rows + blank_rows + skipped_rows + trailer_rows` once a header was
/// found.
#[derive(Clone, Debug, Default)]
pub struct ScanSummary {
    pub kind: Option<Kind>,
    /// The built-in layout that read the file.
    pub layout: Option<&'static layouts::Layout>,
    pub header_row: Option<u32>,
    pub encoding: Option<&'static str>,
    pub rows: u64,
    pub title_rows: u64,
    pub data_rows: u64,
    pub totals_rows: u64,
    pub blank_rows: u64,
    pub skipped_rows: u64,
    pub trailer_rows: u64,
    pub rows_with_errors: u64,
    pub errors: u64,
    pub warnings: u64,
}

impl ScanSummary {
    fn count(&mut self, issue: &Issue) {
        match issue.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
    }
}

/// The outcome of [`scan`]: the source and summary, and the sink when a
/// header was found.
pub struct Scanned<S> {
    pub source: Source,
    pub summary: ScanSummary,
    pub sink: Option<S>,
}

/// Reads `path`, shown to the user as `display`.
///
/// `make_sink` is called once, when the header is found, with the columns
/// (and so the kind). Every problem goes to `issues` as it is found.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, [`Error::SheetNotFound`] when
/// a named sheet does not exist. Everything wrong with the content is an
/// issue, not an error.
pub fn scan<S: RowSink>(
    path: &Path,
    display: &str,
    opts: &ReadOptions<'_>,
    make_sink: impl FnOnce(&Columns) -> S,
    issues: &mut dyn FnMut(Issue),
) -> Result<Scanned<S>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut source = Source {
        file: display.into(),
        sheet: None,
    };
    let mut summary = ScanSummary::default();
    let mut report = |summary: &mut ScanSummary, issue: Issue| {
        summary.count(&issue);
        issues(issue);
    };
    // `--kind` first, then the profile's, else every kind.
    let kinds: Vec<Kind> = match (opts.kinds.is_empty(), opts.profile.and_then(|p| p.kind)) {
        (false, _) => opts.kinds.clone(),
        (true, Some(k)) => vec![k],
        (true, None) => Kind::ALL.to_vec(),
    };
    let mut content = match open(bytes, &ext, display, opts)? {
        Ok(content) => content,
        Err(problem) => {
            report(&mut summary, Issue::new(source.here(), problem));
            return Ok(Scanned {
                source,
                summary,
                sink: None,
            });
        }
    };
    // No profile of the user's: a bank layout dibao knows may fit.
    let mut kinds = kinds;
    let layout_opts;
    let opts = match recognise_layout(&mut content, opts, &kinds) {
        Recognised::None => opts,
        Recognised::One(layout) => {
            summary.layout = Some(layout);
            kinds = vec![layout.profile.kind.unwrap_or(Kind::Bank)];
            layout_opts = ReadOptions {
                profile: Some(&layout.profile),
                ..opts.clone()
            };
            &layout_opts
        }
        Recognised::Ambiguous(fit) => {
            let names: Vec<&str> = fit.iter().map(|l| l.name(opts.lang)).collect();
            let problem = Problem::LayoutAmbiguous {
                names: names.join(opts.lang.pick("、", ", ")),
            };
            report(&mut summary, Issue::new(source.here(), problem));
            return Ok(Scanned {
                source,
                summary,
                sink: None,
            });
        }
    };
    let mut slot = SinkSlot::Waiting(Some(make_sink));
    let sink = match content {
        Content::Sheet {
            name,
            mut book,
            chosen,
        } => {
            source.sheet = Some(name.as_str().into());
            let mut table = Table::new(&kinds, opts, source.clone(), summary.layout);
            if let Some(which) = opts.profile.and_then(|p| p.summary) {
                table.summary_line = sheet_summary_row(&mut book, &name, table.skip(), which);
            }
            table.fixed_columns(&mut slot, &mut summary, &mut report);
            let read = book.for_each_row(&name, &mut |pos, cells| {
                table.row(pos, cells, None, &mut slot, &mut summary, &mut report)
            });
            let sink = match read {
                Err(problem) => {
                    report(&mut summary, Issue::new(source.here(), problem));
                    None
                }
                Ok(()) if summary.rows == 0 => {
                    report(&mut summary, Issue::new(source.here(), Problem::SheetEmpty));
                    None
                }
                Ok(()) => table.finish(slot, &mut summary, &mut report),
            };
            // The default sheet had no header: say which sheet has one.
            if sink.is_none()
                && !chosen
                && let Some((sheet, kind)) = table.header_elsewhere(&mut book, &name)
            {
                let problem = Problem::HeaderOnOtherSheet {
                    sheet,
                    kind: kind.name(opts.lang),
                };
                report(&mut summary, Issue::new(source.here(), problem));
            }
            sink
        }
        Content::Text(decoded) => {
            summary.encoding = Some(decoded.encoding.name());
            if decoded.bad_sequences > 0 {
                let problem = Problem::EncodingDamaged {
                    encoding: decoded.encoding.name(),
                    count: decoded.bad_sequences,
                };
                report(&mut summary, Issue::new(source.here(), problem));
            }
            let text = &decoded.text;
            let delimiter = opts.profile.and_then(|p| p.delimiter.as_deref());
            let mut table = Table::new(&kinds, opts, source.clone(), summary.layout);
            if let Some(which) = opts.profile.and_then(|p| p.summary) {
                table.summary_line =
                    text::summary_line(text, table.skip(), which == SummaryLine::Last);
            }
            table.fixed_columns(&mut slot, &mut summary, &mut report);
            let mixed = decoded.line_encoding.map(|line| Problem::EncodingMixed {
                line_encoding: text::encoding_label(line),
                file_encoding: text::encoding_label(decoded.encoding),
            });
            let mixed_lines = &decoded.mixed_lines;
            let cut = Problem::WidthCutsCharacter;
            let mut on_row = |pos: RowPos, cells: &[Cell<'_>]| {
                // A record written (in part) in the other encoding.
                let last = pos.number + pos.extra_lines;
                let from = mixed_lines.partition_point(|&l| l < pos.number);
                let flaw = mixed
                    .as_ref()
                    .filter(|_| mixed_lines.get(from).is_some_and(|&l| l <= last))
                    .or(pos.cut_char.then_some(&cut));
                table.row(pos, cells, flaw, &mut slot, &mut summary, &mut report)
            };
            let res = match opts.profile.and_then(|p| p.split.as_ref()) {
                Some(split) => {
                    text::for_each_cut(text, split, decoded.encoding, &mut on_row);
                    Ok(())
                }
                None => text::for_each_record(text, delimiter, &mut on_row),
            };
            if let Err(detail) = res {
                let problem = Problem::FileUnreadable {
                    format: "csv",
                    detail,
                };
                report(&mut summary, Issue::new(source.here(), problem));
            }
            table.finish(slot, &mut summary, &mut report)
        }
    };
    Ok(Scanned {
        source,
        summary,
        sink,
    })
}

/// Shows the file to the built-in layouts when no profile of the user's
/// applies and a bank file may be read.
fn recognise_layout(content: &mut Content, opts: &ReadOptions<'_>, kinds: &[Kind]) -> Recognised {
    if opts.profile.is_some() || !kinds.contains(&Kind::Bank) {
        return Recognised::None;
    }
    let peek = match content {
        Content::Text(decoded) => layouts::Peek {
            encoding: Some(decoded.encoding),
            ..layouts::Peek::of_text(&decoded.text)
        },
        Content::Sheet { name, book, .. } => {
            let mut rows = Vec::new();
            let _ = book.for_each_row(name, &mut |_, cells| {
                rows.push(
                    cells
                        .iter()
                        .map(|c| clean(&c.shown()).into_owned())
                        .collect(),
                );
                rows.len() < layouts::PEEK_ROWS
            });
            layouts::Peek {
                rows,
                ..layouts::Peek::default()
            }
        }
    };
    layouts::recognise(&peek)
}

/// The first or last row of a sheet below `skip` that holds a value other
/// than a rule: its summary row.
fn sheet_summary_row(book: &mut Book, name: &str, skip: u32, which: SummaryLine) -> Option<u32> {
    let mut found = None;
    let _ = book.for_each_row(name, &mut |pos, cells| {
        let blank = cells
            .iter()
            .all(|c| c.is_blank() || matches!(c, Cell::Text(t) if text::is_rule(t)));
        if pos.number > skip && !blank {
            found = Some(pos.number);
            return which == SummaryLine::Last;
        }
        true
    });
    found
}

/// A file's content, ready to walk.
enum Content {
    /// A workbook and the sheet to read; `chosen` when the user named it
    /// (else it is the first, and the others may be looked at).
    Sheet {
        name: String,
        book: Box<Book>,
        chosen: bool,
    },
    Text(text::Decoded),
}

/// Opens a file's bytes as a sheet or text. The outer error is fatal (a
/// `--sheet` that does not exist); the inner one is the file's problem.
fn open(
    bytes: Vec<u8>,
    ext: &str,
    display: &str,
    opts: &ReadOptions<'_>,
) -> Result<Result<Content, Problem>, Error> {
    let lang = opts.lang;
    let sniffed = sheet::sniff(&bytes);
    Ok(Err(match sniffed {
        Sniffed::Empty => Problem::FileEmpty,
        Sniffed::Pdf => Problem::NotSpreadsheet { looks_like: "PDF" },
        Sniffed::Html => Problem::NotSpreadsheet {
            looks_like: lang.pick(
                "HTML/XML 网页（网银常导出这种“假 xls”）",
                "an HTML/XML page (a \"fake xls\" from online banking)",
            ),
        },
        Sniffed::Binary => {
            let looks_like = lang.pick("二进制数据", "binary data");
            match ext {
                "xlsx" | "xls" | "xlsb" | "ods" => Problem::FileUnreadable {
                    format: match ext {
                        "xls" => "xls",
                        "xlsb" => "xlsb",
                        "ods" => "ods",
                        _ => "xlsx",
                    },
                    detail: looks_like.to_string(),
                },
                _ => Problem::NotSpreadsheet { looks_like },
            }
        }
        Sniffed::Zip | Sniffed::Ole => {
            let book = match Book::open(bytes, sniffed, ext) {
                Ok(b) => b,
                Err(p) => return Ok(Err(p)),
            };
            let names = book.sheet_names();
            let wanted = opts
                .sheet
                .clone()
                .or_else(|| opts.profile.and_then(|p| p.sheet.clone()));
            let (name, chosen) = match wanted {
                Some(w) if !names.contains(&w) => {
                    return Err(Error::SheetNotFound {
                        file: display.to_string(),
                        sheet: w,
                        available: names,
                    });
                }
                Some(w) => (w, true),
                None => match names.into_iter().next() {
                    Some(n) => (n, false),
                    None => return Ok(Err(Problem::SheetEmpty)),
                },
            };
            return Ok(Ok(Content::Sheet {
                name,
                book: Box::new(book),
                chosen,
            }));
        }
        Sniffed::Text => {
            let forced = opts
                .encoding
                .or_else(|| opts.profile.and_then(|p| p.encoding));
            return Ok(Ok(Content::Text(text::decode(bytes, forced))));
        }
    }))
}

enum SinkSlot<F, S> {
    Waiting(Option<F>),
    Ready(Box<Columns>, S),
}

/// The header search and row classification of one table.
struct Table<'o> {
    kinds: Vec<Kind>,
    opts: &'o ReadOptions<'o>,
    source: Source,
    /// Closest header candidate so far: (groups satisfied, kind, row, missing).
    best: Option<(usize, Kind, u32, Vec<String>)>,
    after_grand_total: bool,
    row_issues: Vec<Issue>,
    searched: u32,
    title_unit: Option<(normalize::UnitMark, SourceRef)>,
    layout: Option<&'static layouts::Layout>,
    /// The line of a profile's summary (`summary = "first"`/`"last"`).
    summary_line: Option<u32>,
    /// The summary line's text, once read; checked at the end.
    summary_text: Option<(u32, String)>,
    /// The first row that held anything while the header was searched.
    first_row: Option<String>,
}

impl<'o> Table<'o> {
    fn new(
        kinds: &[Kind],
        opts: &'o ReadOptions<'o>,
        source: Source,
        layout: Option<&'static layouts::Layout>,
    ) -> Table<'o> {
        Table {
            kinds: kinds.to_vec(),
            opts,
            source,
            best: None,
            after_grand_total: false,
            row_issues: Vec::new(),
            searched: 0,
            title_unit: None,
            layout,
            summary_line: None,
            summary_text: None,
            first_row: None,
        }
    }

    /// Lines the profile says to skip at the top.
    fn skip(&self) -> u32 {
        self.opts.profile.map_or(0, |p| p.skip_lines)
    }

    /// A profile's `columns`: the fields by position, so no header is
    /// searched for; the sink is made at once and every row below
    /// `skip_lines` is data.
    fn fixed_columns<F, S>(
        &mut self,
        slot: &mut SinkSlot<F, S>,
        summary: &mut ScanSummary,
        report: &mut dyn FnMut(&mut ScanSummary, Issue),
    ) where
        F: FnOnce(&Columns) -> S,
        S: RowSink,
    {
        let Some(fields) = self.opts.profile.and_then(|p| p.columns.as_ref()) else {
            return;
        };
        let kind = self.opts.profile.and_then(|p| p.kind).unwrap_or(Kind::Bank);
        let mut map = [None; FIELD_COUNT];
        let mut headers = Vec::new();
        for (col, field) in fields.iter().enumerate() {
            let name = field
                .and_then(|f| schema::spec(kind, f))
                .map_or("", |s| s.canonical);
            headers.push(Arc::from(name));
            if let Some(f) = field {
                map[*f as usize] = Some(col as u32);
            }
        }
        let columns = Columns {
            kind,
            header_row: 0,
            map,
            headers,
            source: self.source.clone(),
            title_unit: None,
            layout: self.layout,
        };
        summary.kind = Some(kind);
        if let SinkSlot::Waiting(make) = slot
            && let Some(make) = make.take()
        {
            let mut sink = make(&columns);
            let mut issues = Vec::new();
            sink.header(&columns, &mut issues);
            for issue in issues {
                report(summary, issue);
            }
            *slot = SinkSlot::Ready(Box::new(columns), sink);
        }
    }

    /// The required groups of `kind`: a profile's `match_by` stands in for
    /// a bank file's account.
    fn required(&self, kind: Kind) -> Vec<Vec<Field>> {
        let match_by = self.opts.profile.map_or(&[][..], |p| &p.match_by[..]);
        kind.required()
            .iter()
            .map(|g| {
                if kind == Kind::Bank && *g == [Field::Account] && !match_by.is_empty() {
                    match_by.to_vec()
                } else {
                    g.to_vec()
                }
            })
            .collect()
    }

    fn row<F, S>(
        &mut self,
        pos: RowPos,
        cells: &[Cell<'_>],
        flaw: Option<&Problem>,
        slot: &mut SinkSlot<F, S>,
        summary: &mut ScanSummary,
        report: &mut dyn FnMut(&mut ScanSummary, Issue),
    ) -> bool
    where
        F: FnOnce(&Columns) -> S,
        S: RowSink,
    {
        let number = pos.number;
        summary.rows += 1;
        if summary.rows.is_multiple_of(4096)
            && let Some(bar) = &self.opts.progress
        {
            bar.set_position(summary.rows);
        }
        let skip = self.skip();
        if self.summary_line == Some(number) {
            // Not data: its figures are checked once every row is in.
            summary.totals_rows += 1;
            let widths = matches!(
                self.opts.profile.and_then(|p| p.split.as_ref()),
                Some(Split::Widths(_))
            );
            let text: Vec<String> = cells.iter().map(|c| c.shown().into_owned()).collect();
            self.summary_text = Some((number, text.join(if widths { "" } else { " " })));
            return true;
        }
        let flaw_issue = flaw.map(|p| Issue::new(self.source.row(number), p.clone()));
        match slot {
            SinkSlot::Waiting(make) => {
                if let Some(issue) = flaw_issue {
                    report(summary, issue);
                }
                self.searched += 1;
                if self.first_row.is_none() && cells.iter().any(|c| !c.is_blank()) {
                    let text: Vec<String> = cells
                        .iter()
                        .filter(|c| !c.is_blank())
                        .map(|c| c.shown().trim().to_string())
                        .collect();
                    self.first_row = Some(text.join(" "));
                }
                let fixed = self.opts.profile.and_then(|p| p.header_row);
                let candidate = number > skip && fixed.is_none_or(|h| h == number);
                if candidate && let Some(columns) = self.try_header(number, cells, summary, report)
                {
                    summary.kind = Some(columns.kind);
                    summary.header_row = Some(number);
                    if let Some(make) = make.take() {
                        let mut sink = make(&columns);
                        let mut header_issues = Vec::new();
                        sink.header(&columns, &mut header_issues);
                        for issue in header_issues {
                            report(summary, issue);
                        }
                        *slot = SinkSlot::Ready(Box::new(columns), sink);
                    }
                    return true;
                }
                summary.title_rows += 1;
                // `单位：分` above the header: the unit of the amounts below.
                if let Some((col, unit)) = cells.iter().enumerate().find_map(|(i, c)| match c {
                    Cell::Text(t) => normalize::title_unit(t).map(|u| (i, u)),
                    _ => None,
                }) {
                    // The cell's text stands where a header would: `A2 (单位：分)`.
                    let mut at = self.source.row(number);
                    at.col = Some(col as u32);
                    at.header = cells.get(col).map(|c| Arc::from(&*c.shown()));
                    self.title_unit = Some((unit, at));
                }
                // Give up once the header cannot come any more.
                // (A profile's header_row may lie below the usual search.)
                !(fixed.map_or(self.searched >= HEADER_SEARCH_ROWS, |h| number >= h))
            }
            SinkSlot::Ready(columns, sink) => {
                let row = Row {
                    number,
                    cells,
                    flaw,
                };
                if number <= skip {
                    // Above the data of a file read by `columns`.
                    summary.title_rows += 1;
                    return true;
                }
                let rule = |c: &Cell<'_>| matches!(c, Cell::Text(t) if text::is_rule(t));
                if cells.iter().all(|c| c.is_blank() || rule(c)) {
                    // Blank, or a rule drawn between rows.
                    summary.blank_rows += 1;
                    return true;
                }
                self.row_issues.clear();
                self.row_issues.extend(flaw_issue);
                if pos.unclosed_quote {
                    let problem = Problem::UnclosedQuote {
                        to: number + pos.extra_lines,
                    };
                    self.row_issues
                        .push(Issue::new(self.source.row(number), problem));
                }
                if let Some(scope) = self.totals_scope(columns, &row) {
                    summary.totals_rows += 1;
                    // A totals row above every data row has nothing to be
                    // checked against, and ends nothing.
                    if summary.data_rows > 0 {
                        if scope == TotalsScope::Grand {
                            self.after_grand_total = true;
                        }
                        sink.totals(columns, &row, scope, &mut self.row_issues);
                    }
                } else if self.after_grand_total && !columns.names_household(&row) {
                    // Below a grand total: signature lines, notes, dates.
                    summary.trailer_rows += 1;
                } else if !columns.any_required(&row) {
                    {
                        summary.skipped_rows += 1;
                        let text: Vec<String> = cells
                            .iter()
                            .filter(|c| !c.is_blank())
                            .map(|c| c.shown().into_owned())
                            .collect();
                        self.row_issues.push(Issue::new(
                            self.source.row(number),
                            Problem::SkippedRow {
                                text: text.join(" "),
                            },
                        ));
                    }
                } else {
                    summary.data_rows += 1;
                    sink.data(columns, &row, &mut self.row_issues);
                }
                self.flush(summary, report);
                true
            }
        }
    }

    fn flush(
        &mut self,
        summary: &mut ScanSummary,
        report: &mut dyn FnMut(&mut ScanSummary, Issue),
    ) {
        if self.row_issues.is_empty() {
            return;
        }
        self.row_issues
            .sort_by_key(|i| i.at.col.unwrap_or(u32::MAX));
        if self
            .row_issues
            .iter()
            .any(|i| i.severity == Severity::Error)
        {
            summary.rows_with_errors += 1;
        }
        for issue in self.row_issues.drain(..) {
            report(summary, issue);
        }
    }

    fn finish<F, S>(
        &mut self,
        slot: SinkSlot<F, S>,
        summary: &mut ScanSummary,
        report: &mut dyn FnMut(&mut ScanSummary, Issue),
    ) -> Option<S>
    where
        S: RowSink,
    {
        match slot {
            SinkSlot::Ready(columns, mut sink) => {
                self.row_issues.clear();
                if let Some((line, text)) = self.summary_text.take() {
                    sink.summary(&columns, line, &text, &mut self.row_issues);
                }
                sink.finish(&columns, &mut self.row_issues);
                for issue in self.row_issues.drain(..) {
                    report(summary, issue);
                }
                if summary.data_rows == 0 {
                    report(summary, Issue::new(self.source.here(), Problem::NoDataRows));
                }
                Some(sink)
            }
            SinkSlot::Waiting(_) => {
                let lang = self.opts.lang;
                // With several candidate kinds, name the closest one when at
                // least half of its required columns are there.
                let close = |(s, k, ..): &(usize, Kind, u32, Vec<String>)| {
                    self.kinds.len() == 1 || 2 * s >= k.required().len()
                };
                let best = self.best.as_ref().filter(|b| close(b));
                // The first line is data already (an account number in it):
                // a file without a header, of a layout dibao does not know.
                // Said only when the built-in layouts were tried (no
                // profile of the user's was in force).
                let headerless = self.kinds.contains(&Kind::Bank)
                    && self.opts.profile.is_none()
                    && self.first_row.as_deref().is_some_and(|r| {
                        r.split([' ', ',', '|', '\t', ';'])
                            .any(|v| v.len() >= 12 && v.bytes().all(|b| b.is_ascii_digit()))
                    });
                let problem = match (best, self.kinds.len()) {
                    _ if headerless => Problem::NoHeaderRow {
                        first: self
                            .first_row
                            .as_deref()
                            .unwrap_or("")
                            .chars()
                            .take(80)
                            .collect(),
                    },
                    (Some((_, kind, row, missing)), _) => Problem::NoHeader {
                        kind: kind.name(lang),
                        missing: missing.clone(),
                        best_row: Some(*row),
                    },
                    (None, 1) => Problem::NoHeader {
                        kind: self.kinds[0].name(lang),
                        missing: missing_names(self.kinds[0], &[]),
                        best_row: None,
                    },
                    _ => Problem::KindUnknown,
                };
                let at = match best {
                    Some((_, _, row, _)) if !headerless => self.source.row(*row),
                    _ => self.source.here(),
                };
                report(summary, Issue::new(at, problem));
                None
            }
        }
    }

    /// The first other sheet of `book` whose first rows hold a header of
    /// one of the candidate kinds.
    fn header_elsewhere(&self, book: &mut Book, skip: &str) -> Option<(String, Kind)> {
        for name in book.sheet_names() {
            if name == skip {
                continue;
            }
            let mut found = None;
            let _ = book.for_each_row(&name, &mut |pos, cells| {
                let keys: Vec<String> = cells.iter().map(|c| header_key(&c.shown())).collect();
                found = self.kinds.iter().copied().find(|&kind| {
                    let (map, _) = self.map_columns(kind, &keys);
                    kind.required()
                        .iter()
                        .all(|g| g.iter().any(|&f| map[f as usize].is_some()))
                });
                found.is_none() && pos.number < HEADER_SEARCH_ROWS
            });
            if let Some(kind) = found {
                return Some((name, kind));
            }
        }
        None
    }

    /// Tests a row as the header of each candidate kind, in order.
    fn try_header(
        &mut self,
        number: u32,
        cells: &[Cell<'_>],
        summary: &mut ScanSummary,
        report: &mut dyn FnMut(&mut ScanSummary, Issue),
    ) -> Option<Columns> {
        let keys: Vec<String> = cells.iter().map(|c| header_key(&c.shown())).collect();
        if keys.iter().all(String::is_empty) {
            return None;
        }
        for &kind in &self.kinds {
            if self.kinds.len() > 1 && kind == Kind::Checkins && self.looks_like_payments(&keys) {
                // Account, amount or members columns: not a check-in file,
                // whatever else its header lacks.
                continue;
            }
            let (map, duplicates) = self.map_columns(kind, &keys);
            let groups = self.required(kind);
            let satisfied = groups
                .iter()
                .filter(|g| g.iter().any(|&f| map[f as usize].is_some()))
                .count();
            if satisfied == groups.len() {
                let headers: Vec<Arc<str>> = cells
                    .iter()
                    .map(|c| Arc::from(&*clean(&c.shown())))
                    .collect();
                for (field, used, ignored) in duplicates {
                    let at = SourceRef {
                        row: Some(number),
                        col: Some(ignored),
                        header: headers.get(ignored as usize).cloned(),
                        ..self.source.here()
                    };
                    let issue = Issue::new(
                        at,
                        Problem::DuplicateColumn {
                            field,
                            used: headers
                                .get(used as usize)
                                .map(|h| h.to_string())
                                .unwrap_or_default(),
                            ignored: headers
                                .get(ignored as usize)
                                .map(|h| h.to_string())
                                .unwrap_or_default(),
                        },
                    );
                    report(summary, issue);
                }
                return Some(Columns {
                    kind,
                    header_row: number,
                    map,
                    headers,
                    source: self.source.clone(),
                    title_unit: self.title_unit.clone(),
                    layout: self.layout,
                });
            }
            // Closest = the largest share of required groups present.
            let share = |n: usize, k: Kind| n * 60 / k.required().len();
            let better = match &self.best {
                None => satisfied > 0,
                Some((s, k, ..)) => share(satisfied, kind) > share(*s, *k),
            };
            if better {
                let present: Vec<Field> = map
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.is_some())
                    .filter_map(|(i, _)| field_at(kind, i))
                    .collect();
                self.best = Some((satisfied, kind, number, missing_names(kind, &present)));
            }
        }
        None
    }

    /// True when header keys name an account, an amount or members: columns
    /// of rosters and bank files that check-in files do not have.
    fn looks_like_payments(&self, keys: &[String]) -> bool {
        let (bank, _) = self.map_columns(Kind::Bank, keys);
        let (roster, _) = self.map_columns(Kind::Roster, keys);
        bank[Field::Account as usize].is_some()
            || bank[Field::Amount as usize].is_some()
            || roster[Field::Members as usize].is_some()
    }

    /// Maps header keys to the fields of `kind`. Returns the map and the
    /// duplicates as (field name, used column, ignored column).
    #[allow(clippy::type_complexity)]
    fn map_columns(
        &self,
        kind: Kind,
        keys: &[String],
    ) -> ([Option<u32>; FIELD_COUNT], Vec<(&'static str, u32, u32)>) {
        let mut map = [None; FIELD_COUNT];
        let mut duplicates = Vec::new();
        let extra: &[(Field, String)] = self.opts.profile.map_or(&[], |p| &p.aliases);
        for (col, key) in keys.iter().enumerate() {
            if key.is_empty() {
                continue;
            }
            // A profile's own alias comes first: `处理结果` named as the
            // reason is not dibao's status.
            let hit: Option<&FieldSpec> = kind
                .schema()
                .iter()
                .find(|s| {
                    extra
                        .iter()
                        .any(|(f, h)| *f == s.field && header_key(h) == *key)
                })
                .or_else(|| kind.schema().iter().find(|s| s.matches(key)));
            if let Some(spec) = hit {
                let slot = &mut map[spec.field as usize];
                match slot {
                    Some(used) => duplicates.push((spec.canonical, *used, col as u32)),
                    None => *slot = Some(col as u32),
                }
            }
        }
        (map, duplicates)
    }

    /// Whether a row is a totals or trailer row (see [`totals_row`]).
    fn totals_scope(&self, columns: &Columns, row: &Row<'_, '_>) -> Option<TotalsScope> {
        if columns.names_household(row) {
            return None;
        }
        let first = row.cells.iter().find(|c| !c.is_blank())?.shown();
        let trailer = self.opts.profile.map_or(&[][..], |p| &p.trailer[..]);
        if trailer.iter().any(|t| first.starts_with(t.as_str())) {
            return Some(TotalsScope::Grand);
        }
        totals_row::totals_label(&first).or_else(|| {
            row.cells.iter().find_map(|c| match c {
                Cell::Text(s) => totals_row::totals_word(s),
                _ => None,
            })
        })
    }
}

fn field_at(kind: Kind, index: usize) -> Option<Field> {
    kind.schema()
        .iter()
        .map(|s| s.field)
        .find(|&f| f as usize == index)
}

fn missing_names(kind: Kind, present: &[Field]) -> Vec<String> {
    kind.required()
        .iter()
        .filter(|g| !g.iter().any(|f| present.contains(f)))
        .map(|g| {
            g.iter()
                .filter_map(|&f| schema::spec(kind, f))
                .map(FieldSpec::display)
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .collect()
}
