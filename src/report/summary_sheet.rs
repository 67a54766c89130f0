//! The summary sheet of the finance roster and of the reconciliation
//! workbook, and the cell formats both writers use.
//!
//! Layout: a title merged across columns A–E, the 制表单位 and 制表日期 line
//! under it, then from row 4 small tables one after another — each a bold
//! section title, a header row and lines of text, count and amount cells —
//! and one column chart beside the tables (anchored at G4).
//!
//! Invariants: the sheet is written top to bottom through [`SummarySheet`],
//! which keeps the row the next cells go on; text is written as text cells
//! (never numbers, never formulas) and cut to what a cell holds; amounts
//! are `#,##0.00` numbers converted from exact fen only when written; every
//! cell takes its format from one [`Formats`], so the two workbooks'
//! summaries look alike.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    Chart, ChartType, ColNum, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet,
    XlsxError,
};

use super::workbook::{
    amount, cell_text, date_label, header_format, money_format, page_footer, text_format,
    unit_label,
};
use crate::issue::Lang;
use crate::model::money::Money;

/// A format in its plain and its bold weight (bold for totals).
pub struct Pair {
    pub plain: Format,
    pub bold: Format,
}

impl Pair {
    fn new(plain: Format) -> Pair {
        Pair {
            bold: plain.clone().set_bold(),
            plain,
        }
    }

    /// The bold format when `bold`, else the plain one.
    pub fn pick(&self, bold: bool) -> &Format {
        if bold { &self.bold } else { &self.plain }
    }
}

/// The cell formats of a workbook, made once.
pub struct Formats {
    /// A sheet's title: bold 16 pt, centred.
    pub title: Format,
    /// 制表单位, left-aligned.
    pub left: Format,
    /// 制表日期, right-aligned.
    pub right: Format,
    pub header: Format,
    /// A summary section's title: bold 12 pt.
    pub section: Format,
    pub text: Pair,
    pub money: Pair,
    /// Households, persons, rows: centred, in `count_num_format`.
    pub count: Pair,
}

impl Formats {
    /// The formats, with counts shown in `count_num_format` (`0`,
    /// `#,##0`).
    pub fn new(count_num_format: &str) -> Formats {
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            left: Format::new().set_align(FormatAlign::Left),
            right: Format::new().set_align(FormatAlign::Right),
            header: header_format(),
            section: Format::new().set_bold().set_font_size(12),
            text: Pair::new(text_format()),
            money: Pair::new(money_format()),
            count: Pair::new(
                Format::new()
                    .set_num_format(count_num_format)
                    .set_align(FormatAlign::Center)
                    .set_border(FormatBorder::Thin),
            ),
        }
    }
}

/// What a summary sheet has above its first table.
pub struct Heading<'a> {
    pub lang: Lang,
    /// The sheet's name.
    pub name: &'a str,
    /// Widths of columns A to E.
    pub widths: [f64; 5],
    /// Printed landscape (else portrait).
    pub landscape: bool,
    /// Row 1, merged across A to E.
    pub title: &'a str,
    /// 制表单位 (may be empty) and 制表日期, on row 2.
    pub unit: &'a str,
    pub date: NaiveDate,
    /// The last column 制表单位 spans from A (0: A alone); 制表日期 spans
    /// the rest to E.
    pub unit_last: ColNum,
}

/// Writes a summary sheet's rows top to bottom.
pub struct SummarySheet<'w> {
    ws: &'w mut Worksheet,
    f: &'w Formats,
    name: &'w str,
    /// The row the next cells go on.
    pub row: RowNum,
}

impl<'w> SummarySheet<'w> {
    /// Adds the sheet with its column widths, print setup, title and 制表
    /// line; the first section starts on row 4.
    pub fn start(
        workbook: &'w mut Workbook,
        f: &'w Formats,
        heading: &Heading<'w>,
    ) -> Result<SummarySheet<'w>, XlsxError> {
        let lang = heading.lang;
        let ws = workbook.add_worksheet();
        ws.set_name(heading.name)?;
        for (c, width) in (0..).zip(heading.widths) {
            ws.set_column_width(c, width)?;
        }
        ws.set_paper_size(9);
        if heading.landscape {
            ws.set_landscape();
        }
        ws.set_print_fit_to_pages(1, 0);
        ws.set_print_center_horizontally(true);
        ws.set_footer(page_footer(lang));

