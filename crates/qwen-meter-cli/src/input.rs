//! Reading one whole text (for `encode`, `tokens`, `truncate`, `decode`, `chat`, `plan`):
//! from an argument, a file, or standard input, with UTF-8 errors that name the byte offset.

use std::io::Read;
use std::path::Path;

use crate::cli::TextInput;
use crate::error::{CliError, CliResult};

/// Reads all of `path` (`-` is standard input) as bytes; errors name the path.
pub fn read_bytes(path: &Path) -> CliResult<Vec<u8>> {
    let mut buf = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| CliError::input(format!("standard input: {e}")))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| io_error(path, &e))
}

/// An input error for `path`.
pub fn io_error(path: &Path, e: &std::io::Error) -> CliError {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => e.to_string(),
    };
    CliError::input(format!("{}: {reason}", path.display()))
}

/// Bytes to text: lossy with `Some(true)`, else strict (an error naming `name` and the byte
/// offset). `None` means the command has no `--lossy`, so the error does not suggest it.
pub fn to_text(bytes: Vec<u8>, name: &str, lossy: Option<bool>) -> CliResult<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy == Some(true) => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => {
            let err = CliError::input(format!(
                "{name}: invalid UTF-8 at byte offset {}",
                e.utf8_error().valid_up_to()
            ));
            Err(match lossy {
                Some(_) => err.hint("use --lossy to replace invalid bytes with U+FFFD"),
                None => err.hint("the file must be UTF-8 text"),
            })
        }
    }
}

/// Reads a UTF-8 file (`-` is standard input) whole; `lossy` as in [`to_text`].
pub fn read_text_file(path: &Path, lossy: Option<bool>) -> CliResult<String> {
    let bytes = read_bytes(path)?;
    to_text(bytes, &display_name(path), lossy)
}

/// The name of a path in messages: `standard input` for `-`.
pub fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// The text of a [`TextInput`]: the argument, else `--file`, else standard input.
pub fn read_text(input: &TextInput) -> CliResult<String> {
    if let Some(t) = &input.text {
        return Ok(t.clone());
    }
    let path = input.file.as_deref().unwrap_or(Path::new("-"));
    read_text_file(path, Some(input.lossy))
}
