//! Bank result layouts dibao knows by itself, so that an officer never
//! writes a profile for them.
//!
//! Each [`Layout`] is data: the same [`Profile`] a mapping file gives, and a
//! recogniser that looks at the file's shape (a header row, the first line,
//! the pattern of a data line) — never at its name. A file is read with a
//! built-in layout only when no profile of the user's applies to it, and
//! only when exactly one layout fits: two that fit is an error asking for a
//! profile ([`Recognised::Ambiguous`]), never a guess.
//!
//! | layout | recognised by |
//! |---|---|
//! | 工商银行 回盘 xls | a header with 应处理金额, 实处理金额 and 处理标志 |
//! | 工商银行 回盘 txt | no header; a line of 16–19 digits, then name, fen, 备注 and a code `001 成功` at fixed GBK widths; last line 总笔数 |
//! | 工商银行 网银 BatchPayDetail | first line `[BatchPayDetail]`, a header with 网上银行状态 |
//! | 广发银行 BatchPayDetail | first line `#[BatchPayDetail]` |
//! | 建设银行 回盘 (header) | a header with 币种, 钞汇标志 and 处理结果 |
//! | 建设银行 回盘 (no header) | nine `,` fields: number, account, …, 人民币, 钞/汇, … |
//! | GAPS 代付回盘 `_RT` | first line `单位编号…`, then fields split at `\|` with a 12-digit zero-padded amount |
//! | bank core success file | lines drawn with `│`; header with 账号, 证件号码, 处理结果 |
//! | bank core failure file | lines drawn with `│`; header with 证件号码, 处理结果 and no account |
//!
//! Invariant: recognisers are strict (each names what must be there), so a
//! file that is not one of these banks' results fits none of them.

use std::sync::LazyLock;

use encoding_rs::GB18030;

use super::normalize::header_key;
use super::profile::{AmountUnit, Outcome, Profile, Split, SummaryLine};
use super::schema::{Field, Kind};
use super::text;
use crate::issue::Lang;

/// The first rows of a file, as a recogniser sees them.
#[derive(Debug, Default)]
pub struct Peek {
    /// True for a text file (`lines` holds its raw lines).
    pub text: bool,
    /// The first rows: a workbook's cells, or a text line split at `,` `|`
    /// tab `;` `│`; values trimmed.
    pub rows: Vec<Vec<String>>,
    /// A text file's first lines as written.
    pub lines: Vec<String>,
    /// A text file's last line that is not blank.
    pub last: Option<String>,
    /// The encoding a text file was decoded in, when known.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// How many rows or lines a recogniser sees.
pub const PEEK_ROWS: usize = 40;

impl Peek {
    /// The first lines of a decoded text file.
    pub fn of_text(text: &str) -> Peek {
        let lines: Vec<String> = text.lines().take(PEEK_ROWS).map(String::from).collect();
        let rows = lines
            .iter()
            .map(|l| {
                l.split([',', '|', '\t', ';', '│'])
                    .map(|c| c.trim().to_string())
                    .collect()
            })
            .collect();
        let last = text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(String::from);
        Peek {
            text: true,
            rows,
            lines,
            last,
            encoding: None,
        }
    }

    /// Whether widths counted in GBK bytes fit the file as it is written:
    /// it is GBK, or its lines seen are plain ASCII (the same bytes in any
    /// encoding). A UTF-8 copy of a fixed-width GBK file would cut its
    /// columns elsewhere.
    fn gbk_widths_fit(&self) -> bool {
        self.encoding
            .is_some_and(|e| e == GB18030 || e == encoding_rs::GBK)
            || self.lines.iter().all(|l| l.is_ascii())
    }

    /// Non-blank lines, trimmed.
    fn data_lines(&self) -> impl Iterator<Item = &str> {
        self.lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty() && !text::is_rule(l))
    }

    fn first_line(&self) -> Option<&str> {
        self.data_lines().next()
    }

    /// A row whose cells hold every one of `names` (as headers match).
    fn header_with(&self, names: &[&str]) -> Option<&Vec<String>> {
        self.rows.iter().find(|row| {
            let keys: Vec<String> = row.iter().map(|c| header_key(c)).collect();
            names.iter().all(|n| keys.contains(&header_key(n)))
        })
    }

    /// True when a line is drawn with `│`.
    fn box_drawn(&self) -> bool {
        self.lines.iter().any(|l| l.contains('│'))
    }
}

/// A built-in bank layout.
#[derive(Debug)]
pub struct Layout {
    /// Short name for listings: `icbc-txt`.
    pub id: &'static str,
    /// Shown to users: (Chinese, English).
    pub name: (&'static str, &'static str),
    /// How the file is recognised: (Chinese, English).
    pub recognised_by: (&'static str, &'static str),
    /// One line of such a file, as the bank writes it.
    pub sample: &'static str,
    /// The profile that reads it.
    pub profile: Profile,
    fits: fn(&Peek) -> bool,
}

