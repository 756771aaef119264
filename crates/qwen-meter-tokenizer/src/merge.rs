//! Direct merging: the reference's algorithm itself, for the text a tokenizer sees before its
//! trie is built (and as the yardstick the tests hold the backtracking encoder to).
//!
//! The reference (Hugging Face `tokenizers`) merges, among all adjacent pairs of a piece that
//! appear in its merge list, the pair with the lowest merge rank, leftmost first, until none
//! is left. Qwen's merge `i` creates token `256 + i`, so a pair's rank is simply the id it
//! merges into, and the pair table answers both "is this a merge" and "which one first".
//!
//! Two forms, by piece length: [`merge_short`] keeps the ids and the rank of each adjacent
//! pair in two stack arrays and rescans them for the minimum after each merge (quadratic, but
//! a word is a handful of bytes and the scan vectorises, so it beats any priority queue);
//! [`merge_long`] keeps candidate pairs in buckets by rank over a linked list of symbols, in
//! `O(n log n)`, for the rare long piece (a line of CJK, a run of one symbol).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use crate::maps::{EMPTY, PairMap};

/// Pieces up to this many bytes may use [`merge_short`]; longer ones need [`merge_long`].
pub(crate) const SHORT: usize = 192;

/// Quadratic-in-length scan over a small stack buffer; fastest for word-sized pieces.
/// `piece` is 1 to [`SHORT`] bytes.
pub(crate) fn merge_short(
    byte_ids: &[u32; 256],
    piece: &[u8],
    mut pair: impl FnMut(u32, u32) -> u32,
    mut emit: impl FnMut(u32),
) {
    let mut ids = [0u32; SHORT];
    let mut ranks = [EMPTY; SHORT];
    let mut n = piece.len();
    for (i, &b) in piece.iter().enumerate() {
        ids[i] = byte_ids[b as usize];
    }
    for i in 0..n - 1 {
        ranks[i] = pair(ids[i], ids[i + 1]);
    }
    loop {
        // A branch-free minimum (vectorised), then its leftmost position.
        let best = ranks[..n - 1].iter().copied().fold(EMPTY, u32::min);
        if best == EMPTY {
            break;
        }
        let at = ranks[..n - 1].iter().position(|&r| r == best).unwrap_or(0);
        ids[at] = best;
        ids.copy_within(at + 2..n, at + 1);
        ranks.copy_within(at + 2..n, at + 1);
        n -= 1;
        if at + 1 < n {
            ranks[at] = pair(ids[at], ids[at + 1]);
        } else {
            ranks[at] = EMPTY;
        }
        if at > 0 {
            ranks[at - 1] = pair(ids[at - 1], ids[at]);
        }
        if n == 1 {
            break;
        }
    }
    ids[..n].iter().for_each(|&id| emit(id));
}

/// Merges of any length in `O(n log n)`: candidate pairs wait in buckets by rank, over a
/// linked list of symbols.
///
/// A merge creates an id above both of its parts (loaders check this), so every pair it makes
/// ranks above the merge just done: ranks come out in increasing order, and each rank's
/// bucket is complete when its turn comes. Sorting a bucket by position gives the reference's
/// leftmost-first order among equal pairs (`aaa` becomes `aa a`).
pub(crate) fn merge_long(
    pairs: &PairMap,
    byte_ids: &[u32; 256],
    piece: &[u8],
    mut emit: impl FnMut(u32),
) {
    let n = piece.len() as u32;
    let mut ids: Vec<u32> = piece.iter().map(|&b| byte_ids[b as usize]).collect();
    // `next[i] == n` ends the list; `prev[i] == u32::MAX` starts it.
    let mut next: Vec<u32> = (1..=n).collect();
    let mut prev: Vec<u32> = (0..n).map(|i| i.wrapping_sub(1)).collect();
    let mut buckets: HashMap<u32, Vec<u32>, BuildHasherDefault<RankHasher>> = HashMap::default();
    let mut ranks: BinaryHeap<Reverse<u32>> = BinaryHeap::new();
    for i in 0..n.saturating_sub(1) {
        let r = pairs.get(ids[i as usize], ids[i as usize + 1]);
        if r != EMPTY {
            push_rank(&mut buckets, &mut ranks, r, i);
        }
    }
    while let Some(Reverse(r)) = ranks.pop() {
        let mut at = buckets.remove(&r).unwrap_or_default();
        at.sort_unstable();
        for i in at {
            let iu = i as usize;
            let j = next[iu];
            // Skip stale entries: the symbol or its right neighbour changed since the push.
            if ids[iu] == EMPTY || j >= n || pairs.get(ids[iu], ids[j as usize]) != r {
                continue;
            }
            ids[iu] = r;
            ids[j as usize] = EMPTY;
            let k = next[j as usize];
            next[iu] = k;
            if k < n {
                prev[k as usize] = i;
                let r2 = pairs.get(r, ids[k as usize]);
                if r2 != EMPTY {
                    push_rank(&mut buckets, &mut ranks, r2, i);
                }
            }
            let p = prev[iu];
            if p != u32::MAX {
                let r2 = pairs.get(ids[p as usize], r);
                if r2 != EMPTY {
                    push_rank(&mut buckets, &mut ranks, r2, p);
                }
            }
        }
    }
    let mut i = 0;
    while i < n {
        emit(ids[i as usize]);
        i = next[i as usize];
    }
}

fn push_rank(
    buckets: &mut HashMap<u32, Vec<u32>, BuildHasherDefault<RankHasher>>,
    ranks: &mut BinaryHeap<Reverse<u32>>,
    r: u32,
    at: u32,
) {
    buckets
        .entry(r)
        .or_insert_with(|| {
            ranks.push(Reverse(r));
            Vec::new()
        })
        .push(at);
}

/// Hashes a rank with one multiply: the keys are small dense integers.
#[derive(Default)]
struct RankHasher(u64);

impl Hasher for RankHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, v: u32) {
        self.0 = (v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}
