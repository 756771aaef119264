//! Python `str` methods for templates (`content.split('</think>')`, `.strip('\n')`, ...).
//!
//! Jinja2 templates call Python methods on strings. MiniJinja's `pycompat` callback covers
//! most of them; the ones the Qwen templates rely on for what the model sees are implemented
//! here with exact Python semantics: `strip`/`lstrip`/`rstrip` and `split` without arguments
//! use Python's whitespace set (which, unlike Rust's, includes U+001C..U+001F), and
//! `split('')` is an error as in Python rather than a split between every character.
//! The `trim` and `string` filters (used by the Qwen3.5 template) are Python's too: `trim`
//! is `str.strip` and `string` is `str()`, so `True`, `None` and `1e+21` are spelled as the
//! model sees them, not as MiniJinja would print them (`true`, `none`).

use minijinja::value::{Kwargs, ValueKind, from_args};
use minijinja::{Error, ErrorKind, State, Value};

use super::pyjson::py_float_repr;

/// Unknown-method callback: Python string methods, falling back to MiniJinja's pycompat.
pub(crate) fn call_method(
    state: &mut State,
    value: &Value,
    method: &str,
    args: &[Value],
) -> Result<Value, Error> {
    if let Some(s) = value.as_str() {
        match method {
            "strip" | "lstrip" | "rstrip" => {
                let (chars,): (Option<Value>,) = from_args(args)?;
                let chars = chars.filter(|c| !c.is_none() && !c.is_undefined());
                let set: Option<Vec<char>> = match &chars {
                    Some(c) => Some(
                        c.as_str()
                            .ok_or_else(|| {
                                Error::new(
                                    ErrorKind::InvalidOperation,
                                    format!("{method} arg must be None or str"),
                                )
                            })?
                            .chars()
                            .collect(),
                    ),
                    None => None,
                };
                let strip = |c: char| match &set {
                    Some(set) => set.contains(&c),
                    None => is_py_space(c),
                };
                let out = match method {
                    "strip" => s.trim_matches(strip),
                    "lstrip" => s.trim_start_matches(strip),
                    _ => s.trim_end_matches(strip),
                };
                return Ok(Value::from(out));
            }
            "split" => {
                let (sep, maxsplit, kwargs): (Option<Value>, Option<i64>, Kwargs) =
                    from_args(args)?;
                let sep = match (sep, kwargs.get::<Option<Value>>("sep")?) {
                    (Some(v), None) | (None, Some(v)) => Some(v),
                    (None, None) => None,
                    (Some(_), Some(_)) => {
                        return Err(Error::new(
                            ErrorKind::TooManyArguments,
                            "split() got multiple values for argument 'sep'",
                        ));
                    }
                };
                let maxsplit = match (maxsplit, kwargs.get::<Option<i64>>("maxsplit")?) {
                    (Some(n), None) | (None, Some(n)) => n,
                    (None, None) => -1,
                    (Some(_), Some(_)) => {
                        return Err(Error::new(
                            ErrorKind::TooManyArguments,
                            "split() got multiple values for argument 'maxsplit'",
                        ));
                    }
                };
                kwargs.assert_all_used()?;
                let maxsplit = usize::try_from(maxsplit).ok();
                let sep = sep.filter(|v| !v.is_none() && !v.is_undefined());
                let parts: Vec<&str> = match sep {
                    None => split_whitespace(s, maxsplit),
                    Some(sep) => {
                        let sep = sep.as_str().ok_or_else(|| {
                            Error::new(ErrorKind::InvalidOperation, "must be str or None")
                        })?;
                        if sep.is_empty() {
                            return Err(Error::new(ErrorKind::InvalidOperation, "empty separator"));
                        }
                        match maxsplit {
                            Some(n) => s.splitn(n.saturating_add(1), sep).collect(),
                            None => s.split(sep).collect(),
                        }
                    }
                };
                return Ok(Value::from_iter(parts.into_iter().map(Value::from)));
            }
            _ => {}
        }
    }
    minijinja_contrib::pycompat::unknown_method_callback(state, value, method, args)
}

/// Jinja2's `trim` filter: `str(value).strip(chars)`, with Python's whitespace set.
pub(crate) fn trim(value: &Value, chars: Option<Value>) -> Result<Value, Error> {
    let text = match value.as_str() {
        Some(s) => s.to_owned(),
        None => python_str(value)?,
    };
    let set: Option<Vec<char>> = match chars.filter(|c| !c.is_none() && !c.is_undefined()) {
        Some(c) => Some(
            c.as_str()
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::InvalidOperation,
                        "trim chars must be None or str",
                    )
                })?
                .chars()
                .collect(),
        ),
        None => None,
    };
    let trimmed = text.trim_matches(|c: char| match &set {
        Some(set) => set.contains(&c),
        None => is_py_space(c),
    });
    Ok(Value::from(trimmed))
}

/// Jinja2's `string` filter: Python's `str(value)`.
pub(crate) fn string(value: &Value) -> Result<Value, Error> {
    match value.as_str() {
        Some(_) => Ok(value.clone()),
        None => python_str(value).map(Value::from),
    }
}

