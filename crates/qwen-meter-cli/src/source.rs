//! Turning command-line paths into the list of inputs to count.
//!
//! A path may be a file, a directory or `-` for standard input. Directories are walked
//! recursively in name order the way ripgrep walks them (with the `ignore` crate):
//! `.gitignore`, `.ignore` and `.git/info/exclude` rules are respected unless `--no-ignore`,
//! hidden entries are skipped unless `--hidden`, binary files (a NUL byte in their first
//! 8 KiB) are skipped, and `--include` / `--exclude` globs are matched against the path
//! relative to that directory. What was skipped for being hidden or binary is tallied for a
//! summary line. Explicitly named files are always counted, whatever the rules. Problems (a
//! missing path, a directory that cannot be read, a link loop) become [`Source::Failed`]
//! entries so that the other inputs are still counted.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{CliError, CliResult};

/// One input to count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (`-`, or no path at all).
    Stdin,
    /// Text given on the command line (`--text`).
    Text(String),
    /// A path that could not be used: its display name and the reason.
    Failed {
        /// The path as given or found.
        path: String,
        /// The error kind, as in the JSON schema (`not_found`, `permission_denied`, `io`).
        kind: &'static str,
        /// A human-readable reason.
        message: String,
    },
}

impl Source {
    /// The name shown in tables and JSON: the path, `-` for stdin, `<text>` for `--text`.
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "-".to_string(),
            Source::Text(_) => "<text>".to_string(),
            Source::Failed { path, .. } => path.clone(),
        }
    }
}

/// Glob filters for files found in directories.
#[derive(Debug, Clone)]
pub struct Filters {
    include: Option<GlobSet>,
    exclude: GlobSet,
    hidden: bool,
    /// Respect `.gitignore` / `.ignore` files (not with `--no-ignore`).
    ignore_files: bool,
}

fn build(globs: &[String], flag: &str) -> CliResult<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob = Glob::new(g)
            .map_err(|e| CliError::usage(format!("invalid {flag} pattern '{g}': {}", e.kind())))?;
        b.add(glob);
    }
    b.build()
        .map_err(|e| CliError::usage(format!("invalid {flag} pattern: {e}")))
}

impl Filters {
    /// Filters from `--include`, `--exclude`, `--hidden` and (`ignore_files` false)
    /// `--no-ignore`; a bad pattern is a usage error.
    pub fn new(
        include: &[String],
        exclude: &[String],
        hidden: bool,
        ignore_files: bool,
    ) -> CliResult<Filters> {
        Ok(Filters {
            include: if include.is_empty() {
                None
            } else {
                Some(build(include, "--include")?)
            },
            exclude: build(exclude, "--exclude")?,
            hidden,
            ignore_files,
        })
    }

    /// Whether `rel` (a file or a directory, relative to the walked directory) matches an
    /// `--exclude` pattern, by its whole relative path or by its name.
    pub fn excludes(&self, rel: &Path) -> bool {
        self.exclude.is_match(rel) || rel.file_name().is_some_and(|n| self.exclude.is_match(n))
    }

    /// Whether a file at `rel` (relative to the walked directory) is counted.
    pub fn accepts(&self, rel: &Path) -> bool {
        if self.excludes(rel) {
            return false;
        }
        match &self.include {
            Some(inc) => inc.is_match(rel) || rel.file_name().is_some_and(|n| inc.is_match(n)),
            None => true,
        }
    }
}

fn io_kind(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "not_found",
        std::io::ErrorKind::PermissionDenied => "permission_denied",
        _ => "io",
    }
}

/// A failed source for `path` from an I/O error.
pub fn failed(path: &Path, e: &std::io::Error) -> Source {
    let message = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    Source::Failed {
        path: path.display().to_string(),
        kind: io_kind(e),
        message,
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|s| s.starts_with('.') && s != "." && s != "..")
}

/// Entries that directory walks left out, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// Hidden files and directories (each directory counts once, not its contents).
    pub hidden: u64,
    /// Binary files.
    pub binary: u64,
}

