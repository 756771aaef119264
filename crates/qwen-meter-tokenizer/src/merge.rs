//! Direct merging: the reference's algorithm itself, for the text a tokenizer sees before its
//! trie is built (and as the yardstick the tests hold the backtracking encoder to).
//!
//! The reference (Hugging Face `tokenizers`) merges, among all adjacent pairs of a piece that
//! appear in its merge list, the pair with the lowest merge rank, leftmost first, until none
//! is left. Qwen's merge `i` creates token `256 + i`, so a pair's rank is simply the id it
//! merges into, and the pair table answers both "is this a merge" and "which one first".
//!
//! Three forms, by piece length: [`merge_short`] keeps the ids and the rank of each adjacent
//! pair in two stack arrays and rescans them for the minimum after each merge (quadratic, but
//! a word is a handful of bytes and the scan vectorises, so it beats any priority queue);
//! [`merge_heap`], from [`HEAP_AFTER`] bytes, keeps candidate pairs in a binary heap on the
//! stack over a linked list of symbols (the long words of non-Latin scripts, which Qwen3.5's
//! pre-tokenizer keeps whole with their combining marks, took the scan most of a first pass);
//! [`merge_long`] keeps candidate pairs in buckets by rank over a linked list of symbols, in
//! `O(n log n)`, for the rare piece longer than [`SHORT`] (a line of CJK, a run of one symbol).
//! Neither zeroes a large stack buffer per call (the scan sizes its buffers to the piece, the
//! heap leaves its candidate buffer uninitialised): that cost more than merging a word.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::mem::MaybeUninit;

use crate::maps::{EMPTY, PairMap};

/// Pieces up to this many bytes fit the stack buffers of [`merge_short`] and [`merge_heap`];
/// longer ones need [`merge_long`].
pub(crate) const SHORT: usize = 192;

/// Quadratic-in-length scan over a small stack buffer; fastest for word-sized pieces.
/// `piece` is 1 to [`SHORT`] bytes.
pub(crate) fn merge_short(
    byte_ids: &[u32; 256],
    piece: &[u8],
    pair: impl FnMut(u32, u32) -> u32,
    emit: impl FnMut(u32),
) {
    // Buffers sized for the piece: zeroing 1.5 KB of stack per call cost more than the
    // merging of a short word.
    if piece.len() <= 32 {
        scan::<32>(byte_ids, piece, pair, emit)
    } else {
        scan::<SHORT>(byte_ids, piece, pair, emit)
    }
}

