//! Turning command-line paths into the list of inputs to count.
//!
//! A path may be a file, a directory (walked recursively in name order, filtered with
//! `--include` / `--exclude` globs matched against the path relative to that directory, hidden
//! entries skipped unless `--hidden`) or `-` for standard input. Explicitly named files are
//! always counted, whatever the globs. Problems (a missing path, a directory that cannot be
//! read) become [`Source::Failed`] entries so that the other inputs are still counted.

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
    /// Filters from `--include`, `--exclude` and `--hidden`; a bad pattern is a usage error.
    pub fn new(include: &[String], exclude: &[String], hidden: bool) -> CliResult<Filters> {
        Ok(Filters {
            include: if include.is_empty() {
                None
            } else {
                Some(build(include, "--include")?)
            },
            exclude: build(exclude, "--exclude")?,
            hidden,
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

/// Expands the command-line paths into sources, in order; no paths means standard input.
pub fn expand(paths: &[PathBuf], filters: &Filters) -> Vec<Source> {
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
            Ok(m) if m.is_dir() => walk(p, filters, &mut out),
            Ok(_) => out.push(Source::File(p.clone())),
        }
    }
    out
}

fn walk(root: &Path, filters: &Filters, out: &mut Vec<Source>) {
    let hidden = filters.hidden;
    let it = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if !hidden && is_hidden(e.file_name()) {
                return false;
            }
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            !(e.file_type().is_dir() && filters.excludes(rel))
        });
    for entry in it {
        match entry {
            Ok(e) => {
                if !e.file_type().is_file() {
                    continue;
                }
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                if filters.accepts(rel) {
                    out.push(Source::File(e.into_path()));
                }
            }
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                let (kind, message) = match err.io_error() {
                    Some(io) if io.kind() == std::io::ErrorKind::PermissionDenied => (
                        "permission_denied",
                        "permission denied (directory cannot be read)".to_string(),
                    ),
                    Some(io) => (io_kind(io), io.to_string()),
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
}
