//! The byte-level BPE vocabulary: the embedded compact form and loaders for user files.
//!
//! Every Qwen generation shares one vocabulary of 151,643 byte strings. Id `i` is the token's
//! rank; ids 256 and up are each built by one merge of two shorter tokens, recorded as the byte
//! length of the left part. The compact file (`data/qwen.vocab`, written by `qwen-meter-gen`
//! from the upstream `qwen.tiktoken` and `tokenizer.json`) holds, after the magic `QMV1` and a
//! little-endian `u32` count, one record per id: `u8` length, `u8` left length, the bytes.

use crate::LoadError;

/// The embedded Qwen vocabulary in compact form.
pub(crate) static QWEN_VOCAB: &[u8] = include_bytes!("../data/qwen.vocab");

/// A vocabulary: token byte strings by id, plus how each non-byte token was merged.
pub(crate) struct Vocab {
    /// All token bytes, concatenated in id order.
    pub bytes: Vec<u8>,
    /// `offsets[id]..offsets[id + 1]` is token `id` in `bytes`.
    pub offsets: Vec<u32>,
    /// For ids built by a merge: byte length of the left part (0 for single bytes).
    pub left_len: Vec<u8>,
}

impl Vocab {
    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    #[inline]
    pub(crate) fn token(&self, id: u32) -> &[u8] {
        let id = id as usize;
        &self.bytes[self.offsets[id] as usize..self.offsets[id + 1] as usize]
    }

    /// Parses the compact form.
    pub(crate) fn from_compact(data: &[u8]) -> Result<Vocab, LoadError> {
        let err = |location: String, message: &str| LoadError {
            source_kind: "compact vocabulary",
            location,
            message: message.to_string(),
        };
        if data.len() < 8 || &data[..4] != b"QMV1" {
            return Err(err("byte 0".into(), "missing the QMV1 header"));
        }
        let count = u32::from_le_bytes([data[4], data[5], data[6], data[7]]) as usize;
        let mut v = Vocab {
            bytes: Vec::with_capacity(data.len()),
            offsets: Vec::with_capacity(count + 1),
            left_len: Vec::with_capacity(count),
        };
        v.offsets.push(0);
        let mut p = 8;
        for id in 0..count {
            if p + 2 > data.len() {
                return Err(err(format!("token {id}"), "file ends inside the record"));
            }
            let (len, left) = (data[p] as usize, data[p + 1]);
            p += 2;
            let Some(tok) = data.get(p..p + len) else {
                return Err(err(
                    format!("token {id}"),
                    "file ends inside the token bytes",
                ));
            };
            v.bytes.extend_from_slice(tok);
            v.offsets.push(v.bytes.len() as u32);
            v.left_len.push(left);
            p += len;
        }
        if p != data.len() {
            return Err(err(
                format!("byte {p}"),
                "trailing bytes after the last token",
            ));
        }
        Ok(v)
    }

    /// Builds a vocabulary from ranked byte strings (a tiktoken file), deriving each token's
    /// merge the way BPE itself reaches it: merging the token's bytes with only the lower-ranked
    /// merges must end in exactly two parts, and those two parts are its merge.
    pub(crate) fn from_ranked(
        tokens: Vec<Vec<u8>>,
        kind: &'static str,
    ) -> Result<Vocab, LoadError> {
        let err = |id: usize, message: &str| LoadError {
            source_kind: kind,
            location: format!("token {id}"),
            message: message.to_string(),
        };
        let mut v = Vocab {
            bytes: Vec::new(),
            offsets: vec![0],
            left_len: vec![0; tokens.len()],
        };
        for (id, t) in tokens.iter().enumerate() {
            if t.is_empty() || t.len() > 255 {
                return Err(err(id, "token length must be 1 to 255 bytes"));
            }
            v.bytes.extend_from_slice(t);
            v.offsets.push(v.bytes.len() as u32);
        }
        let mut byte_ids = [u32::MAX; 256];
        for (id, t) in tokens.iter().enumerate() {
            if t.len() == 1 && byte_ids[t[0] as usize] == u32::MAX {
                byte_ids[t[0] as usize] = id as u32;
            }
        }
        if let Some(b) = byte_ids.iter().position(|&id| id == u32::MAX) {
            return Err(LoadError {
                source_kind: kind,
                location: "vocabulary".into(),
                message: format!("byte 0x{b:02x} has no token: not a byte-level vocabulary"),
            });
        }
        let mut pairs = crate::bpe::PairMap::with_capacity(tokens.len());
        for (id, t) in tokens.iter().enumerate() {
            if t.len() == 1 {
                continue;
            }
            let mut parts = Vec::new();
            crate::bpe::merge_long(&pairs, &byte_ids, t, |p| parts.push(p));
            if parts.len() != 2 {
                return Err(err(id, "lower-ranked merges do not build this token from two parts: not a BPE vocabulary"));
            }
            let left = v.token(parts[0]).len();
            v.left_len[id] = left as u8;
            pairs.insert(parts[0], parts[1], id as u32);
        }
        Ok(v)
    }
}
