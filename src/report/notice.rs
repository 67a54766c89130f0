//! The public notice (公示, SPEC §5.1): who is paid this month, posted on the
//! community notice board, and the masking that makes it fit to post.
//!
//! A notice must let neighbours recognise a household and its amount without
//! publishing identities: the head's name is masked ([`mask_name`]), the ID
//! is masked ([`mask_id`]), the bank account is not shown at all. Members and
//! amounts are shown as they are.
//!
//! Invariants: only `Due` rows appear, in roster order; no cell holds a full
//! ID, an account, or the full name of a name of two or more characters;
//! amounts are numbers converted from exact fen at the last step; there are
//! no formulas; the bytes depend only on the payroll and the options.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    ColNum, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet, XlsxError,
};
use rustc_hash::FxHashSet;

use crate::error::Error;
use crate::issue::Lang;
use crate::model::date::Month;
use crate::model::money::Money;
use crate::payroll::{Payroll, PayrollRow};
use crate::report::workbook::{
    SHEET_DATA_ROWS, amount, header_format, money_format, new_workbook, text_format,
};

/// Common compound (two-character) surnames (复姓): a name that starts with
/// one keeps both characters and masks the whole given name.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "轩辕", "端木", "独孤", "南宫", "西门", "太史", "万俟", "闻人", "赫连", "澹台",
    "宗政", "濮阳", "公冶", "太叔", "申屠", "仲孙", "钟离", "鲜于", "司空", "闾丘", "亓官", "司寇",
    "巫马", "公西", "颛孙", "壤驷", "公良", "漆雕", "乐正", "宰父", "谷梁", "拓跋", "夹谷", "段干",
    "百里", "呼延", "东郭", "南门", "羊舌", "微生", "梁丘", "左丘", "东门", "第五", "公羊", "子车",
];

/// Separators between the parts of a transliterated (e.g. Uyghur) name:
/// middle dots as they are typed (`·` `•` `・` `‧` `･` `．` `.`).
fn is_name_separator(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}' | '\u{2022}' | '\u{30FB}' | '\u{2027}' | '\u{FF65}' | '\u{FF0E}' | '.'
    )
}

/// Masks a name for public posting.
///
/// - one character: unchanged (`王` → `王`);
/// - two characters: the first and `*` (`张三` → `张*`; `欧阳` → `欧*`);
/// - a common compound surname (see the list in this module) and at least
///   one more character: the surname and one `*` per given-name character
///   (`欧阳明华` → `欧阳**`, `司马光` → `司马*`);
/// - otherwise three or more characters: the first, one `*` per middle
///   character, the last (`张三明` → `张*明`, `张三明华` → `张**华`);
/// - a name with a separator (`·` and the other middle dots, or a space):
///   the first character, the separators where they are, and one `*` for
///   every other character (`阿依古丽·买买提` → `阿***·***`,
///   `John Smith` → `J*** *****`): the shape of the name stays readable,
///   nothing after the first character is shown.
///
/// Leading and trailing white space is removed first. A name of two or more
/// characters is never returned whole: if the rules above would leave it
/// unmasked (`阿·`), every character but the separators becomes `*`.
///
/// # Examples
/// ```
/// use dibao::report::notice::mask_name;
/// assert_eq!(mask_name("张三明"), "张*明");
/// assert_eq!(mask_name("欧阳明华"), "欧阳**");
/// assert_eq!(mask_name("阿依古丽·买买提"), "阿***·***");
/// ```
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let chars: Vec<char> = name.chars().collect();
    let n = chars.len();
    if n <= 1 {
        return name.to_string();
    }
    let separated = |c: char| is_name_separator(c) || c.is_whitespace();
    let masked: String = if chars.iter().any(|&c| separated(c)) {
        chars
            .iter()
            .enumerate()
            .map(|(i, &c)| if i == 0 || separated(c) { c } else { '*' })
            .collect()
    } else if n == 2 {
        format!("{}*", chars[0])
    } else if COMPOUND_SURNAMES.iter().any(|s| name.starts_with(s)) {
        let mut s: String = chars[..2].iter().collect();
        s.extend(std::iter::repeat_n('*', n - 2));
        s
    } else {
        let mut s = String::new();
        s.push(chars[0]);
        s.extend(std::iter::repeat_n('*', n - 2));
        s.push(chars[n - 1]);
        s
    };
    if masked == name {
        return chars
            .iter()
            .map(|&c| if separated(c) { c } else { '*' })
            .collect();
    }
    masked
}

