//! The byte-level BPE vocabulary: the embedded compact form and loaders for user files.
//!
//! Qwen, Qwen2, Qwen2.5 and Qwen3 share one vocabulary of 151,643 byte strings; Qwen3.5 and
//! Qwen3.6 have one of 248,044. Id `i` is the token's rank; ids 0 to 255 are the single bytes
//! and every later id is the merge of two earlier tokens. The compact file (`data/qwen.vocab`,
//! written by `qwen-meter-gen` from the upstream `qwen.tiktoken` and `tokenizer.json`) stores
//! just that: after the magic `QMV2` and a little-endian `u32` count, the byte of each id
//! below 256, then the left ids and the right ids of all merges, each as three byte planes
//! (low, middle, high byte). Token bytes are rebuilt from the merges, so loading needs no
//! hashing at all (535 KB gzipped). The bytes are rebuilt only when something first needs
//! them (decoding, the trie, the whole-token map): a first count needs only the merges, so a
//! program that counts a prompt or two never writes the megabytes of token bytes (for Qwen3.5
//! that was about a third of its start-up).
//!
//! Qwen3.5's vocabulary has 232 tokens that no merge produces, and 35 whose merge only ever
//! builds larger tokens (BPE of their own bytes ends elsewhere): BPE never emits any of them,
//! they only decode. Its file (`data/qwen3_5.vocab`, format `QMV3`) gives the first the merge
//! ids `0xFFFFFF` and lists their bytes after the planes: a `u32` count, then per token (in
//! id order) its length in one byte and its bytes; then the ids of the others: a `u32`
//! count and the ids as ascending `u32`s (all little-endian).

use std::sync::OnceLock;

use crate::LoadError;

/// The embedded Qwen vocabulary in compact form.
pub(crate) static QWEN_VOCAB: &[u8] = include_bytes!("../data/qwen.vocab");

/// The embedded Qwen3.5 vocabulary in compact form.
#[cfg(feature = "embed-qwen3_5")]
pub(crate) static QWEN3_5_VOCAB: &[u8] = include_bytes!("../data/qwen3_5.vocab");

/// The multiplier of [`poly_hash`]: odd, with well-mixed bits.
const HASH_BASE: u32 = 0x9E37_79B9;

/// A polynomial hash of `bytes` (`sum (b_i + 1) * BASE^(len - 1 - i)` mod 2^32): unlike a
/// block hash it composes, so the hash of every token follows from its merge's parts (see
/// [`Vocab::token_hashes`]). Collisions are possible and harmless: look-ups compare bytes.
#[inline]
pub(crate) fn poly_hash(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |h, &b| {
        h.wrapping_mul(HASH_BASE).wrapping_add(b as u32 + 1)
    })
}

/// Merge ids of a token that no merge produces, in a `QMV3` file.
const RAW: u32 = 0xFF_FFFF;

/// A vocabulary: token byte strings by id, plus how each non-byte token was merged.
pub(crate) struct Vocab {
    /// All token bytes, concatenated in id order; rebuilt from `seed` and the merges on first
    /// use when the vocabulary was read from the compact form.
    bytes: OnceLock<Vec<u8>>,
    /// What the token bytes of a compact vocabulary are rebuilt from: the byte of each id
    /// below 256, then the bytes of the tokens that no merge produces, in id order.
    seed: Vec<u8>,
    /// `offsets[id]..offsets[id + 1]` is token `id` in `bytes`.
    offsets: Vec<u32>,
    /// For ids built by a merge: the (left, right) ids; `(u32::MAX, u32::MAX)` for bytes.
    pub merges: Vec<(u32, u32)>,
    /// Merged tokens that BPE never emits, as the compact file lists them (ascending).
    pub never_emitted: Vec<u32>,
}

impl Vocab {
    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Total length of all token bytes.
    pub(crate) fn total_bytes(&self) -> usize {
        self.offsets[self.len()] as usize
    }