/// `str(value)` for the scalars a template can hold. A list or mapping would need Python's
/// `repr` of every item (quotes, escapes); no bundled template asks for it, so it is an
/// error rather than a spelling the model never sees.
fn python_str(value: &Value) -> Result<String, Error> {
    Ok(match value.kind() {
        ValueKind::Undefined => String::new(),
        ValueKind::None => "None".to_owned(),
        ValueKind::Bool => if value.is_true() { "True" } else { "False" }.to_owned(),
        ValueKind::Number if value.is_integer() => match i128::try_from(value.clone()) {
            Ok(n) => n.to_string(),
            Err(_) => u128::try_from(value.clone())?.to_string(),
        },
        ValueKind::Number => {
            let x = f64::try_from(value.clone())?;
            // repr(float) except for the non-finite values, which str() spells in lowercase.
            match x {
                x if x.is_nan() => "nan".to_owned(),
                x if x.is_infinite() => if x > 0.0 { "inf" } else { "-inf" }.to_owned(),
                x => py_float_repr(x),
            }
        }
        ValueKind::String => value.as_str().unwrap_or_default().to_owned(),
        kind => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("the string filter of a {kind} is not supported (Python's repr)"),
            ));
        }
    })
}

/// Python's `str.isspace` for one character.
pub(super) fn is_py_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\u{b}'
            | '\u{c}'
            | '\r'
            | '\u{1c}'..='\u{1f}'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// Python's `str.split()` / `str.split(None, maxsplit)`: runs of whitespace separate, ends
/// are dropped; after `maxsplit` splits the rest is one item with only its start trimmed.
fn split_whitespace(s: &str, maxsplit: Option<usize>) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = s.trim_start_matches(is_py_space);
    while !rest.is_empty() {
        if maxsplit.is_some_and(|n| parts.len() >= n) {
            parts.push(rest);
            break;
        }
        match rest.find(is_py_space) {
            Some(end) => {
                parts.push(&rest[..end]);
                rest = rest[end..].trim_start_matches(is_py_space);
            }
            None => {
                parts.push(rest);
                break;
            }
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::{call_method, split_whitespace, string, trim};

    fn render(template: &str) -> Result<String, minijinja::Error> {
        let mut env = minijinja::Environment::new();
        env.set_unknown_method_callback(call_method);
        env.add_filter("trim", trim);
        env.add_filter("string", string);
        env.render_str(template, ())
    }

    #[test]
    fn filters_match_python() {
        // Each expected value is what Jinja2 renders for the same template.
        let cases = [
            (
                "[{{ true|string }} {{ false|string }} {{ none|string }}]",
                "[True False None]",
            ),
            (
                "[{{ 1|string }} {{ -7|string }} {{ 1.5|string }}]",
                "[1 -7 1.5]",
            ),
            (
                "[{{ 1e21|string }} {{ 2.0|string }} {{ 0.0001|string }}]",
                "[1e+21 2.0 0.0001]",
            ),
            ("[{{ 'x'|string }} {{ undefined_name|string }}]", "[x ]"),
            ("[{{ ' \x1cx\x1f\n'|trim }}]", "[x]"),
            ("[{{ 'xxaxx'|trim('x') }}]", "[a]"),
            ("[{{ '\u{3000}a\u{a0}'|trim }}]", "[a]"),
        ];
        for (template, want) in cases {
            assert_eq!(render(template).unwrap(), want, "{template}");
        }
        assert!(render("{{ [1, 2]|string }}").is_err());
    }

    #[test]
    fn methods_match_python() {
        // Each expected value is what Jinja2 renders for the same template.
        let cases = [
            ("{{ 'a,b,c'.split(',', 1)|join('|') }}", "a|b,c"),
            ("{{ 'a,b,c'.split(sep=',')|join('|') }}", "a|b|c"),
            ("{{ 'a,b,c'.split(',', maxsplit=0)|join('|') }}", "a,b,c"),
            ("{{ ' a  b '.split()|join('|') }}", "a|b"),
            ("{{ 'x</think>y</think>z'.split('</think>')[-1] }}", "z"),
            ("[{{ '  x\n '.strip() }}]", "[x]"),
            ("[{{ '\x1cx\x1f'.strip() }}]", "[x]"),
            ("[{{ '\n\nx\n'.lstrip('\n') }}]", "[x\n]"),
            ("[{{ '\n\nx\n'.rstrip('\n') }}]", "[\n\nx]"),
            ("[{{ 'xxaxx'.strip('x') }}]", "[a]"),
            ("[{{ 'abc'.strip(none) }}]", "[abc]"),
            (
                "{{ 'abc'.startswith('ab') }} {{ 'abc'.endswith(('x', 'bc')) }}",
                "True True",
            ),
            ("{{ 'Hello'.upper() }}", "HELLO"),
        ];
        for (template, want) in cases {
            assert_eq!(render(template).unwrap(), want, "{template}");
        }
        // Python: ValueError: empty separator.
        assert!(render("{{ 'abc'.split('') }}").is_err());
    }

    #[test]
    fn whitespace_split_matches_python() {
        assert_eq!(split_whitespace("  a b  c  ", None), ["a", "b", "c"]);
        assert_eq!(split_whitespace("  a b  c  ", Some(1)), ["a", "b  c  "]);
        assert_eq!(split_whitespace("a\u{1f}b", None), ["a", "b"]);
        assert_eq!(split_whitespace("   ", None), Vec::<&str>::new());
        assert_eq!(split_whitespace("a b", Some(0)), ["a b"]);
    }
}