/// Masks an ID number for public posting: an 18-character ID keeps its
/// first 6 and last 4 characters with 8 `*` between
/// (`11010519491231002X` → `110105********002X`); any other length keeps
/// only the first 6 and masks the rest, one `*` per character; an ID of 6
/// characters or fewer becomes all `*` (the first 6 would be all of it).
/// Leading and trailing white space is removed first.
///
/// # Examples
/// ```
/// use dibao::report::notice::mask_id;
/// assert_eq!(mask_id("11010519491231002X"), "110105********002X");
/// assert_eq!(mask_id("110105491231002"), "110105*********");
/// assert_eq!(mask_id("1234"), "****");
/// ```
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    let n = chars.len();
    if n == 18 {
        let mut s: String = chars[..6].iter().collect();
        s.push_str("********");
        s.extend(&chars[14..]);
        s
    } else if n <= 6 {
        "*".repeat(n)
    } else {
        let mut s: String = chars[..6].iter().collect();
        s.extend(std::iter::repeat_n('*', n - 6));
        s
    }
}

/// How the notice is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeOptions {
    /// Sheet name, title, headers and footer.
    pub lang: Lang,
    /// The notice date (公示日期), also the workbook's document date.
    pub date: NaiveDate,
    /// The unit that posts the notice (制表单位); left out when empty.
    pub unit: String,
}

/// Rows above the data: title, date and unit, header.
const ROWS_ABOVE: u32 = 3;
/// Rows below the data on the last sheet: total, footer.
const ROWS_BELOW: u32 = 2;
const WIDTHS: [f64; 6] = [7.0, 16.0, 14.0, 22.0, 10.0, 14.0];
const LAST_COL: ColNum = 5;

/// Writes the public notice workbook: one sheet `公示` / `Notice` with a
/// merged title `{community}{YYYY}年{M}月低保金发放公示` (the distinct
/// non-empty communities of the due rows, in order of first appearance,
/// joined by `、`), a line with the unit and the date, the header (序号, 社区,
/// 户主姓名, 身份证号, 保障人数, 发放金额), one row per due household in
/// roster order (masked name, masked ID as text, members, total; the account
/// is not shown), a total row (households, persons, amount) and the footer
/// `如有异议，请于公示之日起7日内向社区反映。`.
///
/// Printing: A4 portrait, fit to one page wide, the header row repeated on
/// every page, page numbers in the footer. A payroll with more due rows than
/// fit on one sheet continues on `公示 (2)`, … (each with title and header);
/// the total and footer end the last sheet. The sheets are written in
/// constant-memory mode.
///
/// # Parameters
/// - `payroll`: the month's payroll; only its `Due` rows are shown.
/// - `opts`: language, notice date (also the document date, so reruns give
///   the same bytes) and the posting unit.
/// - `path`: the file to write (its directory must exist).
///
/// # Errors
/// [`Error::Xlsx`] when the workbook cannot be built or saved.
///
/// # Examples
/// ```no_run
/// # fn demo(payroll: &dibao::payroll::Payroll) -> Result<(), dibao::error::Error> {
/// use dibao::report::notice::{NoticeOptions, write};
/// let opts = NoticeOptions {
///     lang: dibao::issue::Lang::Zh,
///     date: payroll.month.first_day(),
///     unit: "东关街道青城社区居民委员会".to_string(),
/// };
/// write(payroll, &opts, std::path::Path::new("out/公示_2026-11.xlsx"))?;
/// # Ok(())
/// # }
/// ```
pub fn write(payroll: &Payroll, opts: &NoticeOptions, path: &std::path::Path) -> Result<(), Error> {
    let per_sheet = (SHEET_DATA_ROWS + 1 - ROWS_ABOVE - ROWS_BELOW) as usize;
    write_sheets_of(payroll, opts, path, per_sheet).map_err(|source| Error::Xlsx {
        path: path.to_path_buf(),
        source,
    })
}

