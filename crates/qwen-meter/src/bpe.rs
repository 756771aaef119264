//! Byte-level BPE merge engine: exact, allocation-free for short pieces, `O(n log n)` for long.
//!
//! The reference (Hugging Face `tokenizers`) merges, among all adjacent pairs that appear in
//! its merge list, the pair with the lowest merge rank, leftmost first, until none is left.
//! Qwen's merge `i` creates token `256 + i`, so a pair's rank is simply the id it merges into.
//! A piece that is itself a token is answered by one hash look-up: every Qwen token is
//! reachable, i.e. BPE of its bytes gives back the token (a test checks all 151,643).

use std::cell::RefCell;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::vocab::Vocab;

const EMPTY: u32 = u32::MAX;

#[inline]
fn mix(x: u64) -> u64 {
    // A strong 64-bit finaliser (from splitmix64): cheap and spreads low bits well.
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[inline]
pub(crate) fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h = mix(h ^ u64::from_le_bytes(c.try_into().unwrap()));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = mix(h ^ u64::from_le_bytes(buf) ^ 0xA5);
    }
    h
}

/// Open-addressing map from token bytes to id; keys live in the vocabulary.
pub(crate) struct TokenMap {
    slots: Vec<u32>,
    mask: usize,
}

impl TokenMap {
    pub(crate) fn build(v: &Vocab) -> TokenMap {
        let cap = (v.len() * 2).next_power_of_two().max(16);
        let mask = cap - 1;
        let items = (0..v.len() as u32)
            .map(|id| ((hash_bytes(v.token(id)) as usize & mask) as u32, id))
            .collect();
        let mut m = TokenMap {
            slots: vec![EMPTY; cap],
            mask,
        };
        // Duplicate bytes (not in Qwen's vocabulary) share a home slot; the lower id is
        // placed first and so is the one found, as in the reference.
        for (slot, id) in sorted_by_slot(items) {
            let mut i = slot as usize;
            while m.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            m.slots[i] = id;
        }
        m
    }

