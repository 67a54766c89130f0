//! `dibao layouts`: the bank result layouts dibao recognises by itself.
//!
//! For each: its name, what in the file's shape recognises it, and one line
//! as the bank writes it. A file that fits none is read by its header (or
//! by a profile's `columns`); a file that fits two is refused and needs a
//! profile. Nothing is read or written.

use crate::ingest::layouts;
use crate::issue::Lang;

/// The listing, one block per layout.
pub fn show(lang: Lang) -> String {
    let mut out = String::new();
    for layout in layouts::all() {
        out.push_str(&format!("{}  {}\n", layout.id, layout.name(lang)));
        out.push_str(&format!(
            "  {}{}\n",
            lang.pick("识别：", "recognised by: "),
            layout.recognised_by(lang)
        ));
        out.push_str(&format!(
            "  {}{}\n\n",
            lang.pick("样例：", "sample: "),
            layout.sample
        ));
    }
    out.push_str(lang.pick(
        "自己的映射文件（--mapping）或 dibao.toml 的 [[bank_profiles]] 优先于内置格式；同时符合两种内置格式的文件不读，需写映射。\n",
        "A mapping file (--mapping) or dibao.toml's [[bank_profiles]] comes before the built-in layouts; a file that fits two of them is not read until a profile says how.\n",
    ));
    out
}