    /// Length in bytes of the longest token.
    pub(crate) fn longest(&self) -> usize {
        self.offsets
            .windows(2)
            .map(|w| w[1].wrapping_sub(w[0]))
            .max()
            .unwrap_or(0) as usize
    }

    #[inline]
    pub(crate) fn token(&self, id: u32) -> &[u8] {
        let id = id as usize;
        let bytes = self.bytes.get_or_init(|| self.rebuild_bytes());
        &bytes[self.offsets[id] as usize..self.offsets[id + 1] as usize]
    }

    /// The byte of a one-byte token, without rebuilding all token bytes for the first 256.
    #[inline]
    fn byte_of(&self, id: u32) -> u8 {
        match self.bytes.get() {
            None if id < 256 && self.seed.len() >= 256 => self.seed[id as usize],
            _ => self.token(id)[0],
        }
    }

    /// Whether the token bytes have been written out (tests: which paths avoid it).
    #[cfg(test)]
    pub(crate) fn bytes_built(&self) -> bool {
        self.bytes.get().is_some()
    }

    /// Length in bytes of token `id`.
    #[inline]
    pub(crate) fn token_len(&self, id: u32) -> usize {
        (self.offsets[id as usize + 1] - self.offsets[id as usize]) as usize
    }

    /// Whether token `id` is `key`, without rebuilding all token bytes when they are not
    /// built yet: the token is walked down its merges, left part first.
    #[inline]
    pub(crate) fn token_is(&self, id: u32, key: &[u8]) -> bool {
        if self.token_len(id) != key.len() {
            return false;
        }
        match self.bytes.get() {
            Some(_) => self.token(id) == key,
            None => self.merged_is(id, key),
        }
    }

    /// [`Vocab::token_is`] along the merges, for a key of the token's length.
    fn merged_is(&self, id: u32, key: &[u8]) -> bool {
        if key.len() == 1 {
            return self.byte_of(id) == key[0];
        }
        match self.merges[id as usize] {
            // A token that no merge produces: its bytes are in the seed, not in a merge.
            (u32::MAX, _) => self.token(id) == key,
            (l, r) => {
                let (left, right) = key.split_at(self.token_len(l));
                self.merged_is(l, left) && self.merged_is(r, right)
            }
        }
    }

    /// [`poly_hash`] of every token, by id. For a compact vocabulary composed along the
    /// merges, whether or not its bytes have been rebuilt (the hash of `l ++ r` is `h(l) * BASE^len(r) +
    /// h(r)`), one multiply-add per token instead of writing out megabytes of token bytes.
    pub(crate) fn token_hashes(&self) -> Vec<u32> {
        let n = self.len();
        if self.seed.is_empty() {
            // A loaded vocabulary: its bytes are all there, and its merges are not known to
            // be complete.
            return (0..n as u32).map(|id| poly_hash(self.token(id))).collect();
        }
        let mut pow = [1u32; 256];
        for k in 1..256 {
            pow[k] = pow[k - 1].wrapping_mul(HASH_BASE);
        }
        let mut hashes: Vec<u32> = Vec::with_capacity(n);
        let mut raw = 256;
        for (id, &(l, r)) in self.merges.iter().enumerate() {
            let h = if id < 256 {
                poly_hash(&self.seed[id..id + 1])
            } else if l == u32::MAX {
                // A token that no merge produces: its bytes are next in the seed.
                let len = self.token_len(id as u32);
                raw += len;
                poly_hash(&self.seed[raw - len..raw])
            } else {
                hashes[l as usize]
                    .wrapping_mul(pow[self.token_len(r)])
                    .wrapping_add(hashes[r as usize])
            };
            hashes.push(h);
        }
        hashes
    }

