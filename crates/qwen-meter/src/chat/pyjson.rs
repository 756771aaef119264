//! Python's `json.dumps`, for the `tojson` filter as transformers defines it.
//!
//! transformers replaces Jinja's `tojson` with
//! `json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)`, so
//! tool schemas and tool-call arguments reach the model with Python's spacing (`", "` and
//! `": "`), Python's float spelling (`1e-07`, `1e+16`, `2.0`) and non-ASCII text unescaped.
//! MiniJinja's own `tojson` is compact and HTML-escapes, so it cannot be used.

use minijinja::value::{Kwargs, ValueKind, from_args};
use minijinja::{Error, ErrorKind, Value};

/// The keyword arguments of `json.dumps` that transformers' `tojson` exposes.
struct DumpOptions {
    ensure_ascii: bool,
    /// `None` for single-line output; otherwise the string repeated per nesting level.
    indent: Option<String>,
    item_separator: String,
    key_separator: String,
    sort_keys: bool,
}

/// The `tojson` filter: `tojson(x, ensure_ascii=False, indent=None, separators=None,
/// sort_keys=False)`, positionally or by keyword, like the Python function.
pub(crate) fn tojson(value: &Value, args: &[Value], kwargs: Kwargs) -> Result<Value, Error> {
    // MiniJinja hands the keyword arguments over separately (and checks that they were
    // used); the positional ones come in `args`.
    type Args = (Option<Value>, Option<Value>, Option<Value>, Option<Value>);
    let (ensure_ascii, indent, separators, sort_keys): Args = from_args(args)?;
    let pick = |positional: Option<Value>, name: &str| -> Result<Value, Error> {
        match (positional, kwargs.get::<Option<Value>>(name)?) {
            (Some(_), Some(_)) => Err(Error::new(
                ErrorKind::TooManyArguments,
                format!("tojson() got multiple values for argument '{name}'"),
            )),
            (Some(v), None) | (None, Some(v)) => Ok(v),
            (None, None) => Ok(Value::from(())),
        }
    };
    let ensure_ascii = pick(ensure_ascii, "ensure_ascii")?;
    let indent = pick(indent, "indent")?;
    let separators = pick(separators, "separators")?;
    let sort_keys = pick(sort_keys, "sort_keys")?;
    kwargs.assert_all_used()?;

    let indent = if indent.is_none() || indent.is_undefined() {
        None
    } else if let Some(s) = indent.as_str() {
        Some(s.to_owned())
    } else if indent.is_integer() {
        // Python: `' ' * indent`, which is empty for zero and negative counts.
        let n = i64::try_from(indent)?;
        Some(" ".repeat(usize::try_from(n).unwrap_or(0).min(1 << 16)))
    } else {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "tojson indent must be an integer, a string or none",
        ));
    };
    let (item_separator, key_separator) = if separators.is_none() || separators.is_undefined() {
        // json.dumps drops the space after ',' when indenting (no trailing blanks).
        let item = if indent.is_some() { "," } else { ", " };
        (item.to_owned(), ": ".to_owned())
    } else {
        let parts: Vec<Value> = separators.try_iter()?.collect();
        match parts.as_slice() {
            [item, key] => match (item.as_str(), key.as_str()) {
                (Some(item), Some(key)) => (item.to_owned(), key.to_owned()),
                _ => {
                    return Err(Error::new(
                        ErrorKind::InvalidOperation,
                        "tojson separators must be two strings",
                    ));
                }
            },
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    "tojson separators must be a pair (item_separator, key_separator)",
                ));
            }
        }
    };
    let options = DumpOptions {
        ensure_ascii: ensure_ascii.is_true(),
        indent,
        item_separator,
        key_separator,
        sort_keys: sort_keys.is_true(),
    };
    let mut out = String::new();
    dump(value, &options, 0, &mut out)?;
    // Python returns a plain str: the template concatenates it like any string.
    Ok(Value::from(out))
}

