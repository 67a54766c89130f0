//! Output directories written all at once: files go into a temporary
//! directory beside the target, which is renamed into place only when
//! everything was written. A failed run leaves nothing half-written, and an
//! existing non-empty directory is replaced only with `--force`.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// A directory being written.
pub struct Staging {
    temp: tempfile::TempDir,
    target: PathBuf,
    force: bool,
}

impl Staging {
    /// Checks `target` may be written and makes the temporary directory.
    ///
    /// # Errors
    /// [`Error::Usage`] when `target` exists, is not empty and `force` is
    /// off, or is a file; [`Error::Io`] when the parent cannot be written.
    pub fn new(target: &Path, force: bool) -> Result<Staging, Error> {
        // Replacing the directory one stands in (or one above it) would
        // take everything in it.
        if let (Ok(t), Ok(cwd)) = (
            target.canonicalize(),
            std::env::current_dir().and_then(|d| d.canonicalize()),
        ) && cwd.starts_with(&t)
        {
            return Err(Error::Usage(format!(
                "{} is the current directory or holds it; choose an output directory of its own",
                target.display()
            )));
        }
        if target.exists() {
            if !target.is_dir() {
                return Err(Error::Usage(format!(
                    "{} exists and is not a directory",
                    target.display()
                )));
            }
            let non_empty = std::fs::read_dir(target)
                .map_err(|e| Error::io(target, e))?
                .next()
                .is_some();
            if non_empty && !force {
                return Err(Error::Usage(format!(
                    "{} is not empty; choose another --out or add --force to replace it",
                    target.display()
                )));
            }
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let temp = tempfile::Builder::new()
            .prefix(".dibao-tmp-")
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, e))?;
        Ok(Staging {
            temp,
            target: target.to_path_buf(),
            force,
        })
    }

    /// Refuses an output directory that holds one of the inputs: `--force`
    /// would delete it.
    ///
    /// # Errors
    /// [`Error::Usage`] naming the input.
    pub fn guard_inputs(&self, inputs: &[&Path]) -> Result<(), Error> {
        let Ok(target) = self.target.canonicalize() else {
            return Ok(()); // it does not exist yet: it holds nothing
        };
        for input in inputs {
            if input.canonicalize().is_ok_and(|p| p.starts_with(&target)) {
                return Err(Error::Usage(format!(
                    "{} is inside the output directory {}, which would be replaced; write the output elsewhere",
                    input.display(),
                    self.target.display()
                )));
            }
        }
        Ok(())
    }

    /// Where to write the files.
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// The final directory.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the written directory into place.
    ///
    /// # Errors
    /// [`Error::Io`] when the old directory cannot be removed or the rename fails.
    pub fn commit(self) -> Result<PathBuf, Error> {
        let target = self.target.clone();
        if target.exists() {
            if !self.force
                && std::fs::read_dir(&target)
                    .map_err(|e| Error::io(&target, e))?
                    .next()
                    .is_some()
            {
                return Err(Error::Usage(format!("{} is not empty", target.display())));
            }
            std::fs::remove_dir_all(&target).map_err(|e| Error::io(&target, e))?;
        }
        let temp = self.temp.keep();
        std::fs::rename(&temp, &target).map_err(|e| Error::io(&target, e))?;
        Ok(target)
    }
}
