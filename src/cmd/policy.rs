//! `dibao policy show`: the policy in force, as TOML that reads back.

use std::path::Path;

use crate::error::Error;
use crate::issue::Lang;
use crate::model::policy::{self, Policy};

/// The policy from `file` over the default (or the default alone), written
/// out key by key with a comment saying where it came from.
///
/// # Errors
/// As [`policy::load`].
pub fn show(file: Option<&Path>, lang: Lang) -> Result<String, Error> {
    let (policy, origin) = match file {
        Some(path) => (policy::load(path)?, path.display().to_string()),
        None => (Policy::default(), String::new()),
    };
    let comment = match (origin.is_empty(), lang) {
        (true, Lang::Zh) => "# 现行政策：内置默认（源社区标准）".to_string(),
        (true, Lang::En) => {
            "# Policy in force: the built-in default (the source community's)".to_string()
        }
        (false, Lang::Zh) => format!("# 现行政策：{origin}（未写的项取内置默认）"),
        (false, Lang::En) => {
            format!("# Policy in force: {origin} (keys it omits from the built-in default)")
        }
    };
    Ok(format!("{comment}\n{}", policy.to_toml()))
}
