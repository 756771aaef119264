//! The engine's two hash tables: token bytes -> id, and an adjacent pair of ids -> the id it
//! merges into.
//!
//! Both are open-addressing tables of integers, probed linearly, with no keys of their own:
//! a slot of the token map holds an id and a few bits of its hash (its bytes live in the
//! vocabulary, so the table is 4 bytes a slot), and a pair entry packs both parts and the result into one `u64` (a probe
//! touches one cache line). A general-purpose `HashMap` would store keys, hash them with a
//! keyed hasher, and spread one look-up over several lines; these are on the hot path of every
//! merge step.

use crate::vocab::{Vocab, poly_hash};

/// "No id": an empty slot, a missing merge, a byte with no token.
pub(crate) const EMPTY: u32 = u32::MAX;

/// Most ids a vocabulary may have: pair entries pack three ids of 21 bits into one `u64`
/// (and the all-ones id means "no merge" in the pair cache).
pub(crate) const MAX_VOCAB: usize = (1 << 21) - 2;

#[inline]
pub(crate) fn mix(x: u64) -> u64 {
    // A strong 64-bit finaliser (from splitmix64): cheap and spreads low bits well.
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Whether `id`'s bit is set in a bit set of ids.
#[inline]
pub(crate) fn bit(set: &[u64], id: u32) -> bool {
    set[id as usize / 64] >> (id % 64) & 1 == 1
}

/// Open-addressing map from token bytes to id; keys live in the vocabulary. A 4-byte slot
/// holds the id plus one in its low bits (so an empty slot is zero and the table comes zeroed
/// from the allocator rather than being filled: megabytes, built during a first pass) and the
/// key's hash in the bits above (14 for Qwen3.5's 248,077 ids), so a probe compares token
/// bytes only when those agree.
///
/// The hash is [`poly_hash`], which composes along merges ([`Vocab::token_hashes`]): the map is
/// built from the merge list alone, without writing out the bytes of a quarter of a million
/// tokens (that rebuild and the hashing of every token took 30 M instructions of Qwen3.5's
/// first pass). A hit is still checked byte for byte ([`Vocab::token_is`]), so a collision
/// costs a probe, never a wrong id.
pub(crate) struct TokenMap {
    slots: Vec<u32>,
    mask: usize,
    /// Bits of a slot that hold the id plus one.
    id_bits: u32,
}

impl TokenMap {
    /// The map of the tokens whose bit is set in `emitted` (the others are never a piece's
    /// BPE, so the look-up must not find them).
    pub(crate) fn build(v: &Vocab, emitted: &[u64]) -> TokenMap {
        let n = v.len();
        let cap = (n + n / 4).next_power_of_two().max(16);
        let mask = cap - 1;
        let mut m = TokenMap {
            slots: vec![0; cap],
            mask,
            id_bits: u32::BITS - (n as u32 + 1).leading_zeros(),
        };
        let hashes = v.token_hashes();
        // In id order, so of two tokens with the same bytes (not in Qwen's vocabulary) the
        // lower id is placed first and is the one found, as in the reference.
        for id in (0..n as u32).filter(|&id| bit(emitted, id)) {
            let (mut i, tag) = m.home(hashes[id as usize]);
            while m.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            m.slots[i] = tag | (id + 1);
        }
        m
    }

    /// The first slot to probe for a key of hash `h`, and the tag its slot carries: the
    /// index from the mixed hash's low bits, the tag from its high ones.
    #[inline(always)]
    fn home(&self, h: u32) -> (usize, u32) {
        let x = mix(h as u64);
        let tag = (x >> 32) as u32 & !((1u32 << self.id_bits) - 1);
        (x as usize & self.mask, tag)
    }

    #[inline]
    pub(crate) fn get(&self, v: &Vocab, key: &[u8]) -> Option<u32> {
        let (mut i, tag) = self.home(poly_hash(key));
        let id_mask = (1u32 << self.id_bits) - 1;
        loop {
            let s = self.slots[i];
            if s == 0 {
                return None;
            }
            let id = (s & id_mask).wrapping_sub(1);
            if s & !id_mask == tag && v.token_is(id, key) {
                return Some(id);
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// Open-addressing map from an adjacent pair of ids to the id they merge into (its rank).
///
/// Each entry packs `left << 42 | right << 21 | merged` into one `u64`, so a probe touches one
/// cache line, and the table for Qwen's 151,387 merges is 2 MB.
pub(crate) struct PairMap {
    entries: Vec<u64>,
    mask: usize,
    shift: u32,
    /// Merges of two single-byte tokens (ids below 256), looked up directly: they are the
    /// first merges of every piece, and all of UTF-8's within-character pairs.
    pub(crate) bytes: Vec<u32>,
}

/// An empty slot. Zero, so the table comes zeroed from the allocator instead of being filled
/// (megabytes at start-up): no entry is zero, as every merged id is above 255, and the one key
/// that is zero, the byte pair `(0, 0)`, is answered by the byte table and never probed.
const NO_ENTRY: u64 = 0;

/// The key of the pair `a b` (21 bits each), as pair entries and the pair caches store it.
#[inline(always)]
pub(crate) fn pair_key(a: u32, b: u32) -> u64 {
    ((a as u64) << 21) | b as u64
}

impl PairMap {
    pub(crate) fn with_capacity(n: usize) -> PairMap {
        let cap = (n + n / 2).next_power_of_two().max(16);
        PairMap {
            entries: vec![NO_ENTRY; cap],
            mask: cap - 1,
            shift: 64 - cap.trailing_zeros(),
            bytes: vec![EMPTY; 1 << 16],
        }
    }

    /// The map of all merges `(left, right)` at index `id` (entries of `EMPTY` are skipped).
    pub(crate) fn build(merges: &[(u32, u32)]) -> PairMap {
        let mut m = PairMap::with_capacity(merges.len());
        // Straight into the table in id order: on the machines measured this beat sorting
        // the entries by slot first (the sort's own passes and pages cost more than the
        // cache misses it saves). Of two equal pairs the lower id is placed first and found.
        for (id, &(l, r)) in merges.iter().enumerate() {
            if l == EMPTY {
                continue;
            }
            let key = pair_key(l, r);
            let mut i = m.home(key);
            while m.entries[i] != NO_ENTRY {
                i = (i + 1) & m.mask;
            }
            m.entries[i] = (key << 21) | id as u64;
            if l < 256 && r < 256 && m.bytes[(l << 8 | r) as usize] == EMPTY {
                m.bytes[(l << 8 | r) as usize] = id as u32;
            }
        }
        m
    }

    /// Fibonacci hashing: one multiply, and the high bits it keeps are well mixed.
    #[inline(always)]
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The id `a b` merges into, or `u32::MAX` when the pair is not a merge.
    #[inline(always)]
    pub(crate) fn get(&self, a: u32, b: u32) -> u32 {
        if a < 256 && b < 256 {
            return self.bytes[(a << 8 | b) as usize];
        }
        let key = pair_key(a, b);
        let mut i = self.home(key);
        loop {
            let e = self.entries[i];
            if e >> 21 == key {
                return (e & 0x1F_FFFF) as u32;
            }
            if e == NO_ENTRY {
                return EMPTY;
            }
            i = (i + 1) & self.mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::vocab::QWEN_VOCAB;

    /// The whole-token map, built from the merges alone (no token bytes yet), finds every
    /// emitted token and nothing else, as a map over the rebuilt bytes does; the hashes
    /// composed along the merges are those of the bytes.
    #[test]
    fn whole_token_map_from_merges_is_exact() {
        map_is_exact(QWEN_VOCAB);
        #[cfg(feature = "embed-qwen3_5")]
        map_is_exact(crate::vocab::QWEN3_5_VOCAB);
    }

    fn map_is_exact(data: &[u8]) {
        let fresh = Vocab::from_compact(data).unwrap();
        let emitted = fresh.emitted_as_listed();
        let composed = fresh.token_hashes();
        let map = TokenMap::build(&fresh, &emitted);
        // The map was built and is probed below without the token bytes; a second
        // vocabulary provides the bytes to check against.
        let other = Vocab::from_compact(data).unwrap();
        let mut expected = HashMap::new();
        for id in 0..other.len() as u32 {
            let t = other.token(id);
            assert_eq!(composed[id as usize], poly_hash(t), "hash of token {id}");
            if bit(&emitted, id) {
                expected.entry(t.to_vec()).or_insert(id);
            }
        }
        for id in 0..other.len() as u32 {
            let t = other.token(id);
            assert_eq!(map.get(&fresh, t), expected.get(t).copied(), "token {id}");
            // Near misses: one byte changed, one dropped, one added.
            let mut k = t.to_vec();
            k[t.len() / 2] ^= 1 << (id % 8);
            assert_eq!(map.get(&fresh, &k), expected.get(&k).copied(), "{k:?}");
            assert_eq!(map.get(&fresh, &t[1..]), expected.get(&t[1..]).copied());
            k = t.to_vec();
            k.push(b'e');
            assert_eq!(map.get(&fresh, &k), expected.get(&k).copied(), "{k:?}");
        }
        // Probing never needed the bytes of all tokens.
        assert!(!fresh.bytes_built());
    }
}
