//! `dibao demo [DIR]` (SPEC §4): writes the built-in demo workspace and runs
//! its cycle. The community is 幸福街道和平社区 of `fixtures/demo/` (36
//! households, 61 persons); its files are embedded in the binary: the
//! roster, November's and December's bank results and check-ins, and the
//! roster as updated before December (HP0007's closed account replaced).
//! Three `dibao run`s follow: 2026-11 (the first payroll), 2026-12
//! (reconcile November, pay December) and 2027-01 (reconcile December, pay
//! January).
//!
//! Invariants: the demo never writes into a folder that holds anything (a
//! given DIR must be new or empty; without DIR a new `dibao-demo`,
//! `dibao-demo-2`, … is made under the current folder); what it prints of
//! each month is what `dibao run` prints; the guide at the end describes
//! the embedded inputs only, never results (those are in the workbooks).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cmd::workspace::{self, RunOptions, TEMPLATE};
use crate::error::Error;
use crate::issue::Lang;
use crate::model::date::Month;

/// The embedded files, by their path in the workspace.
const FILES: [(&str, &[u8]); 5] = [
    (
        "roster.xlsx",
        include_bytes!("../../fixtures/demo/roster.xlsx"),
    ),
    (
        "inputs/2026-11/bank/bank_2026-11.xlsx",
        include_bytes!("../../fixtures/demo/bank_2026-11.xlsx"),
    ),
    (
        "inputs/2026-11/checkins/checkins_2026-11.xlsx",
        include_bytes!("../../fixtures/demo/checkins_2026-11.xlsx"),
    ),
    (
        "inputs/2026-12/bank/bank_2026-12.txt",
        include_bytes!("../../fixtures/demo/bank_2026-12.txt"),
    ),
    (
        "inputs/2026-12/checkins/checkins_2026-12.csv",
        include_bytes!("../../fixtures/demo/checkins_2026-12.csv"),
    ),
];

/// The roster as the officer updates it before December's run: HP0007's
/// account was closed in November and replaced by a new one.
const ROSTER_DECEMBER: &[u8] = include_bytes!("../../fixtures/demo/roster_2026-12.xlsx");

/// The months the demo runs, in order, each with the roster to put in
/// place before it when the officer has updated it.
const MONTHS: [(i32, u32, Option<&[u8]>); 3] = [
    (2026, 11, None),
    (2026, 12, Some(ROSTER_DECEMBER)),
    (2027, 1, None),
];

/// The demo's 制表单位.
const UNIT: &str = "和平社区居委会";

/// What to do.
pub struct DemoOptions {
    /// The folder to write; `None` makes a new one under the current folder.
    pub dir: Option<PathBuf>,
    pub lang: Lang,
    pub quiet: bool,
    pub args: Vec<String>,
}

/// How the demo ended.
pub struct DemoOutcome {
    /// False when a step stopped on input problems (never with the
    /// embedded data).
    pub finished: bool,
}

/// The folder to write: `dir` when it is new or empty, else a new
/// `dibao-demo`, `dibao-demo-2`, … under the current folder.
fn choose(dir: Option<&Path>, lang: Lang) -> Result<PathBuf, Error> {
    if let Some(dir) = dir {
        if dir.exists() {
            if !dir.is_dir() {
                return Err(Error::Usage(lang.pick(
                    format!(
                        "{} 是一个文件，不是文件夹：请给一个新的或空的文件夹",
                        dir.display()
                    ),
                    format!(
                        "{} is a file, not a folder: name a new or empty folder",
                        dir.display()
                    ),
                )));
            }
            let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
            if entries.next().is_some() {
                return Err(Error::Usage(lang.pick(
                    format!(
                        "{} 里已有文件：演示会写一个新的工作区，请给一个新的或空的文件夹，\
                         或不给 DIR，在当前文件夹新建 dibao-demo",
                        dir.display()
                    ),
                    format!(
                        "{} is not empty: the demo writes a new workspace; name a new or empty \
                         folder, or leave DIR out to get a new dibao-demo folder here",
                        dir.display()
                    ),
                )));
            }
        }
        return Ok(dir.to_path_buf());
    }
    (1..=1000)
        .map(|n| match n {
            1 => PathBuf::from("dibao-demo"),
            n => PathBuf::from(format!("dibao-demo-{n}")),
        })
        .find(|p| !p.exists())
        .ok_or_else(|| {
            Error::Usage(lang.pick(
                "dibao-demo 到 dibao-demo-1000 都已存在：请给一个 DIR".into(),
                "dibao-demo … dibao-demo-1000 all exist here: name a DIR".into(),
            ))
        })
}

/// The demo's `dibao.toml`: the template with the demo's unit and
/// language.
fn config(lang: Lang) -> String {
    let head = "# The dibao demo workspace (written by `dibao demo`): 幸福街道和平社区,\n\
                # 36 households, 61 persons, bank results and check-ins of 2026-11 and 2026-12.\n\
                #\n";
    let lang_line = match lang {
        Lang::Zh => "lang = \"zh\"",
        Lang::En => "lang = \"en\"",
    };
    format!(
        "{head}{}",
        TEMPLATE
            .replacen("unit = \"\"", &format!("unit = \"{UNIT}\""), 1)
            .replacen("# lang = \"zh\"", lang_line, 1)
    )
}