impl Layout {
    pub fn name(&self, lang: Lang) -> &'static str {
        lang.pick(self.name.0, self.name.1)
    }

    pub fn recognised_by(&self, lang: Lang) -> &'static str {
        lang.pick(self.recognised_by.0, self.recognised_by.1)
    }
}

/// What recognition found.
#[derive(Debug)]
pub enum Recognised {
    None,
    One(&'static Layout),
    /// More than one layout fits: which one reads the file is not guessed.
    Ambiguous(Vec<&'static Layout>),
}

/// The layouts that fit `peek`.
pub fn recognise(peek: &Peek) -> Recognised {
    let fit: Vec<&'static Layout> = all().iter().filter(|l| (l.fits)(peek)).collect();
    match fit.len() {
        0 => Recognised::None,
        1 => Recognised::One(fit[0]),
        _ => Recognised::Ambiguous(fit),
    }
}

/// Every built-in layout, in the order they are listed.
pub fn all() -> &'static [Layout] {
    &LAYOUTS
}

fn digits(s: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn words(list: &[&str]) -> Option<Vec<String>> {
    Some(list.iter().map(|w| w.to_string()).collect())
}

fn bank(name: &str) -> Profile {
    Profile {
        name: Some(name.to_string()),
        kind: Some(Kind::Bank),
        ..Profile::default()
    }
}

/// The ICBC text result's widths (GBK bytes): account, name, fen, 备注;
/// the status code and word take the rest.
const ICBC_TXT_WIDTHS: [usize; 4] = [20, 20, 14, 16];

fn icbc_xls(p: &Peek) -> bool {
    p.header_with(&["应处理金额", "实处理金额", "处理标志"])
        .is_some()
}

fn icbc_txt(p: &Peek) -> bool {
    if !p.text
        || !p
            .last
            .as_deref()
            .is_some_and(|l| l.trim_start().starts_with("总笔数"))
    {
        return false;
    }
    let Some(first) = p.first_line() else {
        return false;
    };
    if first.contains(['|', ',', '\t', '│']) || !p.gbk_widths_fit() {
        return false;
    }
    let mut cells = Vec::new();
    text::cut_widths(first, &ICBC_TXT_WIDTHS, GB18030, &mut cells);
    let cell = |i: usize| {
        cells
            .get(i)
            .map_or(String::new(), |c| c.shown().trim().to_string())
    };
    let status = cell(4);
    let code = status.as_bytes();
    digits(&cell(0), 12..=19)
        && digits(&cell(2), 1..=12)
        && code.len() > 4
        && code[..3].iter().all(u8::is_ascii_digit)
        && code[3] == b' '
}

fn icbc_online(p: &Peek) -> bool {
    p.first_line() == Some("[BatchPayDetail]") && p.header_with(&["网上银行状态"]).is_some()
}

fn cgb(p: &Peek) -> bool {
    p.first_line() == Some("#[BatchPayDetail]")
}

fn ccb_header(p: &Peek) -> bool {
    p.header_with(&["币种", "钞汇标志", "处理结果"]).is_some()
}

fn ccb_plain(p: &Peek) -> bool {
    if !p.text {
        return false;
    }
    let Some(first) = p.first_line() else {
        return false;
    };
    let mut f: Vec<&str> = first.split(',').map(str::trim).collect();
    // A trailing comma ends the line.
    if f.len() == 10 && f[9].is_empty() {
        f.pop();
    }
    f.len() == 9
        && digits(f[0], 1..=6)
        && digits(f[1], 12..=19)
        && f[4] == "人民币"
        && matches!(f[5], "钞" | "汇")
}

fn gaps_rt(p: &Peek) -> bool {
    let mut lines = p.data_lines();
    if !p.text || !lines.next().is_some_and(|l| l.starts_with("单位编号")) {
        return false;
    }
    lines.next().is_some_and(|l| {
        let f: Vec<&str> = l.split('|').map(str::trim).collect();
        f.len() >= 7 && digits(f[1], 12..=19) && digits(f[3], 12..=12)
    })
}

/// The header row of a bank core's drawn table: 证件号码 and 处理结果.
fn core_header(p: &Peek) -> Option<&Vec<String>> {
    if !p.text || !p.box_drawn() {
        return None;
    }
    p.header_with(&["证件号码", "户名", "金额", "处理结果"])
}

/// The bank's own title says which file of the pair it is (`代发成功明细`,
/// `代发失败明细`): never guessed from the columns, since a success file
/// read as a failure file pays everyone twice, and the other way round pays
/// nobody's failure.
fn core_title(p: &Peek, word: &str, not: &str) -> bool {
    p.first_line()
        .is_some_and(|l| l.contains("明细") && l.contains(word) && !l.contains(not))
}

fn core_success(p: &Peek) -> bool {
    core_header(p).is_some() && core_title(p, "成功", "失败")
}

fn core_failure(p: &Peek) -> bool {
    core_header(p).is_some() && core_title(p, "失败", "成功")
}

static LAYOUTS: LazyLock<Vec<Layout>> = LazyLock::new(|| {
    vec![
        Layout {
            id: "icbc-xls",
            name: ("工商银行代发回盘（xls）", "ICBC payroll result (xls)"),
            recognised_by: (
                "表头有 应处理金额、实处理金额、处理标志",
                "a header with 应处理金额, 实处理金额 and 处理标志",
            ),
            sample: "张秀兰 | 6228481160003452274 | 330.00 | HP0001 2026-11 | 330.00 | 全部成功",
            profile: bank("工商银行代发回盘（xls）"),
            fits: icbc_xls,
        },
        Layout {
            id: "icbc-txt",
            name: ("工商银行代发回盘（txt）", "ICBC payroll result (txt)"),
            recognised_by: (
                "无表头，按 GBK 字节定宽：账号、户名、金额（分）、备注、代码+结果（001 成功）；末行 总笔数",
                "no header; fixed GBK widths: account, name, fen, reference, code and word (001 成功); last line 总笔数",
            ),
            sample: "6228481160003452274 张秀兰                     33000  HP0001 2026-11  001 成功",
            profile: Profile {
                columns: Some(vec![
                    Some(Field::Account),
                    Some(Field::AccountName),
                    Some(Field::Amount),
                    Some(Field::Reference),
                    Some(Field::Status),
                ]),
                split: Some(Split::Widths(ICBC_TXT_WIDTHS.to_vec())),
                amount_unit: Some(AmountUnit::Fen),
                summary: Some(SummaryLine::Last),
                status_prefix: true,
                success: words(&["001"]),
                failure: words(&["002", "003", "004", "005", "006", "007", "008", "009"]),
                ..bank("工商银行代发回盘（txt）")
            },
            fits: icbc_txt,
        },
        Layout {
            id: "icbc-online",
            name: (
                "工商银行网银批量支付明细",
                "ICBC online banking BatchPayDetail",
            ),
            recognised_by: (
                "首行 [BatchPayDetail]，表头有 网上银行状态",
                "first line [BatchPayDetail], a header with 网上银行状态",
            ),
            sample: "1|6228481160003452274|张秀兰|330.00元|HP0001 2026-11|处理成功||",
            profile: Profile {
                delimiter: Some("|".into()),
                ..bank("工商银行网银批量支付明细")
            },
            fits: icbc_online,
        },
        Layout {
            id: "cgb",
            name: ("广发银行批量支付明细", "CGB BatchPayDetail"),
            recognised_by: (
                "首行 #[BatchPayDetail]；状态 0 = 成功，1 = 失败",
                "first line #[BatchPayDetail]; status 0 = paid, 1 = failed",
            ),
            sample: "6228481160003452274|张秀兰|330.00|0||HP0001 2026-11",
            profile: Profile {
                delimiter: Some("|".into()),
                success: words(&["0"]),
                failure: words(&["1"]),
                ..bank("广发银行批量支付明细")
            },
            fits: cgb,
        },
        Layout {
            id: "ccb",
            name: (
                "建设银行代发回盘（有表头）",
                "CCB payroll result (with header)",
            ),
            recognised_by: (
                "表头有 币种、钞汇标志、处理结果",
                "a header with 币种, 钞汇标志 and 处理结果",
            ),
            sample: "1,6228481160003452274,张秀兰,330.00,人民币,钞,HP0001 2026-11,成功,",
            profile: bank("建设银行代发回盘（有表头）"),
            fits: ccb_header,
        },
        Layout {
            id: "ccb-plain",
            name: (
                "建设银行代发回盘（无表头）",
                "CCB payroll result (no header)",
            ),
            recognised_by: (
                "无表头，每行 9 个逗号分隔的值：序号、账号、户名、金额、人民币、钞/汇、摘要、结果、原因",
                "no header; nine comma-separated values: number, account, name, amount, 人民币, 钞/汇, reference, result, reason",
            ),
            sample: "1,6228481160003452274,张秀兰,330.00,人民币,钞,HP0001 2026-11,成功,",
            profile: Profile {
                delimiter: Some(",".into()),
                columns: Some(vec![
                    None,
                    Some(Field::Account),
                    Some(Field::AccountName),
                    Some(Field::Amount),
                    None,
                    None,
                    Some(Field::Reference),
                    Some(Field::Status),
                    Some(Field::Reason),
                ]),
                ..bank("建设银行代发回盘（无表头）")
            },
            fits: ccb_plain,
        },
        Layout {
            id: "gaps-rt",
            name: ("GAPS 代付回盘（_RT）", "GAPS payment result (_RT)"),
            recognised_by: (
                "首行 单位编号…（汇总：总笔数、总金额），其后无表头的 | 分隔行，金额为 12 位补零的分；状态 1 = 成功，2 = 失败",
                "first line 单位编号… (the summary: 总笔数, 总金额), then headerless | lines with a 12-digit zero-padded amount in fen; status 1 = paid, 2 = failed",
            ),
            sample: "0001|6228481160003452274|张秀兰|000000033000|1||HP0001 2026-11|",
            profile: Profile {
                delimiter: Some("|".into()),
                columns: Some(vec![
                    None,
                    Some(Field::Account),
                    Some(Field::AccountName),
                    Some(Field::Amount),
                    Some(Field::Status),
                    Some(Field::Reason),
                    Some(Field::Reference),
                ]),
                amount_unit: Some(AmountUnit::Fen),
                summary: Some(SummaryLine::First),
                success: words(&["1"]),
                failure: words(&["2"]),
                ..bank("GAPS 代付回盘（_RT）")
            },
            fits: gaps_rt,
        },
        Layout {
            id: "core-success",
            name: ("核心系统代发成功明细", "bank core success file"),
            recognised_by: (
                "首行是“代发成功明细”标题，用 │ 画线的表格，表头有 证件号码、户名、金额、处理结果；成功行的处理结果为空",
                "first line a 代发成功明细 title; a table drawn with │, a header with 证件号码, 户名, 金额 and 处理结果; 处理结果 is empty on paid rows",
            ),
            sample: "│1 │6228481160003452274│张秀兰│330.00│510107195202290012│HP0001 2026-11│        │",
            profile: Profile {
                empty_status: Some(Outcome::Success),
                ..bank("核心系统代发成功明细")
            },
            fits: core_success,
        },
        Layout {
            id: "core-failure",
            name: ("核心系统代发失败明细", "bank core failure file"),
            recognised_by: (
                "首行是“代发失败明细”标题，用 │ 画线的表格，表头有 证件号码、户名、金额、处理结果（失败原因）；按证件号码或备注对应到户",
                "first line a 代发失败明细 title; a table drawn with │, a header with 证件号码, 户名, 金额 and 处理结果 (the reason); rows match by ID or 备注",
            ),
            sample: "│1 │510107195202290012│张秀兰│330.00│HP0001 2026-11│账户已冻结│",
            profile: Profile {
                outcome: Some(Outcome::Failure),
                match_by: vec![Field::IdNumber, Field::Reference],
                aliases: vec![(Field::Reason, "处理结果".to_string())],
                ..bank("核心系统代发失败明细")
            },
            fits: core_failure,
        },
    ]
});

#[cfg(test)]
mod tests {
    use super::*;

    fn fits(text: &str) -> Vec<&'static str> {
        match recognise(&Peek::of_text(text)) {
            Recognised::None => vec![],
            Recognised::One(l) => vec![l.id],
            Recognised::Ambiguous(ls) => ls.iter().map(|l| l.id).collect(),
        }
    }

    #[test]
    fn each_sample_fits_its_layout_only() {
        assert_eq!(
            fits(
                "[BatchPayDetail]\n序号|收款账号|收款单位名称|金额|用途|网上银行状态|银行反馈信息|\n"
            ),
            vec!["icbc-online"]
        );
        assert_eq!(
            fits("#[BatchPayDetail]\n收款账号|收款人名称|金额|状态\n"),
            vec!["cgb"]
        );
        assert_eq!(
            fits("序号,账号,户名,金额,币种,钞汇标志,摘要,处理结果,失败原因\n"),
            vec!["ccb"]
        );
        assert_eq!(fits(&format!("{}\n", all()[5].sample)), vec!["ccb-plain"]);
        assert_eq!(
            fits(&format!(
                "单位编号：3301|总笔数：1|总金额：000000033000|\n{}\n",
                all()[6].sample
            )),
            vec!["gaps-rt"]
        );
        // An ordinary bank file fits none.
        assert!(fits("账号|户名|金额|处理结果\n6228|张三|330.00|成功\n").is_empty());
        // Two layouts' headers in one row: both fit.
        assert_eq!(
            fits("账号,户名,应处理金额,实处理金额,处理标志,币种,钞汇标志,处理结果\n"),
            vec!["icbc-xls", "ccb"]
        );
    }
}