/// The formats of a notice.
struct Formats {
    title: Format,
    info: Format,
    header: Format,
    text: Format,
    number: Format,
    money: Format,
    footer: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            info: Format::new()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: header_format(),
            text: text_format(),
            number: Format::new()
                .set_num_format("0")
                .set_border(FormatBorder::Thin),
            money: money_format(),
            footer: Format::new()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
        }
    }
}

/// The fixed texts of a notice in one language.
struct Texts {
    sheet: &'static str,
    headers: [&'static str; 6],
    total: &'static str,
    footer: &'static str,
}

fn texts(lang: Lang) -> Texts {
    lang.pick(
        Texts {
            sheet: "公示",
            headers: [
                "序号",
                "社区",
                "户主姓名",
                "身份证号",
                "保障人数",
                "发放金额",
            ],
            total: "合计",
            footer: "如有异议，请于公示之日起7日内向社区反映。",
        },
        Texts {
            sheet: "Notice",
            headers: [
                "No.",
                "Community",
                "Head of household",
                "ID number",
                "Persons covered",
                "Amount",
            ],
            total: "Total",
            footer: "Any objection should be raised with the community within 7 days \
                     of the date of this notice.",
        },
    )
}

/// `青城社区、东关社区2026年11月低保金发放公示`.
fn title(communities: &[&str], month: Month, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{}{}年{}月低保金发放公示",
            communities.join("、"),
            month.year(),
            month.month()
        ),
        Lang::En => {
            let when = month.first_day().format("%B %Y");
            if communities.is_empty() {
                format!("Public notice of minimum living allowance (dibao) payments, {when}")
            } else {
                format!(
                    "{}: public notice of minimum living allowance (dibao) payments, {when}",
                    communities.join(", ")
                )
            }
        }
    }
}

/// `制表单位：…　　公示日期：2026年11月1日`.
fn info_line(opts: &NoticeOptions) -> String {
    let unit = opts.unit.trim();
    match opts.lang {
        Lang::Zh => {
            let date = opts.date.format("%Y年%-m月%-d日");
            if unit.is_empty() {
                format!("公示日期：{date}")
            } else {
                format!("制表单位：{unit}　　公示日期：{date}")
            }
        }
        Lang::En => {
            let date = opts.date.format("%-d %B %Y");
            if unit.is_empty() {
                format!("Date: {date}")
            } else {
                format!("Unit: {unit}    Date: {date}")
            }
        }
    }
}