fn dump(value: &Value, options: &DumpOptions, level: usize, out: &mut String) -> Result<(), Error> {
    match value.kind() {
        ValueKind::None => out.push_str("null"),
        ValueKind::Bool => out.push_str(if value.is_true() { "true" } else { "false" }),
        ValueKind::Number => push_number(value, out)?,
        ValueKind::String => push_string(value.as_str().unwrap_or_default(), options, out),
        ValueKind::Seq => {
            let items: Vec<Value> = value.try_iter()?.collect();
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            let inner = newline_indent(options, level + 1);
            out.push_str(&inner);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(&options.item_separator);
                    out.push_str(&inner);
                }
                dump(item, options, level + 1, out)?;
            }
            out.push_str(&newline_indent(options, level));
            out.push(']');
        }
        ValueKind::Map => {
            let mut entries = Vec::new();
            for key in value.try_iter()? {
                let item = value.get_item(&key)?;
                entries.push((key_string(&key)?, item));
            }
            if entries.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            if options.sort_keys {
                // Python sorts str keys by code point, which is UTF-8 byte order.
                entries.sort_by(|a, b| a.0.cmp(&b.0));
            }
            out.push('{');
            let inner = newline_indent(options, level + 1);
            out.push_str(&inner);
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(&options.item_separator);
                    out.push_str(&inner);
                }
                push_string(key, options, out);
                out.push_str(&options.key_separator);
                dump(item, options, level + 1, out)?;
            }
            out.push_str(&newline_indent(options, level));
            out.push('}');
        }
        kind => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("Object of type {kind} is not JSON serializable"),
            ));
        }
    }
    Ok(())
}

/// `"\n" + indent * level` when indenting, else nothing.
fn newline_indent(options: &DumpOptions, level: usize) -> String {
    match &options.indent {
        Some(indent) => format!("\n{}", indent.repeat(level)),
        None => String::new(),
    }
}

/// Dict keys as json.dumps writes them: str as is, and the scalar keys it converts.
fn key_string(key: &Value) -> Result<String, Error> {
    match key.kind() {
        ValueKind::String => Ok(key.as_str().unwrap_or_default().to_owned()),
        ValueKind::Bool => Ok(if key.is_true() { "true" } else { "false" }.to_owned()),
        ValueKind::None => Ok("null".to_owned()),
        ValueKind::Number => {
            let mut s = String::new();
            push_number(key, &mut s)?;
            Ok(s)
        }
        kind => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("keys must be str, int, float, bool or None, not {kind}"),
        )),
    }
}

fn push_number(value: &Value, out: &mut String) -> Result<(), Error> {
    if value.is_integer() {
        match i128::try_from(value.clone()) {
            Ok(n) => out.push_str(&n.to_string()),
            Err(_) => out.push_str(&u128::try_from(value.clone())?.to_string()),
        }
    } else {
        out.push_str(&py_float_repr(f64::try_from(value.clone())?));
    }
    Ok(())
}

/// Python's `repr(float)` (what json.dumps writes): the shortest digits that round-trip,
/// in positional notation for exponents -4..16 and scientific (`1e-05`, `1.5e+16`) outside.
pub(crate) fn py_float_repr(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    let (digits, exp) = shortest_digits(x.abs());
    // Python's `decpt`: the value is 0.DIGITS * 10^decpt.
    let decpt = exp + 1;
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    if decpt <= -4 || decpt > 16 {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = decpt - 1;
        out.push_str(&format!("e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs()));
    } else if decpt <= 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat(decpt.unsigned_abs() as usize));
        out.push_str(&digits);
    } else {
        let decpt = decpt as usize;
        if decpt >= digits.len() {
            out.push_str(&digits);
            out.push_str(&"0".repeat(decpt - digits.len()));
            out.push_str(".0");
        } else {
            out.push_str(&digits[..decpt]);
            out.push('.');
            out.push_str(&digits[decpt..]);
        }
    }
    out
}

/// Splits Rust's `{:e}` output (`d.ddde<exp>`) into its digits and exponent.
fn sci_parts(sci: &str) -> (String, i32) {
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0"));
    let digits = mantissa.chars().filter(|c| *c != '.').collect();
    (digits, exp.parse().unwrap_or(0))
}

/// The shortest digits that read back as `x` (positive, finite, non-zero), and the
/// exponent of the first digit, chosen as Python does.
///
/// Rust's `{:e}` and Python's `repr` both produce the shortest round-trip digits and prefer
/// the candidate closest to the exact value, but they break an exact tie differently:
/// 1442851624149503.25 is `…503.3` in Rust (half up) and `…503.2` in Python (half even).
/// A tie is detected on the exact decimal expansion of the double (finite: at most 767
/// significant digits) and resolved to the even digit, as David Gay's dtoa does.
fn shortest_digits(x: f64) -> (String, i32) {
    let (digits, exp) = sci_parts(&format!("{x:e}"));
    let n = digits.len();
    let (exact, exact_exp) = sci_parts(&format!("{x:.800e}"));
    if exact_exp != exp || exact.len() <= n {
        return (digits, exp);
    }
    let (head, rest) = exact.split_at(n);
    let rest = rest.trim_end_matches('0');
    if rest != "5" {
        return (digits, exp);
    }
    // Exactly halfway between `head` and `head + 1` (in the last place): take the even one.
    let last = head.as_bytes()[n - 1] - b'0';
    if last % 2 == 0 {
        if candidate_reads_back(head, exp, x) {
            return (head.to_owned(), exp);
        }
    } else if let Some(up) = increment(head) {
        if candidate_reads_back(&up, exp, x) {
            return (up, exp);
        }
    }
    (digits, exp)
}