    /// The token bytes of a compact vocabulary, from its seed and merges.
    fn rebuild_bytes(&self) -> Vec<u8> {
        // Sixteen bytes of slack at the end let every short part be copied as one 16-byte
        // block; what the block writes past the part is overwritten by the bytes after it.
        let offsets = &self.offsets;
        let total = self.total_bytes();
        let mut bytes = vec![0u8; total + 16];
        bytes[..256].copy_from_slice(&self.seed[..256]);
        let mut at = 256;
        let mut raw = 256;
        for (id, &(l, r)) in self.merges.iter().enumerate().skip(256) {
            if l == u32::MAX {
                // A token that no merge produces: its bytes are next in the seed.
                let len = self.token_len(id as u32);
                bytes[at..at + len].copy_from_slice(&self.seed[raw..raw + len]);
                raw += len;
                at += len;
                continue;
            }
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
        bytes
    }

    /// A vocabulary of `tokens` (by id) with no merges recorded yet; `kind` names the file in
    /// errors. Every byte must have a token of its own (byte-level BPE).
    pub(crate) fn unmerged(tokens: &[Vec<u8>], kind: &'static str) -> Result<Vocab, LoadError> {
        let mut bytes = Vec::new();
        let mut offsets = vec![0];
        for t in tokens {
            bytes.extend_from_slice(t);
            offsets.push(bytes.len() as u32);
        }
        let v = Vocab {
            bytes: OnceLock::from(bytes),
            seed: Vec::new(),
            offsets,
            merges: vec![(u32::MAX, u32::MAX); tokens.len()],
            never_emitted: Vec::new(),
        };
        if let Some(b) = v.byte_ids().iter().position(|&id| id == u32::MAX) {
            return Err(LoadError {
                source_kind: kind,
                location: "vocabulary".into(),
                message: format!("byte 0x{b:02x} has no token: not a byte-level vocabulary"),
            });
        }
        Ok(v)
    }

    /// One bit per id, set where BPE emits the token as an embedded vocabulary says: a single
    /// byte, or a token some merge produces that the compact file does not list as never
    /// emitted. (Its tests check this against BPE; `Bpe` checks loaded files token by token.)
    /// Two passes (the merges, then the list), not a search of the list per id: the set is
    /// built with the first whole-token map, inside a fresh tokenizer's first pass.
    pub(crate) fn emitted_as_listed(&self) -> Vec<u64> {
        let n = self.len();
        // All set, then the exceptions cleared: a branch-free pass over the merges rather
        // than a test per id (7.7 M instructions of Qwen3.5's first pass before).
        let mut set = vec![u64::MAX; n.div_ceil(64)];
        if n % 64 != 0 {
            set[n / 64] = (1 << (n % 64)) - 1;
        }
        for (i, &(l, _)) in self.merges.iter().enumerate() {
            // A token that no merge produces, unless it is a single byte.
            let raw = l == u32::MAX && self.token_len(i as u32) != 1;
            set[i / 64] &= !((raw as u64) << (i % 64));
        }
        for &id in &self.never_emitted {
            set[id as usize / 64] &= !(1 << (id % 64));
        }
        set
    }

    /// The id of each single-byte token (the lowest, if several), `u32::MAX` where none.
    pub(crate) fn byte_ids(&self) -> [u32; 256] {
        let mut ids = [u32::MAX; 256];
        let mut found = 0;
        for id in 0..self.len() as u32 {
            if self.token_len(id) != 1 {
                continue;
            }
            let b = self.byte_of(id) as usize;
            if ids[b] == u32::MAX {
                ids[b] = id;
                found += 1;
                if found == 256 {
                    // Every byte has its lowest id (the embedded files: ids 0 to 255), so the
                    // rest of a large vocabulary need not be read.
                    break;
                }
            }
        }
        ids
    }

    /// Parses the compact form (`QMV2`, or `QMV3` with tokens that no merge produces).
    pub(crate) fn from_compact(data: &[u8]) -> Result<Vocab, LoadError> {
        let err = |message: &str| LoadError {
            source_kind: "compact vocabulary",
            location: "header".into(),
            message: message.to_string(),
        };
        let v3 = match data.get(..4) {
            Some(b"QMV2") => false,
            Some(b"QMV3") => true,
            _ => return Err(err("missing the QMV2 or QMV3 header")),
        };
        if data.len() < 8 + 256 {
            return Err(err("shorter than its header"));
        }
        let count = u32::from_le_bytes([data[4], data[5], data[6], data[7]]) as usize;
        let n = count
            .checked_sub(256)
            .ok_or_else(|| err("fewer than 256 tokens"))?;
        if count > crate::maps::MAX_VOCAB {
            return Err(err("more tokens than the engine supports"));
        }
        let planes_end = 8 + 256 + 6 * n;
        let mut never_emitted = Vec::new();
        let raw_tokens: Vec<&[u8]> = if v3 {
            let t = data
                .get(planes_end..planes_end + 4)
                .ok_or_else(|| err("file size does not match the token count"))?;
            let k = u32::from_le_bytes([t[0], t[1], t[2], t[3]]) as usize;
            let mut at = planes_end + 4;
            let mut raws = Vec::with_capacity(k.min(n));
            for _ in 0..k {
                let len = *data
                    .get(at)
                    .ok_or_else(|| err("the list of unmerged tokens is cut short"))?
                    as usize;
                let t = data
                    .get(at + 1..at + 1 + len)
                    .filter(|_| len > 0)
                    .ok_or_else(|| err("the list of unmerged tokens is cut short"))?;
                raws.push(t);
                at += 1 + len;
            }
            let k = data
                .get(at..at + 4)
                .map(|t| u32::from_le_bytes([t[0], t[1], t[2], t[3]]) as usize)
                .ok_or_else(|| err("the list of never emitted tokens is missing"))?;
            at += 4;
            let ids = data
                .get(at..)
                .filter(|rest| rest.len() == 4 * k)
                .ok_or_else(|| err("file size does not match the token count"))?;
            never_emitted = ids
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            if never_emitted.windows(2).any(|w| w[0] >= w[1]) {
                return Err(err("the never emitted ids are not ascending"));
            }
            raws
        } else {
            if data.len() != planes_end {
                return Err(err("file size does not match the token count"));
            }
            Vec::new()
        };
        let planes = &data[8 + 256..planes_end];
        let (l0, rest) = planes.split_at(n);
        let (l1, rest) = rest.split_at(n);
        let (l2, rest) = rest.split_at(n);
        let (r0, rest) = rest.split_at(n);
        let (r1, r2) = rest.split_at(n);
        let mut merges = Vec::with_capacity(count);
        merges.resize(256, (u32::MAX, u32::MAX));
        // Offsets first, from the parts' lengths, so the bytes can be written into one buffer
        // of the right size without a `memmove` call per token. One pass over the six planes
        // with iterators (no index arithmetic or bounds checks per plane byte): this loop is
        // most of Qwen3.5's start-up (the bytes are copied later, when first needed).
        let mut offsets = Vec::with_capacity(count + 1);
        offsets.extend(0..=256u32);
        let mut raws = raw_tokens.iter();
        let mut end = 256u64;
        let planes = l0.iter().zip(l1).zip(l2).zip(r0.iter().zip(r1).zip(r2));
        for (i, (((&a0, &a1), &a2), ((&b0, &b1), &b2))) in planes.enumerate() {
            let l = a0 as u32 | (a1 as u32) << 8 | (a2 as u32) << 16;
            let r = b0 as u32 | (b1 as u32) << 8 | (b2 as u32) << 16;
            let id = 256 + i as u32;
            let len = if l >= id || r >= id {
                if !(v3 && l == RAW && r == RAW) {
                    return Err(LoadError {
                        source_kind: "compact vocabulary",
                        location: format!("token {id}"),
                        message: "a merge refers to a later token".into(),
                    });
                }
                let t = raws.next().ok_or_else(|| LoadError {
                    source_kind: "compact vocabulary",
                    location: format!("token {id}"),
                    message: "more unmerged tokens than listed".into(),
                })?;
                merges.push((u32::MAX, u32::MAX));
                t.len() as u64
            } else {
                merges.push((l, r));
                let len = |t: u32| offsets[t as usize + 1] - offsets[t as usize];
                len(l) as u64 + len(r) as u64
            };
            end += len;
            if end > u32::MAX as u64 {
                return Err(err("more than 4 GiB of token bytes"));
            }
            offsets.push(end as u32);
        }
        if raws.next().is_some() {
            return Err(err("fewer unmerged tokens than listed"));
        }
        let mut seed = Vec::with_capacity(256 + raw_tokens.iter().map(|t| t.len()).sum::<usize>());
        seed.extend_from_slice(&data[8..8 + 256]);
        raw_tokens.iter().for_each(|t| seed.extend_from_slice(t));
        Ok(Vocab {
            bytes: OnceLock::new(),
            seed,
            offsets,
            merges,
            never_emitted,
        })
    }

    /// Builds a vocabulary from ranked byte strings (a tiktoken file), deriving each token's
    /// merge the way rank-ordered BPE reaches it: joining again and again, in the token's
    /// bytes, the adjacent pair whose concatenation is the lowest-ranked token below it
    /// (leftmost among equals) ends in two parts, and those two parts are its merge. A token
    /// where it ends in more parts has no merge: BPE never emits it, as with merge-based
    /// tokenizers (Qwen3.5 has 232 such tokens).
    pub(crate) fn from_ranked(
        tokens: Vec<Vec<u8>>,
        kind: &'static str,
    ) -> Result<Vocab, LoadError> {
        let err = |id: usize, message: &str| LoadError {
            source_kind: kind,
            location: format!("token {id}"),
            message: message.to_string(),
        };
        if tokens.len() > crate::maps::MAX_VOCAB {
            return Err(LoadError {
                source_kind: kind,
                location: "vocabulary".into(),
                message: format!(
                    "{} tokens: at most {} are supported",
                    tokens.len(),
                    crate::maps::MAX_VOCAB
                ),
            });
        }
        if let Some(id) = tokens.iter().position(|t| t.is_empty() || t.len() > 255) {
            return Err(err(id, "token length must be 1 to 255 bytes"));
        }
        let mut v = Vocab::unmerged(&tokens, kind)?;
        let all = vec![u64::MAX; tokens.len().div_ceil(64)];
        let map = crate::maps::TokenMap::build(&v, &all);
        let mut merges = vec![(u32::MAX, u32::MAX); tokens.len()];
        // Part boundaries (part k is `t[cuts[k]..cuts[k + 1]]`) and the rank of each adjacent
        // pair's concatenation (`u32::MAX` when it is no token below the one derived).
        let mut cuts = Vec::new();
        let mut ranks = Vec::new();
        for (id, t) in tokens.iter().enumerate() {
            if t.len() == 1 {
                continue;
            }
            let below = |s: &[u8]| map.get(&v, s).filter(|&r| (r as usize) < id);
            cuts.clear();
            cuts.extend(0..=t.len());
            ranks.clear();
            ranks.extend((0..t.len() - 1).map(|k| below(&t[k..k + 2]).unwrap_or(u32::MAX)));
            while let Some((k, _)) = ranks
                .iter()
                .enumerate()
                .filter(|&(_, &r)| r != u32::MAX)
                .min_by_key(|&(k, &r)| (r, k))
            {
                cuts.remove(k + 1);
                ranks.remove(k);
                if k + 2 < cuts.len() {
                    ranks[k] = below(&t[cuts[k]..cuts[k + 2]]).unwrap_or(u32::MAX);
                }
                if k > 0 {
                    ranks[k - 1] = below(&t[cuts[k - 1]..cuts[k + 1]]).unwrap_or(u32::MAX);
                }
            }
            if let [0, cut, _] = cuts[..] {
                // Both parts are tokens: each was joined from lower-ranked pairs (or a byte).
                if let (Some(l), Some(r)) = (map.get(&v, &t[..cut]), map.get(&v, &t[cut..])) {
                    merges[id] = (l, r);
                }
            }
        }
        v.merges = merges;
        Ok(v)
    }
}