/// Writes the workspace into `dir`.
fn write(dir: &Path, lang: Lang) -> Result<(), Error> {
    std::fs::create_dir_all(dir.join("out")).map_err(|e| Error::io(dir, e))?;
    let toml = dir.join("dibao.toml");
    std::fs::write(&toml, config(lang)).map_err(|e| Error::io(&toml, e))?;
    for (name, bytes) in FILES {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// Writes the demo workspace and runs its three months, printing what each
/// `dibao run` prints and, at the end, what the embedded data holds and
/// where to look.
///
/// # Errors
/// [`Error::Usage`] when DIR is not empty; I/O errors; the steps' errors.
pub fn run(opts: &DemoOptions, out: &mut dyn Write) -> Result<DemoOutcome, Error> {
    let dir = choose(opts.dir.as_deref(), opts.lang)?;
    let lang = opts.lang;
    write(&dir, lang)?;
    // The banner, the commands and the guide are summaries: not with --quiet.
    let say = |out: &mut dyn Write, line: &str| {
        if opts.quiet {
            return Ok(());
        }
        writeln!(out, "{line}").map_err(|e| Error::io("<stdout>", e))
    };
    say(
        out,
        &lang.pick(
            format!("演示工作区：{}（和平社区 36 户 61 人）", dir.display()),
            format!(
                "demo workspace: {} (和平社区, 36 households, 61 persons)",
                dir.display()
            ),
        ),
    )?;
    for (year, month, updated_roster) in MONTHS {
        let month = Month::new(year, month)
            .ok_or_else(|| Error::Usage(format!("{year}-{month} is not a month")))?;
        say(out, "")?;
        if let Some(bytes) = updated_roster {
            let roster = dir.join("roster.xlsx");
            std::fs::write(&roster, bytes).map_err(|e| Error::io(&roster, e))?;
            say(
                out,
                &lang.pick(
                    format!(
                        "（12月发放前，花名册 {} 已更新：HP0007 的账户销户后换了新账号）",
                        roster.display()
                    ),
                    format!(
                        "(before December's run the roster {} is updated: HP0007's closed account \
                         is replaced by its new one)",
                        roster.display()
                    ),
                ),
            )?;
        }
        say(
            out,
            &format!("$ dibao run --workspace {} --month {month}", dir.display()),
        )?;
        let outcome = workspace::run(
            &RunOptions {
                workspace: dir.clone(),
                month,
                force: false,
                lang: Some(lang),
                quiet: opts.quiet,
                args: opts.args.clone(),
            },
            out,
        )?;
        if !outcome.finished {
            return Ok(DemoOutcome { finished: false });
        }
    }
    say(out, "")?;
    for line in guide(&dir, lang) {
        say(out, &line)?;
    }
    Ok(DemoOutcome { finished: true })
}

/// What the embedded inputs hold and where the results show.
fn guide(dir: &Path, lang: Lang) -> Vec<String> {
    let d = dir.display();
    match lang {
        Lang::Zh => vec![
            "演示数据里有：".into(),
            "  11月回盘：HP0007 卡或账号已销户（12月前换了新账号）；HP0012 户名写成“孙丽花”（花名册为孙丽华）；HP0019 付了两次".into(),
            "  11月签到：HP0009 未签到；HP0014 11月30日逾期签到；HP0035、HP0036 上门服务；HP0021 报告家庭变化；HP0025 请假（住院）".into(),
            "  12月回盘：HP0026 账户已冻结（1月前已解冻）".into(),
            "  12月签到：HP0009 补上签到；HP0023 未签到；HP0004 报告家庭变化".into(),
            "请打开：".into(),
            format!("  {d}/out/2026-11/reconcile/对账报告_2026-11.xlsx —— 11月的异常、签到和处理建议"),
            format!("  {d}/out/2026-12/payroll/发放花名册_2026-12.xlsx —— 12月的补发、暂停和追回"),
            format!("  {d}/out/2027-01/payroll/发放花名册_2027-01.xlsx —— 1月：补发一次、恢复发放"),
            format!("逐户历史：dibao history --workspace {d} --household HP0009"),
        ],
        Lang::En => vec![
            "The demo data holds:".into(),
            "  November bank results: HP0007's account is closed (a new one by December); HP0012's name comes back as 孙丽花 (roster: 孙丽华); HP0019 is paid twice".into(),
            "  November check-ins: HP0009 misses its stamp; HP0014 stamps late (30 November); HP0035 and HP0036 are home visits; HP0021 reports a family change; HP0025 is excused (in hospital)".into(),
            "  December bank results: HP0026's account is frozen (unfrozen by January)".into(),
            "  December check-ins: HP0009 checks in again; HP0023 misses its stamp; HP0004 reports a family change".into(),
            "Open:".into(),
            format!("  {d}/out/2026-11/reconcile/对账报告_2026-11.xlsx — November's exceptions, check-ins and actions"),
            format!("  {d}/out/2026-12/payroll/发放花名册_2026-12.xlsx — December's re-issues, holds and recoveries"),
            format!("  {d}/out/2027-01/payroll/发放花名册_2027-01.xlsx — January: re-issued once, paid again"),
            format!("Each household's months: dibao history --workspace {d} --household HP0009"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_config_is_a_workspace_config_with_its_unit_and_language() {
        let zh = config(Lang::Zh);
        assert!(zh.contains("unit = \"和平社区居委会\""));
        assert!(zh.contains("\nlang = \"zh\""));
        let en = config(Lang::En);
        assert!(en.contains("\nlang = \"en\""));
        assert!(toml::from_str::<toml::Table>(&en).is_ok());
    }
}