/// [`write`] with at most `per_sheet` data rows on a sheet.
fn write_sheets_of(
    payroll: &Payroll,
    opts: &NoticeOptions,
    path: &std::path::Path,
    per_sheet: usize,
) -> Result<(), XlsxError> {
    let rows: Vec<&PayrollRow> = payroll.due().collect();
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let mut communities: Vec<&str> = rows
        .iter()
        .map(|r| r.community.trim())
        .filter(|c| !c.is_empty() && seen.insert(c))
        .take(4)
        .collect();
    // A title names at most three communities, then 等 (a provincial run
    // has thousands; a cell holds at most 32,767 characters).
    if communities.len() > 3 {
        communities.truncate(3);
        communities.push(opts.lang.pick("等", "etc."));
    }
    let title = title(&communities, payroll.month, opts.lang);
    let info = info_line(opts);
    let texts = texts(opts.lang);
    let formats = Formats::new();

    let mut workbook: Workbook = new_workbook(opts.date);
    let chunks: Vec<&[&PayrollRow]> = if rows.is_empty() {
        vec![&[]]
    } else {
        rows.chunks(per_sheet.max(1)).collect()
    };
    let last = chunks.len() - 1;
    let mut serial: u64 = 0;
    for (i, chunk) in chunks.into_iter().enumerate() {
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        if i == 0 {
            sheet.set_name(texts.sheet)?;
        } else {
            sheet.set_name(format!("{} ({})", texts.sheet, i + 1))?;
        }
        setup_page(sheet, opts.lang)?;
        sheet.set_row_height(0, 32)?;
        sheet.merge_range(0, 0, 0, LAST_COL, &title, &formats.title)?;
        sheet.merge_range(1, 0, 1, LAST_COL, &info, &formats.info)?;
        for (col, h) in texts.headers.iter().enumerate() {
            sheet.write_string_with_format(2, col as ColNum, *h, &formats.header)?;
        }
        let mut r: RowNum = ROWS_ABOVE;
        for row in chunk {
            serial += 1;
            // Only the amount needs a format (the library hashes a cell's
            // format on every write); printed gridlines draw the table.
            sheet.write_number(r, 0, serial as f64)?;
            sheet.write_string(r, 1, row.community.trim())?;
            sheet.write_string(r, 2, mask_name(&row.name))?;
            sheet.write_string(r, 3, mask_id(&row.id_number))?;
            sheet.write_number(r, 4, f64::from(row.members))?;
            sheet.write_number_with_format(r, 5, amount(row.total)?, &formats.money)?;
            r += 1;
        }
        if i == last {
            let households = rows.len();
            let persons: u64 = rows.iter().map(|row| u64::from(row.members)).sum();
            let total: Money = rows.iter().map(|row| row.total).sum();
            let count = opts.lang.pick(
                format!("{households}户"),
                format!("{households} households"),
            );
            sheet.write_string_with_format(r, 0, texts.total, &formats.header)?;
            sheet.write_blank(r, 1, &formats.text)?;
            sheet.write_string_with_format(r, 2, count, &formats.text)?;
            sheet.write_blank(r, 3, &formats.text)?;
            sheet.write_number_with_format(r, 4, persons as f64, &formats.number)?;
            sheet.write_number_with_format(r, 5, amount(total)?, &formats.money)?;
            // No row height on this last row: rust_xlsxwriter 0.102 in
            // constant-memory mode writes a last row that has row options
            // twice (`<row r="N">` … and `<row r="N"/>`), which Excel repairs.
            sheet.merge_range(r + 1, 0, r + 1, LAST_COL, texts.footer, &formats.footer)?;
        }
    }
    workbook.save(path)
}

