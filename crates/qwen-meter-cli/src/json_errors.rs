//! JSON input errors in the user's words: serde's messages name Rust types and enum variants
//! (`untagged enum Content`, `expected u64`); these helpers say what was found, what shape is
//! accepted there, and where (line and column), for `chat` and `plan` inputs.

/// Rewrites a serde_json message in plain words: JSON type names instead of Rust ones, and
/// the position as `(line L, column C)`.
pub fn plain(message: &str) -> String {
    let (body, at) = match message.rfind(" at line ") {
        Some(i) => {
            let pos = message[i + 9..].replacen(" column ", ", column ", 1);
            (&message[..i], format!(" (line {pos})"))
        }
        None => (message, String::new()),
    };
    let body = if body.starts_with("data did not match any variant of untagged enum") {
        "this value has none of the accepted shapes".to_string()
    } else if let Some(rest) = body.strip_prefix("invalid type: ") {
        match rest.split_once(", expected ") {
            Some((found, expected)) => {
                format!(
                    "found {}, expected {}",
                    json_kind(found),
                    json_kind(expected)
                )
            }
            None => format!("found {}", json_kind(rest)),
        }
    } else {
        body.replace('`', "\"")
    };
    format!("{body}{at}")
}

/// A serde type description as a JSON kind: `map` is an object, `u64` a whole number...
fn json_kind(what: &str) -> String {
    let what = what.trim();
    let word = |w: &str| what == w || what.starts_with(&format!("{w} "));
    if word("map") || what.starts_with("struct ") {
        return match what.strip_prefix("struct ") {
            Some(name) => format!("a {} object", name.to_lowercase()),
            None => "an object".into(),
        };
    }
    if what.contains("enum ") {
        return "one of the accepted shapes".into();
    }
    if word("sequence") || what.starts_with("a sequence") {
        return "an array".into();
    }
    if let Some(v) = what.strip_prefix("integer ") {
        return format!("the number {}", v.trim_matches('`'));
    }
    if let Some(v) = what.strip_prefix("floating point ") {
        return format!("the number {}", v.trim_matches('`'));
    }
    if let Some(v) = what.strip_prefix("string ") {
        return format!("the string {v}");
    }
    if let Some(v) = what.strip_prefix("boolean ") {
        return v.trim_matches('`').to_string();
    }
    match what {
        "unit value" | "null" => "null".into(),
        "u64" | "u32" | "usize" | "i64" => "a whole number".into(),
        "a string" | "string" => "a string".into(),
        "a boolean" | "bool" => "true or false".into(),
        other => other.replace('`', "\""),
    }
}

/// The shapes a chat request accepts at `path` (`messages[2].content`), for a hint line.
pub fn chat_shape(path: &str) -> Option<&'static str> {
    let last = path.rsplit('.').next().unwrap_or(path);
    if last.starts_with("content") {
        Some(
            "content is a string, null, or an array of parts like {\"type\": \"text\", \"text\": \"...\"}",
        )
    } else if last.starts_with("messages[") {
        Some("a message is an object like {\"role\": \"user\", \"content\": \"...\"}")
    } else if last == "messages" || path == "." {
        Some(
            "the file is an array of messages, or an object with \"messages\" (and optionally \"tools\")",
        )
    } else if last.starts_with("tool_calls") {
        Some(
            "tool_calls is an array of {\"type\": \"function\", \"function\": {\"name\": ..., \"arguments\": ...}}",
        )
    } else if last.starts_with("tools") {
        Some("tools is an array of tool schemas (objects)")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_words_become_json_words() {
        assert_eq!(
            plain("data did not match any variant of untagged enum Content at line 1 column 28"),
            "this value has none of the accepted shapes (line 1, column 28)"
        );
        assert_eq!(
            plain("invalid type: integer `3`, expected struct Message at line 1 column 19"),
            "found the number 3, expected a message object (line 1, column 19)"
        );
        assert_eq!(
            plain("invalid type: map, expected a sequence at line 1 column 13"),
            "found an object, expected an array (line 1, column 13)"
        );
        assert_eq!(
            plain("invalid type: string \"5\", expected u64"),
            "found the string \"5\", expected a whole number"
        );
        for m in ["untagged enum Content", "struct Message", "u64", "sequence"] {
            assert!(!plain(&format!("invalid type: map, expected {m}")).contains(m));
        }
    }
}
