//! The byte-level BPE vocabulary: the embedded compact form and loaders for user files.
//!
//! Every Qwen generation shares one vocabulary of 151,643 byte strings. Id `i` is the token's
//! rank; ids 0 to 255 are the single bytes and every later id is the merge of two earlier
//! tokens. The compact file (`data/qwen.vocab`, written by `qwen-meter-gen` from the upstream
//! `qwen.tiktoken` and `tokenizer.json`) stores just that: after the magic `QMV2` and a
//! little-endian `u32` count, the byte of each id below 256, then the left ids and the right
//! ids of all merges, each as three byte planes (low, middle, high byte). Token bytes are
//! rebuilt from the merges, so loading needs no hashing at all (535 KB gzipped).

use crate::LoadError;

/// The embedded Qwen vocabulary in compact form.
pub(crate) static QWEN_VOCAB: &[u8] = include_bytes!("../data/qwen.vocab");

/// A vocabulary: token byte strings by id, plus how each non-byte token was merged.
pub(crate) struct Vocab {
    /// All token bytes, concatenated in id order.
    pub bytes: Vec<u8>,
    /// `offsets[id]..offsets[id + 1]` is token `id` in `bytes`.
    pub offsets: Vec<u32>,
    /// For ids built by a merge: the (left, right) ids; `(u32::MAX, u32::MAX)` for bytes.
    pub merges: Vec<(u32, u32)>,
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

    /// A vocabulary of `tokens` (by id) with no merges recorded yet; `kind` names the file in
    /// errors. Every byte must have a token of its own (byte-level BPE).
    pub(crate) fn unmerged(tokens: &[Vec<u8>], kind: &'static str) -> Result<Vocab, LoadError> {
        let mut v = Vocab {
            bytes: Vec::new(),
            offsets: vec![0],
            merges: vec![(u32::MAX, u32::MAX); tokens.len()],
        };
        for t in tokens {
            v.bytes.extend_from_slice(t);
            v.offsets.push(v.bytes.len() as u32);
        }
        if let Some(b) = v.byte_ids().iter().position(|&id| id == u32::MAX) {
            return Err(LoadError {
                source_kind: kind,
                location: "vocabulary".into(),
                message: format!("byte 0x{b:02x} has no token: not a byte-level vocabulary"),
            });
        }
        Ok(v)
    }

    /// The id of each single-byte token (the lowest, if several), `u32::MAX` where none.
    pub(crate) fn byte_ids(&self) -> [u32; 256] {
        let mut ids = [u32::MAX; 256];
        for id in 0..self.len() as u32 {
            let t = self.token(id);
            if t.len() == 1 && ids[t[0] as usize] == u32::MAX {
                ids[t[0] as usize] = id;
            }
        }
        ids
    }

    /// Parses the compact form.
    pub(crate) fn from_compact(data: &[u8]) -> Result<Vocab, LoadError> {
        let err = |message: &str| LoadError {
            source_kind: "compact vocabulary",
            location: "header".into(),
            message: message.to_string(),
        };
        if data.len() < 8 + 256 || &data[..4] != b"QMV2" {
            return Err(err("missing the QMV2 header"));
        }
        let count = u32::from_le_bytes([data[4], data[5], data[6], data[7]]) as usize;
        let n = count
            .checked_sub(256)
            .ok_or_else(|| err("fewer than 256 tokens"))?;
        if data.len() != 8 + 256 + 6 * n {
            return Err(err("file size does not match the token count"));
        }
        let planes = &data[8 + 256..];
        let id_at = |plane: usize, i: usize| {
            planes[plane * n + i] as u32
                | (planes[(plane + 1) * n + i] as u32) << 8
                | (planes[(plane + 2) * n + i] as u32) << 16
        };
        let mut merges = Vec::with_capacity(count);
        merges.resize(256, (u32::MAX, u32::MAX));
        // Offsets first, from the parts' lengths, so the bytes can be written into one buffer
        // of the right size without a `memmove` call per token.
        let mut offsets = Vec::with_capacity(count + 1);
        offsets.extend(0..=256u32);
        for i in 0..n {
            let (l, r) = (id_at(0, i), id_at(3, i));
            let id = 256 + i as u32;
            if l >= id || r >= id {
                return Err(LoadError {
                    source_kind: "compact vocabulary",
                    location: format!("token {id}"),
                    message: "a merge refers to a later token".into(),
                });
            }
            let len = |t: u32| offsets[t as usize + 1] - offsets[t as usize];
            let end = (len(l).checked_add(len(r)))
                .and_then(|n| offsets[id as usize].checked_add(n))
                .ok_or_else(|| err("more than 4 GiB of token bytes"))?;
            offsets.push(end);
            merges.push((l, r));
        }
        // Sixteen bytes of slack at the end let every short part be copied as one 16-byte
        // block; what the block writes past the part is overwritten by the bytes after it.
        let total = offsets[count] as usize;
        let mut bytes = vec![0u8; total + 16];
        bytes[..256].copy_from_slice(&data[8..8 + 256]);
        let mut at = 256;
        for &(l, r) in &merges[256..] {
            for part in [l, r] {
                let (s, e) = (
                    offsets[part as usize] as usize,
                    offsets[part as usize + 1] as usize,
                );
                if e - s <= 16 {
                    let block: [u8; 16] = bytes[s..s + 16].try_into().unwrap();
                    bytes[at..at + 16].copy_from_slice(&block);
                } else {
                    bytes.copy_within(s..e, at);
                }
                at += e - s;
            }
        }
        bytes.truncate(total);
        Ok(Vocab {
            bytes,
            offsets,
            merges,
        })
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
        if tokens.len() > crate::bpe::MAX_VOCAB {
            return Err(LoadError {
                source_kind: kind,
                location: "vocabulary".into(),
                message: format!(
                    "{} tokens: at most {} are supported",
                    tokens.len(),
                    crate::bpe::MAX_VOCAB
                ),
            });
        }
        if let Some(id) = tokens.iter().position(|t| t.is_empty() || t.len() > 255) {
            return Err(err(id, "token length must be 1 to 255 bytes"));
        }
        let mut v = Vocab::unmerged(&tokens, kind)?;
        let byte_ids = v.byte_ids();
        let mut pairs = crate::bpe::PairMap::with_capacity(tokens.len());
        for (id, t) in tokens.iter().enumerate() {
            if t.len() == 1 {
                continue;
            }
            let mut parts = Vec::new();
            crate::bpe::merge_long(&pairs, &byte_ids, t, |p| parts.push(p));
            if parts.len() != 2 {
                return Err(err(
                    id,
                    "lower-ranked merges do not build this token from two parts: not a BPE vocabulary",
                ));
            }
            v.merges[id] = (parts[0], parts[1]);
            pairs.insert(parts[0], parts[1], id as u32);
        }
        Ok(v)
    }
}