/// Column widths and print settings: A4 portrait, one page wide, header row
/// repeated, page numbers.
fn setup_page(sheet: &mut Worksheet, lang: Lang) -> Result<(), XlsxError> {
    for (col, width) in WIDTHS.iter().enumerate() {
        sheet.set_column_width(col as ColNum, *width)?;
    }
    sheet.set_paper_size(9);
    sheet.set_portrait();
    sheet.set_print_gridlines(true);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    sheet.set_repeat_rows(2, 2)?;
    sheet.set_footer(lang.pick("&C第 &P 页，共 &N 页", "&CPage &P of &N"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policy::Policy;
    use crate::payroll::{Hold, RowStatus};
    use calamine::{Data, Reader, Xlsx, open_workbook};

    #[test]
    fn masks_names() {
        assert_eq!(mask_name("王"), "王");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张三明"), "张*明");
        assert_eq!(mask_name("张三明华"), "张**华");
        assert_eq!(mask_name("欧阳明华"), "欧阳**");
        assert_eq!(mask_name("欧阳明"), "欧阳*");
        assert_eq!(mask_name("司马光"), "司马*");
        assert_eq!(mask_name("诸葛孔明"), "诸葛**");
        assert_eq!(mask_name("西门吹雪"), "西门**");
        assert_eq!(mask_name("欧阳"), "欧*");
        assert_eq!(mask_name(" 张三 "), "张*");
        assert_eq!(mask_name("阿依古丽·买买提"), "阿***·***");
        assert_eq!(mask_name("阿依古丽•买买提"), "阿***•***");
        assert_eq!(mask_name("阿依古丽.买买提"), "阿***.***");
        assert_eq!(mask_name("热依拉·阿不都·克力木"), "热**·***·***");
        assert_eq!(mask_name("John Smith"), "J*** *****");
        assert_eq!(mask_name("张 三"), "张 *");
        // Never the whole name of two or more characters.
        assert_eq!(mask_name("阿·"), "*·");
        for name in ["张三", "欧阳", "阿·", "·阿", "a.b", "张 三", "李四明"] {
            assert_ne!(mask_name(name), name);
            assert!(mask_name(name).contains('*'));
        }
    }

    #[test]
    fn masks_ids() {
        assert_eq!(mask_id("11010519491231002X"), "110105********002X");
        assert_eq!(mask_id("110105194912310021"), "110105********0021");
        assert_eq!(mask_id(" 110105194912310021 "), "110105********0021");
        assert_eq!(mask_id("110105491231002"), "110105*********");
        assert_eq!(mask_id("1101054912"), "110105****");
        assert_eq!(mask_id("1101051"), "110105*");
        assert_eq!(mask_id("110105"), "******");
        assert_eq!(mask_id("1234"), "****");
        assert_eq!(mask_id(""), "");
    }

    struct R<'a> {
        id: &'a str,
        name: &'a str,
        idno: &'a str,
        account: &'a str,
        bank: &'a str,
        community: &'a str,
        members: u32,
        total_fen: i64,
        status: RowStatus,
    }

    fn row(r: R<'_>) -> PayrollRow {
        let due = r.status == RowStatus::Due;
        let fen = Money::from_fen(if due { r.total_fen } else { 0 });
        PayrollRow {
            household_id: r.id.into(),
            name: r.name.into(),
            id_number: r.idno.into(),
            account: r.account.into(),
            bank: r.bank.into(),
            account_name: r.name.into(),
            community: r.community.into(),
            street: "东关街道".into(),
            members: r.members,
            status: r.status,
            hold: (!due).then_some(Hold::Checkin),
            base: fen,
            subsidies: Vec::new(),
            addons: Money::ZERO,
            reissue: Money::ZERO,
            reissue_for: Vec::new(),
            adjustment: Money::ZERO,
            total: fen,
            note: String::new(),
        }
    }

    fn payroll() -> Payroll {
        let abc = "中国农业银行";
        let icbc = "中国工商银行";
        let due = RowStatus::Due;
        Payroll {
            month: Month::new(2026, 11).expect("month"),
            policy: Policy::default(),
            rows: vec![
                row(R {
                    id: "QC0001",
                    name: "张三",
                    idno: "110105194912310021",
                    account: "6228480012345678901",
                    bank: abc,
                    community: "青城社区",
                    members: 1,
                    total_fen: 33_000,
                    status: due,
                }),
                row(R {
                    id: "QC0002",
                    name: "李四明",
                    idno: "11010519500101002X",
                    account: "6222020012345678",
                    bank: icbc,
                    community: "青城社区",
                    members: 2,
                    total_fen: 62_000,
                    status: due,
                }),
                row(R {
                    id: "QC0003",
                    name: "王五",
                    idno: "110105195202020033",
                    account: "6228480099999999999",
                    bank: abc,
                    community: "西园社区",
                    members: 3,
                    total_fen: 93_000,
                    status: RowStatus::Held,
                }),
                row(R {
                    id: "QC0012",
                    name: "欧阳明华",
                    idno: "110105196003030047",
                    account: "6228480012345678905",
                    bank: abc,
                    community: "东关社区",
                    members: 3,
                    total_fen: 93_001,
                    status: due,
                }),
                row(R {
                    id: "QC0020",
                    name: "阿依古丽·买买提",
                    idno: "650102198001010015",
                    account: "6222020098765432",
                    bank: icbc,
                    community: "",
                    members: 1,
                    total_fen: 33_000,
                    status: due,
                }),
                row(R {
                    id: "QC0021",
                    name: "曹",
                    idno: "110105197001010011",
                    account: "6228480011112222333",
                    bank: abc,
                    community: "青城社区",
                    members: 1,
                    total_fen: 33_000,
                    status: due,
                }),
            ],
            owed: Vec::new(),
            recover: Vec::new(),
            not_applied: Vec::new(),
            previous_due: None,
        }
    }

    fn opts(lang: Lang) -> NoticeOptions {
        NoticeOptions {
            lang,
            date: NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
            unit: "东关街道办事处".to_string(),
        }
    }

    use crate::report::test_support::{f, read, s};

    #[test]
    fn notice_rows_and_totals() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("notice.xlsx");
        let p = payroll();
        write(&p, &opts(Lang::Zh), &path).expect("write");
        let mut book: Xlsx<_> = open_workbook(&path).expect("open");
        assert_eq!(book.sheet_names(), vec!["公示".to_string()]);
        let merged = book.merge_cells_by_sheet_name("公示").expect("merges");
        assert_eq!(merged.len(), 3);

        let range = read(&path, "公示");
        assert_eq!(
            s(&range, 0, 0),
            "青城社区、东关社区2026年11月低保金发放公示"
        );
        assert_eq!(
            s(&range, 1, 0),
            "制表单位：东关街道办事处　　公示日期：2026年11月1日"
        );
        let headers: Vec<String> = (0..6).map(|c| s(&range, 2, c)).collect();
        assert_eq!(
            headers,
            [
                "序号",
                "社区",
                "户主姓名",
                "身份证号",
                "保障人数",
                "发放金额"
            ]
        );
        // Row by row: the held QC0003 is left out.
        let expected = [
            (1.0, "青城社区", "张*", "110105********0021", 1.0, 330.0),
            (2.0, "青城社区", "李*明", "110105********002X", 2.0, 620.0),
            (3.0, "东关社区", "欧阳**", "110105********0047", 3.0, 930.01),
            (4.0, "", "阿***·***", "650102********0015", 1.0, 330.0),
            (5.0, "青城社区", "曹", "110105********0011", 1.0, 330.0),
        ];
        for (i, e) in expected.iter().enumerate() {
            let r = 3 + i as u32;
            assert_eq!(f(&range, r, 0), e.0);
            if e.1.is_empty() {
                // rust_xlsxwriter writes an empty string as a formatted blank.
                assert_eq!(range.get_value((r, 1)), Some(&Data::Empty));
            } else {
                assert_eq!(s(&range, r, 1), e.1);
            }
            assert_eq!(s(&range, r, 2), e.2);
            assert_eq!(s(&range, r, 3), e.3);
            assert_eq!(f(&range, r, 4), e.4);
            assert_eq!(f(&range, r, 5), e.5);
        }
        assert_eq!(s(&range, 8, 0), "合计");
        assert_eq!(s(&range, 8, 2), "5户");
        assert_eq!(f(&range, 8, 4), 8.0);
        assert_eq!((f(&range, 8, 5) * 100.0).round() as i64, p.total().fen());
        assert_eq!(s(&range, 9, 0), "如有异议，请于公示之日起7日内向社区反映。");
        assert_eq!(range.end(), Some((9, 5)));
    }

    #[test]
    fn notice_reveals_no_id_account_or_full_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = payroll();
        for lang in [Lang::Zh, Lang::En] {
            let path = dir.path().join(format!("notice-{lang:?}.xlsx"));
            write(&p, &opts(lang), &path).expect("write");
            let mut book: Xlsx<_> = open_workbook(&path).expect("open");
            for sheet in book.sheet_names() {
                let range = book.worksheet_range(&sheet).expect("sheet");
                let mut cells = 0;
                for (_, _, cell) in range.used_cells() {
                    cells += 1;
                    let text = cell.to_string();
                    for row in &p.rows {
                        assert!(!text.contains(row.id_number.as_str()), "{text}");
                        assert!(!text.contains(row.account.as_str()), "{text}");
                        assert!(!text.contains(row.household_id.as_str()), "{text}");
                        if row.name.chars().count() >= 2 {
                            assert!(!text.contains(row.name.as_str()), "{text}");
                        }
                    }
                    assert!(!text.contains("王*"), "held row shown: {text}");
                }
                assert!(cells > 30);
            }
        }
    }

    #[test]
    fn english_notice() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("notice.xlsx");
        write(&payroll(), &opts(Lang::En), &path).expect("write");
        let range = read(&path, "Notice");
        assert_eq!(
            s(&range, 0, 0),
            "青城社区, 东关社区: public notice of minimum living allowance (dibao) payments, November 2026"
        );
        assert_eq!(
            s(&range, 1, 0),
            "Unit: 东关街道办事处    Date: 1 November 2026"
        );
        assert_eq!(s(&range, 2, 2), "Head of household");
        assert_eq!(s(&range, 8, 0), "Total");
        assert_eq!(s(&range, 8, 2), "5 households");
        assert!(s(&range, 9, 0).contains("7 days"));
    }

    #[test]
    fn rerun_is_byte_identical_and_formula_free() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.xlsx");
        let b = dir.path().join("b.xlsx");
        let p = payroll();
        write(&p, &opts(Lang::Zh), &a).expect("write");
        write(&p, &opts(Lang::Zh), &b).expect("write");
        assert_eq!(std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
        let mut book: Xlsx<_> = open_workbook(&a).expect("open");
        let formulas = book.worksheet_formula("公示").expect("formulas");
        assert!(formulas.cells().all(|(_, _, f)| f.is_empty()));
    }

    #[test]
    fn many_rows_continue_on_more_sheets() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("notice.xlsx");
        let p = payroll();
        write_sheets_of(&p, &opts(Lang::Zh), &path, 2).expect("write");
        let book: Xlsx<_> = open_workbook(&path).expect("open");
        assert_eq!(book.sheet_names(), vec!["公示", "公示 (2)", "公示 (3)"]);
        let first = read(&path, "公示");
        let last = read(&path, "公示 (3)");
        assert_eq!(first.end(), Some((4, 5)));
        assert_eq!(s(&last, 0, 0), s(&first, 0, 0));
        assert_eq!(s(&last, 2, 2), "户主姓名");
        assert_eq!(f(&last, 3, 0), 5.0);
        assert_eq!(s(&last, 4, 0), "合计");
        assert_eq!(s(&last, 4, 2), "5户");
        assert_eq!((f(&last, 4, 5) * 100.0).round() as i64, p.total().fen());
    }

    #[test]
    fn empty_payroll_still_writes_a_notice() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("notice.xlsx");
        let mut p = payroll();
        p.rows.clear();
        let mut o = opts(Lang::Zh);
        o.unit.clear();
        write(&p, &o, &path).expect("write");
        let range = read(&path, "公示");
        assert_eq!(s(&range, 0, 0), "2026年11月低保金发放公示");
        assert_eq!(s(&range, 1, 0), "公示日期：2026年11月1日");
        assert_eq!(s(&range, 3, 2), "0户");
    }
}