impl Skipped {
    /// The summary line for stderr, if anything was skipped.
    pub fn summary(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.binary > 0 {
            parts.push(format!(
                "{} binary file{}",
                self.binary,
                plural(self.binary)
            ));
        }
        if self.hidden > 0 {
            parts.push(format!(
                "{} hidden entr{} (--hidden counts them)",
                self.hidden,
                if self.hidden == 1 { "y" } else { "ies" }
            ));
        }
        (!parts.is_empty()).then(|| format!("qwen-meter: skipped {}", parts.join(" and ")))
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Whether the file looks binary the way ripgrep and git decide it: a NUL byte in its first
/// 8 KiB. A file that cannot be read is not binary here (reading it reports the error).
fn is_binary(path: &Path) -> bool {
    use std::io::Read;
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(8192);
    f.take(8192).read_to_end(&mut head).is_ok() && head.contains(&0)
}

/// Expands the command-line paths into sources, in order; no paths means standard input.
pub fn expand(paths: &[PathBuf], filters: &Filters, skipped: &mut Skipped) -> Vec<Source> {
    if paths.is_empty() {
        return vec![Source::Stdin];
    }
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Source::Stdin);
            continue;
        }
        match std::fs::metadata(p) {
            Err(e) => out.push(failed(p, &e)),
            Ok(m) if m.is_dir() => walk(p, filters, &mut out, skipped),
            Ok(_) => out.push(Source::File(p.clone())),
        }
    }
    out
}

/// The path an error of the walk is about, and its I/O error if it has one.
fn walk_error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::Partial(errs) => errs.iter().find_map(walk_error_path),
        _ => None,
    }
}

fn walk(root: &Path, filters: &Filters, out: &mut Vec<Source>, skipped: &mut Skipped) {
    let hidden = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let (count_hidden, exclude, show_hidden) = (
        std::sync::Arc::clone(&hidden),
        filters.exclude.clone(),
        filters.hidden,
    );
    let base = root.to_path_buf();
    let it = ignore::WalkBuilder::new(root)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b))
        // Hidden entries are left out below, where they can be tallied.
        .hidden(false)
        .parents(filters.ignore_files)
        .ignore(filters.ignore_files)
        .git_ignore(filters.ignore_files)
        .git_exclude(filters.ignore_files)
        // A user's global git excludes would make counts depend on the machine.
        .git_global(false)
        // `.gitignore` applies outside a git checkout too (an exported source tree).
        .require_git(false)
        .filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            if !show_hidden && is_hidden(e.file_name()) {
                count_hidden.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return false;
            }
            let rel = e.path().strip_prefix(&base).unwrap_or(e.path());
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(is_dir
                && (exclude.is_match(rel) || rel.file_name().is_some_and(|n| exclude.is_match(n))))
        })
        .build();
    for entry in it {
        match entry {
            Ok(e) => {
                if !e.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                if !filters.accepts(rel) {
                    continue;
                }
                if is_binary(e.path()) {
                    skipped.binary += 1;
                    continue;
                }
                out.push(Source::File(e.into_path()));
            }
            Err(err) => {
                let path = walk_error_path(&err).unwrap_or(root).to_path_buf();
                let (kind, message) = match err.io_error() {
                    Some(io) if io.kind() == std::io::ErrorKind::PermissionDenied => (
                        "permission_denied",
                        "permission denied (directory cannot be read)".to_string(),
                    ),
                    Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
                        ("not_found", "no such file or directory".to_string())
                    }
                    Some(io) => (io_kind(io), io.to_string()),
                    None if matches!(err, ignore::Error::Loop { .. }) => (
                        "io",
                        "file system loop: a link points back to a directory above it".to_string(),
                    ),
                    None => ("io", err.to_string()),
                };
                out.push(Source::Failed {
                    path: path.display().to_string(),
                    kind,
                    message,
                });
            }
        }
    }
    skipped.hidden += hidden.load(std::sync::atomic::Ordering::Relaxed);
}
