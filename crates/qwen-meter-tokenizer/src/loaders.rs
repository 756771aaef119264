//! Parsers for user-supplied vocabulary files: tiktoken rank files and `tokenizer.json`.
//!
//! Both take bytes (the core does no I/O) and report problems with a location: a line
//! number for tiktoken files, a JSON path for `tokenizer.json`.

use base64::Engine;
use serde_json::Value;

use crate::LoadError;
use crate::pretokenize::{Pattern, QWEN3_5_PATTERN};
use crate::special::Specials;
use crate::vocab::Vocab;

/// The split pattern of Qwen to Qwen3 (Qwen3.5's is `QWEN3_5_PATTERN`); other patterns are
/// not supported. The one copy of it in the workspace: tools and tests use this constant.
pub const QWEN_PATTERN: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// `base64 rank` per line, ranks dense from 0.
pub(crate) fn parse_tiktoken(bytes: &[u8]) -> Result<Vec<Vec<u8>>, LoadError> {
    let err = |line: usize, message: String| LoadError {
        source_kind: "tiktoken file",
        location: format!("line {line}"),
        message,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| LoadError {
        source_kind: "tiktoken file",
        location: format!("byte {}", e.valid_up_to()),
        message: "not valid UTF-8".into(),
    })?;
    let mut tokens = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let (b64, rank) = line
            .split_once(' ')
            .ok_or_else(|| err(n, "expected `<base64> <rank>`".into()))?;
        let rank: usize = rank
            .trim()
            .parse()
            .map_err(|_| err(n, format!("rank {rank:?} is not a number")))?;
        if rank != tokens.len() {
            return Err(err(
                n,
                format!("rank {rank} out of order: expected {}", tokens.len()),
            ));
        }
        let t = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| err(n, format!("invalid base64 {b64:?}: {e}")))?;
        tokens.push(t);
    }
    if tokens.is_empty() {
        return Err(err(0, "no tokens".into()));
    }
    Ok(tokens)
}

/// GPT-2's byte-to-char map used by byte-level `tokenizer.json` files: entry `b` is the code
/// point that stands for byte `b`. The one copy of it in the workspace.
pub fn byte_level_table() -> [u32; 256] {
    let mut chars = [0u32; 256];
    let mut n = 0;
    for b in 0..256u32 {
        let printable =
            (0x21..=0x7E).contains(&b) || (0xA1..=0xAC).contains(&b) || (0xAE..=0xFF).contains(&b);
        chars[b as usize] = if printable {
            b
        } else {
            n += 1;
            255 + n
        };
    }
    chars
}

fn unlevel(s: &str, rev: &std::collections::HashMap<char, u8>) -> Option<Vec<u8>> {
    s.chars().map(|c| rev.get(&c).copied()).collect()
}

/// What a `tokenizer.json` holds, in the engine's terms.
pub(crate) struct TokenizerJson {
    /// The vocabulary, numbered by merge priority (see `parse_tokenizer_json`).
    pub vocab: Vocab,
    pub specials: Specials,
    pub pattern: Pattern,
    /// The file's id of each engine id, when the two numberings differ.
    pub file_ids: Option<Vec<u32>>,
}