fn scan<const N: usize>(
    byte_ids: &[u32; 256],
    piece: &[u8],
    mut pair: impl FnMut(u32, u32) -> u32,
    mut emit: impl FnMut(u32),
) {
    let mut ids = [0u32; N];
    let mut ranks = [EMPTY; N];
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

/// Pieces longer than this (up to [`SHORT`]) use [`merge_heap`]: from about here a heap's
/// `O(log n)` per merge beats the scan's `O(n)` (measured at 12, 16, 24 and 32 on first
/// passes of European, CJK and Indic text; Indic and other non-Latin words, which Qwen3.5's
/// combining-mark rule keeps whole, are 20 to 60 bytes).
pub(crate) const HEAP_AFTER: usize = 16;

/// A binary min-heap of merge candidates on the stack: at most `n - 1` initial pairs and two
/// per merge, so `3 * n` entries always suffice. The buffer is left uninitialised (zeroing
/// 1.5 KB per piece cost more than a third of the heap's own work on short words): every
/// entry below `len` has been written, and only those are read.
struct Candidates<const M: usize> {
    keys: [MaybeUninit<u64>; M],
    len: usize,
}

impl<const M: usize> Candidates<M> {
    fn new() -> Self {
        Candidates {
            keys: [const { MaybeUninit::uninit() }; M],
            len: 0,
        }
    }

    /// Entry `i`, which must be below `len` (or below `len` before a pop shortened it).
    #[inline(always)]
    fn at(&self, i: usize) -> u64 {
        debug_assert!(i <= self.len);
        // SAFETY: the callers read only indices below the heap's length (in `pop`, below its
        // length before the pop), and every such index was written: `push` writes the slot
        // it ends in and moves only written parents into the hole that starts at the old
        // length, so the slots `0..len` are always initialised.
        unsafe { self.keys[i].assume_init() }
    }

    #[inline(always)]
    fn push(&mut self, key: u64) {
        let mut i = self.len;
        self.len += 1;
        while i > 0 {
            let parent = (i - 1) / 2;
            let p = self.at(parent);
            if p <= key {
                break;
            }
            self.keys[i] = MaybeUninit::new(p);
            i = parent;
        }
        self.keys[i] = MaybeUninit::new(key);
    }

    #[inline(always)]
    fn pop(&mut self) -> Option<u64> {
        if self.len == 0 {
            return None;
        }
        let top = self.at(0);
        self.len -= 1;
        let last = self.at(self.len);
        let n = self.len;
        let mut i = 0;
        loop {
            let mut child = 2 * i + 1;
            if child >= n {
                break;
            }
            let mut c = self.at(child);
            if child + 1 < n {
                let right = self.at(child + 1);
                if right < c {
                    child += 1;
                    c = right;
                }
            }
            if c >= last {
                break;
            }
            self.keys[i] = MaybeUninit::new(c);
            i = child;
        }
        if n > 0 {
            self.keys[i] = MaybeUninit::new(last);
        }
        Some(top)
    }
}

/// Direct merging of a medium piece (2 to [`SHORT`] bytes) with a heap of candidate pairs on
/// the stack, over a linked list of symbols: `O(n log n)` without the allocations of
/// [`merge_long`].
///
/// A candidate is `rank << 24 | position << 16 | stamp`, so the heap yields the lowest rank
/// and, among equal ranks, the leftmost position (positions are the symbols' first bytes, in
/// order), as the reference merges. A position's stamp changes whenever the pair that starts
/// there changes (its symbol or its right neighbour merged, or it was merged away), which
/// marks every older candidate of that position stale without looking the pair up again.
/// New pairs rank above the merge just made (a merge's id is above its parts'), so the
/// order of ranks popped only rises, as in [`merge_long`].
pub(crate) fn merge_heap(
    byte_ids: &[u32; 256],
    piece: &[u8],
    pair: impl FnMut(u32, u32) -> u32,
    emit: impl FnMut(u32),
) {
    // Buffers sized for the piece, as in `merge_short` (the heap is 24 bytes a byte).
    if piece.len() <= 64 {
        heap::<64, { 3 * 64 }>(byte_ids, piece, pair, emit)
    } else {
        heap::<SHORT, { 3 * SHORT }>(byte_ids, piece, pair, emit)
    }
}

/// [`merge_heap`] for pieces of up to `N` bytes, with a heap of `M = 3 * N` entries.
fn heap<const N: usize, const M: usize>(
    byte_ids: &[u32; 256],
    piece: &[u8],
    mut pair: impl FnMut(u32, u32) -> u32,
    mut emit: impl FnMut(u32),
) {
    const NONE: u8 = u8::MAX;
    let n = piece.len();
    debug_assert!((2..=N).contains(&n) && N < NONE as usize && M == 3 * N);
    let mut ids = [0u32; N];
    let mut next = [0u8; N];
    let mut prev = [0u8; N];
    let mut stamp = [0u16; N];
    let mut heap = Candidates::<M>::new();
    let key =
        |rank: u32, at: usize, stamp: u16| (rank as u64) << 24 | (at as u64) << 16 | stamp as u64;
    for (i, &b) in piece.iter().enumerate() {
        ids[i] = byte_ids[b as usize];
        next[i] = (i + 1) as u8;
        prev[i] = (i as u8).wrapping_sub(1);
    }
    for i in 0..n - 1 {
        let r = pair(ids[i], ids[i + 1]);
        if r != EMPTY {
            heap.push(key(r, i, 0));
        }
    }
    while let Some(k) = heap.pop() {
        let i = (k >> 16 & 0xFF) as usize;
        if stamp[i] != k as u16 {
            continue;
        }
        let r = (k >> 24) as u32;
        let j = next[i] as usize;
        ids[i] = r;
        stamp[i] += 1;
        stamp[j] += 1;
        let after = next[j] as usize;
        next[i] = after as u8;
        if after < n {
            prev[after] = i as u8;
            let r2 = pair(r, ids[after]);
            if r2 != EMPTY {
                heap.push(key(r2, i, stamp[i]));
            }
        }
        let p = prev[i];
        if p != NONE {
            let p = p as usize;
            stamp[p] += 1;
            let r2 = pair(ids[p], r);
            if r2 != EMPTY {
                heap.push(key(r2, p, stamp[p]));
            }
        }
    }
    let mut i = 0;
    while i < n {
        emit(ids[i]);
        i = next[i] as usize;
    }
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