        ws.set_row_height(0, 28)?;
        ws.merge_range(0, 0, 0, 4, heading.title, &f.title)?;
        let unit = unit_label(lang, heading.unit);
        let unit = cell_text(&unit);
        let last = heading.unit_last;
        if last == 0 {
            ws.write_string_with_format(1, 0, unit, &f.left)?;
        } else {
            ws.merge_range(1, 0, 1, last, &unit, &f.left)?;
        }
        ws.merge_range(1, last + 1, 1, 4, &date_label(lang, heading.date), &f.right)?;
        Ok(SummarySheet {
            ws,
            f,
            name: heading.name,
            row: 3,
        })
    }

    /// A section's title, a blank row before it unless it is the first.
    pub fn section(&mut self, title: &str) -> Result<(), XlsxError> {
        if self.row > 3 {
            self.row += 1;
        }
        self.ws
            .write_string_with_format(self.row, 0, title, &self.f.section)?;
        self.row += 1;
        Ok(())
    }

    /// A header row, from column A.
    pub fn header(&mut self, cells: &[&str]) -> Result<(), XlsxError> {
        for (c, h) in (0..).zip(cells) {
            self.ws
                .write_string_with_format(self.row, c, *h, &self.f.header)?;
        }
        self.row += 1;
        Ok(())
    }

    /// A text cell on the current row.
    pub fn text(&mut self, c: ColNum, s: &str, bold: bool) -> Result<(), XlsxError> {
        self.ws
            .write_string_with_format(self.row, c, cell_text(s), self.f.text.pick(bold))?;
        Ok(())
    }

    /// A blank cell on the current row, bordered like text.
    pub fn blank(&mut self, c: ColNum, bold: bool) -> Result<(), XlsxError> {
        self.ws.write_blank(self.row, c, self.f.text.pick(bold))?;
        Ok(())
    }

    /// A count cell on the current row.
    pub fn count(&mut self, c: ColNum, n: u64, bold: bool) -> Result<(), XlsxError> {
        self.ws
            .write_number_with_format(self.row, c, n as f64, self.f.count.pick(bold))?;
        Ok(())
    }

    /// An amount cell on the current row.
    pub fn money(&mut self, c: ColNum, m: Money, bold: bool) -> Result<(), XlsxError> {
        self.ws
            .write_number_with_format(self.row, c, amount(m)?, self.f.money.pick(bold))?;
        Ok(())
    }

    /// `label | amount`, then the next row.
    pub fn money_line(&mut self, label: &str, m: Money, bold: bool) -> Result<(), XlsxError> {
        self.text(0, label, bold)?;
        self.money(1, m, bold)?;
        self.row += 1;
        Ok(())
    }

    /// `label | count`, then the next row.
    pub fn count_line(&mut self, label: &str, n: u64, bold: bool) -> Result<(), XlsxError> {
        self.text(0, label, bold)?;
        self.count(1, n, bold)?;
        self.row += 1;
        Ok(())
    }

    /// A column chart of rows `rows.0..=rows.1` of this sheet — the
    /// categories in column `categories`, the values in `values`, named
    /// `series` — titled `title`, beside the tables: 560 × 320 at G4, the
    /// value axis `#,##0`, no legend.
    pub fn column_chart(
        &mut self,
        rows: (RowNum, RowNum),
        categories: ColNum,
        values: ColNum,
        series: &str,
        title: &str,
    ) -> Result<(), XlsxError> {
        let (first, last) = rows;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name(series)
            .set_categories((self.name, first, categories, last, categories))
            .set_values((self.name, first, values, last, values));
        chart.title().set_name(title);
        chart.y_axis().set_num_format("#,##0");
        chart.legend().set_hidden();
        chart.set_width(560).set_height(320);
        self.ws.insert_chart(3, 6, &chart)?;
        Ok(())
    }
}