/// A Qwen-style Hugging Face `tokenizer.json`: vocabulary, merges (priority = position in
/// the list, whatever ids the tokens have), added tokens and which of the two Qwen split
/// patterns it uses.
pub(crate) fn parse_tokenizer_json(bytes: &[u8]) -> Result<TokenizerJson, LoadError> {
    let err = |path: &str, message: String| LoadError {
        source_kind: "tokenizer.json",
        location: path.to_string(),
        message,
    };
    let root: Value = serde_json::from_slice(bytes).map_err(|e| {
        err(
            &format!("line {} column {}", e.line(), e.column()),
            format!("invalid JSON: {e}"),
        )
    })?;
    let model = root
        .get("model")
        .ok_or_else(|| err("model", "missing".into()))?;
    match model.get("type").and_then(Value::as_str) {
        Some("BPE") => {}
        other => {
            return Err(err(
                "model.type",
                format!("expected \"BPE\", found {other:?}"),
            ));
        }
    }
    match root.get("normalizer") {
        Some(Value::Null) | None => {}
        Some(n) if n.get("type").and_then(Value::as_str) == Some("NFC") => {}
        Some(n) => {
            return Err(err(
                "normalizer",
                format!("only NFC is supported, found {n}"),
            ));
        }
    }
    let pattern = match root
        .pointer("/pre_tokenizer/pretokenizers/0/pattern/Regex")
        .and_then(Value::as_str)
    {
        Some(QWEN_PATTERN) => Pattern::Qwen,
        Some(QWEN3_5_PATTERN) => Pattern::Qwen3_5,
        _ => {
            return Err(err(
                "pre_tokenizer.pretokenizers[0].pattern.Regex",
                "expected the Qwen or the Qwen3.5 split pattern".into(),
            ));
        }
    };
    let table = byte_level_table();
    let rev: std::collections::HashMap<char, u8> = table
        .iter()
        .enumerate()
        .map(|(b, &c)| (char::from_u32(c).unwrap(), b as u8))
        .collect();
    let vocab = model
        .get("vocab")
        .and_then(Value::as_object)
        .ok_or_else(|| err("model.vocab", "missing or not an object".into()))?;
    if vocab.len() > crate::maps::MAX_VOCAB {
        return Err(err(
            "model.vocab",
            format!(
                "{} tokens: at most {} are supported",
                vocab.len(),
                crate::maps::MAX_VOCAB
            ),
        ));
    }
    let mut tokens: Vec<Option<Vec<u8>>> = vec![None; vocab.len()];
    for (k, v) in vocab {
        let path = format!("model.vocab[{k:?}]");
        let id = v
            .as_u64()
            .ok_or_else(|| err(&path, "id is not a number".into()))? as usize;
        let slot = tokens.get_mut(id).ok_or_else(|| {
            err(
                &path,
                format!("id {id} is not below the vocabulary size {}", vocab.len()),
            )
        })?;
        let b = unlevel(k, &rev).ok_or_else(|| err(&path, "not a byte-level token".into()))?;
        if b.is_empty() || b.len() > 255 {
            return Err(err(&path, "token length must be 1 to 255 bytes".into()));
        }
        *slot = Some(b);
    }
    let tokens: Vec<Vec<u8>> = tokens
        .into_iter()
        .enumerate()
        .map(|(id, t)| t.ok_or_else(|| err("model.vocab", format!("no token has id {id}"))))
        .collect::<Result<_, _>>()?;
    let merges = model
        .get("merges")
        .and_then(Value::as_array)
        .ok_or_else(|| err("model.merges", "missing or not a list".into()))?;
    let index: std::collections::HashMap<&[u8], usize> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_slice(), i))
        .collect();
    // (left, right, merged) file ids, in the list's order: the merge's priority.
    let mut listed: Vec<(usize, usize, usize)> = Vec::with_capacity(merges.len());
    // Which merge creates each token.
    let mut made_by = vec![usize::MAX; tokens.len()];
    for (i, m) in merges.iter().enumerate() {
        let path = format!("model.merges[{i}]");
        let (a, b) = match m {
            Value::String(s) => s
                .split_once(' ')
                .ok_or_else(|| err(&path, "expected \"left right\"".into()))?,
            Value::Array(p) if p.len() == 2 => (
                p[0].as_str()
                    .ok_or_else(|| err(&path, "expected strings".into()))?,
                p[1].as_str()
                    .ok_or_else(|| err(&path, "expected strings".into()))?,
            ),
            _ => {
                return Err(err(
                    &path,
                    "expected \"left right\" or [left, right]".into(),
                ));
            }
        };
        let (a, b) = (
            unlevel(a, &rev).ok_or_else(|| err(&path, "left part is not byte-level".into()))?,
            unlevel(b, &rev).ok_or_else(|| err(&path, "right part is not byte-level".into()))?,
        );
        let joined = [a.as_slice(), b.as_slice()].concat();
        let id = *index
            .get(joined.as_slice())
            .ok_or_else(|| err(&path, "the merged token is not in the vocabulary".into()))?;
        let (Some(&l), Some(&r)) = (index.get(a.as_slice()), index.get(b.as_slice())) else {
            return Err(err(
                &path,
                "a part of the merge is not in the vocabulary".into(),
            ));
        };
        if made_by[id] != usize::MAX {
            return Err(err(
                &path,
                format!(
                    "token {id} is already created by model.merges[{}]",
                    made_by[id]
                ),
            ));
        }
        made_by[id] = i;
        listed.push((l, r, id));
    }
    // The engine ranks a merge by the id it creates, and needs a merge to rank above its
    // parts (see `merge_long`). So it numbers tokens its own way: first those that no merge
    // creates (bytes among them), in file order, then the merged ones in the order of the
    // list, which is their priority. When that is the file's own numbering (as in Qwen's
    // files) no id needs translating.
    let mut order: Vec<u32> = (0..tokens.len() as u32)
        .filter(|&t| made_by[t as usize] == usize::MAX)
        .collect();
    order.extend(listed.iter().map(|&(_, _, t)| t as u32));
    let mut internal = vec![0u32; tokens.len()];
    for (k, &f) in order.iter().enumerate() {
        internal[f as usize] = k as u32;
    }
    let reordered: Vec<Vec<u8>> = order.iter().map(|&f| tokens[f as usize].clone()).collect();
    let mut v = Vocab::unmerged(&reordered, "tokenizer.json")?;
    for (i, &(l, r, t)) in listed.iter().enumerate() {
        for part in [l, r] {
            if internal[part] >= internal[t] {
                return Err(err(
                    &format!("model.merges[{i}]"),
                    format!(
                        "its part {:?} is created by the later model.merges[{}]: not supported",
                        String::from_utf8_lossy(&tokens[part]),
                        made_by[part]
                    ),
                ));
            }
        }
        v.merges[internal[t] as usize] = (internal[l], internal[r]);
    }
    let identity = order.iter().enumerate().all(|(k, &f)| k == f as usize);
    let mut specials = Vec::new();
    if let Some(added) = root.get("added_tokens").and_then(Value::as_array) {
        for (i, t) in added.iter().enumerate() {
            let path = format!("added_tokens[{i}]");
            let content = t
                .get("content")
                .and_then(Value::as_str)
                .ok_or_else(|| err(&path, "missing content".into()))?;
            let id = t
                .get("id")
                .and_then(Value::as_u64)
                .ok_or_else(|| err(&path, "missing id".into()))? as u32;
            if (id as usize) < tokens.len() {
                return Err(err(&path, format!("id {id} collides with the vocabulary")));
            }
            specials.push((content.to_string(), id));
        }
    }
    Ok(TokenizerJson {
        vocab: v,
        specials: Specials::new(specials),
        pattern,
        file_ids: (!identity).then_some(order),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn byte_level_table_is_a_bijection() {
        let t = super::byte_level_table();
        let mut seen = std::collections::HashSet::new();
        assert!(t.iter().all(|c| seen.insert(*c)));
        assert_eq!(t[b' ' as usize], 0x120); // 'Ġ'
    }
}