    #[inline]
    pub(crate) fn get(&self, v: &Vocab, key: &[u8]) -> Option<u32> {
        let mut i = hash_bytes(key) as usize & self.mask;
        loop {
            let s = self.slots[i];
            if s == EMPTY {
                return None;
            }
            if v.token(s) == key {
                return Some(s);
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// `(home slot, payload)` items in slot order, for filling a linear-probing table: the writes
/// then sweep the table once instead of landing at random (the tables are megabytes, and
/// random writes made start-up miss the cache some 300,000 times).
fn sorted_by_slot(mut items: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    radix_sort_by_slot(&mut items);
    items
}

/// Stable LSD radix sort on the slot, 11 bits a pass (slots stay below 2^22).
fn radix_sort_by_slot(items: &mut Vec<(u32, u32)>) {
    let mut tmp = vec![(0u32, 0u32); items.len()];
    for shift in [0u32, 11] {
        let mut counts = [0usize; 2049];
        for &(s, _) in items.iter() {
            counts[((s >> shift) & 0x7FF) as usize + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        for &it in items.iter() {
            let b = ((it.0 >> shift) & 0x7FF) as usize;
            tmp[counts[b]] = it;
            counts[b] += 1;
        }
        std::mem::swap(items, &mut tmp);
    }
}

/// Open-addressing map from an adjacent pair of ids to the id they merge into (its rank).
pub(crate) struct PairMap {
    keys: Vec<u64>,
    vals: Vec<u32>,
    mask: usize,
}

impl PairMap {
    pub(crate) fn with_capacity(n: usize) -> PairMap {
        let cap = (n * 2).next_power_of_two().max(16);
        PairMap {
            keys: vec![u64::MAX; cap],
            vals: vec![EMPTY; cap],
            mask: cap - 1,
        }
    }

    /// The map of all merges `(left, right)` at index `id` (entries of `EMPTY` are skipped).
    pub(crate) fn build(merges: &[(u32, u32)]) -> PairMap {
        let mut m = PairMap::with_capacity(merges.len());
        let mask = m.mask;
        let items = merges
            .iter()
            .enumerate()
            .filter(|(_, (l, _))| *l != EMPTY)
            .map(|(id, &(l, r))| {
                (
                    (mix(((l as u64) << 32) | r as u64) as usize & mask) as u32,
                    id as u32,
                )
            })
            .collect();
        for (slot, id) in sorted_by_slot(items) {
            let (l, r) = merges[id as usize];
            let mut i = slot as usize;
            while m.keys[i] != u64::MAX {
                i = (i + 1) & mask;
            }
            m.keys[i] = ((l as u64) << 32) | r as u64;
            m.vals[i] = id;
        }
        m
    }

    pub(crate) fn insert(&mut self, a: u32, b: u32, merged: u32) {
        let key = ((a as u64) << 32) | b as u64;
        let mut i = mix(key) as usize & self.mask;
        while self.keys[i] != u64::MAX && self.keys[i] != key {
            i = (i + 1) & self.mask;
        }
        if self.keys[i] == key && self.vals[i] <= merged {
            return; // the earlier merge of a pair wins
        }
        self.keys[i] = key;
        self.vals[i] = merged;
    }

    /// The id `a b` merges into, or `u32::MAX` when the pair is not a merge.
    #[inline(always)]
    pub(crate) fn get(&self, a: u32, b: u32) -> u32 {
        let key = ((a as u64) << 32) | b as u64;
        let mut i = mix(key) as usize & self.mask;
        loop {
            let k = self.keys[i];
            if k == key {
                return self.vals[i];
            }
            if k == u64::MAX {
                return EMPTY;
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// The merge engine over one vocabulary.
pub(crate) struct Bpe {
    /// Unique per engine, so a thread's memo never serves one engine's pieces to another.
    id: u64,
    pub vocab: Vocab,
    pub tokens: TokenMap,
    pub pairs: PairMap,
    pub byte_ids: [u32; 256],
}

/// Longest piece the memo keeps, in bytes.
const MEMO_KEY: usize = 24;
/// Most ids a memo entry holds.
const MEMO_IDS: usize = 6;
const MEMO_BITS: u32 = 14;

#[derive(Clone, Copy, Default)]
struct MemoEntry {
    key: [u64; 3],
    len: u8,
    n: u8,
    ids: [u32; MEMO_IDS],
}

/// A direct-mapped cache of piece -> ids, one per thread, reset when another engine uses it.
pub(crate) struct Memo {
    owner: u64,
    entries: Box<[MemoEntry]>,
}

impl Memo {
    fn reset(&mut self, owner: u64) {
        self.owner = owner;
        if self.entries.is_empty() {
            self.entries = vec![MemoEntry::default(); 1 << MEMO_BITS].into_boxed_slice();
        } else {
            self.entries.fill(MemoEntry::default());
        }
    }
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo { owner: 0, entries: Box::default() });
}

#[inline(always)]
fn pack(piece: &[u8]) -> [u64; 3] {
    let mut buf = [0u8; 24];
    buf[..piece.len()].copy_from_slice(piece);
    [
        u64::from_le_bytes(buf[0..8].try_into().unwrap()),
        u64::from_le_bytes(buf[8..16].try_into().unwrap()),
        u64::from_le_bytes(buf[16..24].try_into().unwrap()),
    ]
}

#[inline(always)]
fn memo_slot(key: &[u64; 3], len: usize) -> usize {
    let h = (key[0] ^ key[1].rotate_left(21) ^ key[2].rotate_left(42) ^ len as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> (64 - MEMO_BITS)) as usize
}

/// Pieces up to this many bytes use the simple scan; longer ones the heap.
const SHORT: usize = 96;

impl Bpe {
    pub(crate) fn new(vocab: Vocab) -> Bpe {
        let tokens = TokenMap::build(&vocab);
        let mut byte_ids = [EMPTY; 256];
        for id in 0..vocab.len() as u32 {
            let t = vocab.token(id);
            if t.len() == 1 && byte_ids[t[0] as usize] == EMPTY {
                byte_ids[t[0] as usize] = id;
            }
        }
        let pairs = PairMap::build(&vocab.merges);
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        Bpe {
            id,
            vocab,
            tokens,
            pairs,
            byte_ids,
        }
    }

    /// Appends the ids of one piece to `out`.
    #[inline]
    pub(crate) fn encode_piece(&self, piece: &[u8], out: &mut Vec<u32>) {
        if let Some(id) = self.single(piece) {
            out.push(id);
        } else if piece.len() <= SHORT {
            self.merge_short(piece, |id| out.push(id));
        } else {
            self.merge_long(piece, |id| out.push(id));
        }
    }

    /// Number of tokens of one piece.
    #[inline]
    pub(crate) fn count_piece(&self, piece: &[u8]) -> usize {
        if self.single(piece).is_some() {
            1
        } else if piece.len() <= SHORT {
            let mut n = 0;
            self.merge_short(piece, |_| n += 1);
            n
        } else {
            let mut n = 0;
            self.merge_long(piece, |_| n += 1);
            n
        }
    }

    /// Runs `f` with this thread's memo of recent pieces (or none if it is in use).
    pub(crate) fn with_memo<R>(&self, f: impl FnOnce(Option<&mut Memo>) -> R) -> R {
        MEMO.with(|m| match m.try_borrow_mut() {
            Ok(mut m) => {
                if m.owner != self.id {
                    m.reset(self.id);
                }
                f(Some(&mut m))
            }
            Err(_) => f(None),
        })
    }

    /// [`Bpe::encode_piece`] through the memo: text repeats words, so most pieces are answered
    /// from a small cache that stays in L2, without touching the large tables.
    #[inline]
    pub(crate) fn encode_piece_memo(
        &self,
        memo: Option<&mut Memo>,
        piece: &[u8],
        out: &mut Vec<u32>,
    ) {
        let Some(memo) = memo.filter(|_| piece.len() > 1 && piece.len() <= MEMO_KEY) else {
            return self.encode_piece(piece, out);
        };
        let key = pack(piece);
        let slot = &mut memo.entries[memo_slot(&key, piece.len())];
        if slot.len as usize == piece.len() && slot.key == key {
            out.extend_from_slice(&slot.ids[..slot.n as usize]);
            return;
        }
        let start = out.len();
        self.encode_piece(piece, out);
        let n = out.len() - start;
        if n <= MEMO_IDS {
            slot.key = key;
            slot.len = piece.len() as u8;
            slot.n = n as u8;
            slot.ids[..n].copy_from_slice(&out[start..]);
        }
    }

    /// [`Bpe::count_piece`] through the memo.
    #[inline]
    pub(crate) fn count_piece_memo(&self, memo: Option<&mut Memo>, piece: &[u8]) -> usize {
        let Some(memo) = memo.filter(|_| piece.len() > 1 && piece.len() <= MEMO_KEY) else {
            return self.count_piece(piece);
        };
        let key = pack(piece);
        let slot = &mut memo.entries[memo_slot(&key, piece.len())];
        if slot.len as usize == piece.len() && slot.key == key {
            return slot.n as usize;
        }
        let mut ids = Vec::new();
        self.encode_piece(piece, &mut ids);
        if ids.len() <= MEMO_IDS {
            slot.key = key;
            slot.len = piece.len() as u8;
            slot.n = ids.len() as u8;
            slot.ids[..ids.len()].copy_from_slice(&ids);
        }
        ids.len()
    }

    #[inline(always)]
    fn single(&self, piece: &[u8]) -> Option<u32> {
        if piece.len() == 1 {
            let id = self.byte_ids[piece[0] as usize];
            return (id != EMPTY).then_some(id);
        }
        self.tokens.get(&self.vocab, piece)
    }

    /// Quadratic-in-length scan over a small stack buffer; fastest for word-sized pieces.
    fn merge_short(&self, piece: &[u8], mut emit: impl FnMut(u32)) {
        let mut ids = [0u32; SHORT];
        let mut ranks = [EMPTY; SHORT];
        let mut n = piece.len();
        for (i, &b) in piece.iter().enumerate() {
            ids[i] = self.byte_ids[b as usize];
        }
        for i in 0..n - 1 {
            ranks[i] = self.pairs.get(ids[i], ids[i + 1]);
        }
        loop {
            let mut best = EMPTY;
            let mut at = 0;
            for (i, &r) in ranks[..n - 1].iter().enumerate() {
                if r < best {
                    best = r;
                    at = i;
                }
            }
            if best == EMPTY {
                break;
            }
            ids[at] = best;
            ids.copy_within(at + 2..n, at + 1);
            ranks.copy_within(at + 2..n, at + 1);
            n -= 1;
            if at + 1 < n {
                ranks[at] = self.pairs.get(ids[at], ids[at + 1]);
            } else {
                ranks[at] = EMPTY;
            }
            if at > 0 {
                ranks[at - 1] = self.pairs.get(ids[at - 1], ids[at]);
            }
            if n == 1 {
                break;
            }
        }
        ids[..n].iter().for_each(|&id| emit(id));
    }

    fn merge_long(&self, piece: &[u8], emit: impl FnMut(u32)) {
        merge_long(&self.pairs, &self.byte_ids, piece, emit)
    }
}

/// Heap of candidate merges over a linked list of symbols: `O(n log n)` for any piece.
pub(crate) fn merge_long(
    pairs: &PairMap,
    byte_ids: &[u32; 256],
    piece: &[u8],
    mut emit: impl FnMut(u32),
) {
    let n = piece.len();
    let mut ids: Vec<u32> = piece.iter().map(|&b| byte_ids[b as usize]).collect();
    let mut next: Vec<usize> = (1..=n).collect();
    let mut prev: Vec<usize> = (0..n).map(|i| i.wrapping_sub(1)).collect();
    let mut alive = vec![true; n];
    // Min-heap on (rank, position) by storing the bitwise complement.
    let mut heap = BinaryHeap::with_capacity(n);
    for i in 0..n - 1 {
        let r = pairs.get(ids[i], ids[i + 1]);
        if r != EMPTY {
            heap.push(!(((r as u64) << 32) | i as u64));
        }
    }
    while let Some(e) = heap.pop() {
        let e = !e;
        let (r, i) = ((e >> 32) as u32, (e & 0xFFFF_FFFF) as usize);
        let j = next[i];
        // Skip stale entries: the symbol or its right neighbour changed since the push.
        if !alive[i] || j >= n || pairs.get(ids[i], ids[j]) != r {
            continue;
        }
        ids[i] = r;
        alive[j] = false;
        next[i] = next[j];
        if next[j] < n {
            prev[next[j]] = i;
        }
        if next[i] < n {
            let r2 = pairs.get(ids[i], ids[next[i]]);
            if r2 != EMPTY {
                heap.push(!(((r2 as u64) << 32) | i as u64));
            }
        }
        let p = prev[i];
        if p < n {
            let r2 = pairs.get(ids[p], ids[i]);
            if r2 != EMPTY {
                heap.push(!(((r2 as u64) << 32) | p as u64));
            }
        }
    }
    let mut i = 0;
    while i < n {
        emit(ids[i]);
        i = next[i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::{QWEN_VOCAB, Vocab};

    /// The single-look-up shortcut in `encode_piece` is exact only if BPE of every token's
    /// bytes gives back that token; check all of them with the general merge.
    #[test]
    fn every_token_is_reachable() {
        let bpe = Bpe::new(Vocab::from_compact(QWEN_VOCAB).unwrap());
        let mut unreachable = Vec::new();
        for id in 0..bpe.vocab.len() as u32 {
            let mut out = Vec::new();
            merge_long(&bpe.pairs, &bpe.byte_ids, bpe.vocab.token(id), |t| {
                out.push(t)
            });
            if out != [id] {
                unreachable.push(id);
            }
        }
        assert_eq!(unreachable, Vec::<u32>::new());
    }

    #[test]
    fn short_and_long_merges_agree() {
        let bpe = Bpe::new(Vocab::from_compact(QWEN_VOCAB).unwrap());
        for text in [
            "hellohellohello",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "                                  x",
            "中文中文中文中文中文中文中文中文",
        ] {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            bpe.merge_short(text.as_bytes(), |t| a.push(t));
            merge_long(&bpe.pairs, &bpe.byte_ids, text.as_bytes(), |t| b.push(t));
            assert_eq!(a, b, "{text:?}");
        }
    }
}