/// Whether the digits with that first-digit exponent parse back to `x`.
fn candidate_reads_back(digits: &str, exp: i32, x: f64) -> bool {
    let (first, rest) = digits.split_at(1);
    let literal = if rest.is_empty() {
        format!("{first}e{exp}")
    } else {
        format!("{first}.{rest}e{exp}")
    };
    literal.parse::<f64>() == Ok(x)
}

/// `digits + 1` in the last place, or `None` when it carries into a new digit.
fn increment(digits: &str) -> Option<String> {
    let mut bytes = digits.as_bytes().to_vec();
    for b in bytes.iter_mut().rev() {
        if *b == b'9' {
            *b = b'0';
        } else {
            *b += 1;
            return String::from_utf8(bytes).ok();
        }
    }
    None
}

/// A JSON string literal as json.dumps writes it.
fn push_string(s: &str, options: &DumpOptions, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            // ensure_ascii escapes everything outside ' '..='~', DEL included.
            c if options.ensure_ascii && !(' '..='~').contains(&c) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{:04x}", unit));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::{py_float_repr, tojson};

    #[test]
    fn tojson_arguments_match_python() {
        // Expected output from CPython 3 + Jinja2 with transformers' tojson, same template.
        let mut env = minijinja::Environment::new();
        env.add_filter("tojson", tojson);
        let template = "{{ x | tojson(indent=2) }}|{{ x | tojson(separators=(',', ':')) }}|\
                        {{ x | tojson(sort_keys=true) }}|{{ x | tojson(ensure_ascii=true) }}|\
                        {{ x|tojson(indent='\t', sort_keys=true) }}|{{ [] | tojson(indent=2) }}|\
                        {{ {'a': []}|tojson(indent=0) }}|{{ x|tojson(false, none, none, true) }}";
        let x: serde_json::Value = serde_json::from_str(
            r#"{"b": [1, 2.5, {"c": null}], "a": "\u00e9\ud83d\ude00\u007f\n", "z": {}, "e": []}"#,
        )
        .unwrap();
        let got = env
            .render_str(
                template,
                minijinja::context! { x => minijinja::Value::from(minijinja::value::Serde(&x)) },
            )
            .unwrap();
        let want = concat!(
            "{\n  \"b\": [\n    1,\n    2.5,\n    {\n      \"c\": null\n    }\n  ],\n",
            "  \"a\": \"\u{e9}\u{1f600}\u{7f}\\n\",\n  \"z\": {},\n  \"e\": []\n}|",
            "{\"b\":[1,2.5,{\"c\":null}],\"a\":\"\u{e9}\u{1f600}\u{7f}\\n\",\"z\":{},\"e\":[]}|",
            "{\"a\": \"\u{e9}\u{1f600}\u{7f}\\n\", \"b\": [1, 2.5, {\"c\": null}], \"e\": [], \"z\": {}}|",
            "{\"b\": [1, 2.5, {\"c\": null}], \"a\": \"\\u00e9\\ud83d\\ude00\\u007f\\n\", \"z\": {}, \"e\": []}|",
            "{\n\t\"a\": \"\u{e9}\u{1f600}\u{7f}\\n\",\n\t\"b\": [\n\t\t1,\n\t\t2.5,\n\t\t{\n\t\t\t\"c\": null\n\t\t}\n\t],\n",
            "\t\"e\": [],\n\t\"z\": {}\n}|[]|{\n\"a\": []\n}|",
            "{\"a\": \"\u{e9}\u{1f600}\u{7f}\\n\", \"b\": [1, 2.5, {\"c\": null}], \"e\": [], \"z\": {}}",
        );
        assert_eq!(got, want);
    }

    #[test]
    fn float_repr_matches_python() {
        // Values checked against CPython's repr().
        let cases: &[(f64, &str)] = &[
            (1.0, "1.0"),
            (0.5, "0.5"),
            (-2.25, "-2.25"),
            (100.0, "100.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1234567890123456.0, "1234567890123456.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1e100, "1e+100"),
            (1e-300, "1e-300"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-0.0, "-0.0"),
            (123.456, "123.456"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            // Exact ties between two shortest candidates: Python takes the even digit.
            (1442851624149503.0 + 0.25, "1442851624149503.2"),
            (1442851624149503.0 + 0.75, "1442851624149503.8"),
            (9007199254740993.0, "9007199254740992.0"),
        ];
        for (x, want) in cases {
            assert_eq!(py_float_repr(*x), *want, "repr({x:e})");
        }
    }
}
