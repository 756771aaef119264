//! The vocabulary as a byte trie in a double array, for the backtracking encoder: the longest
//! token at a position in one walk, and for every token the next shorter token that is a
//! prefix of it.
//!
//! A double array keeps a step of the walk to one add and one load (`check` says whether the
//! slot `base[s] + byte` really is a child of `s`). Qwen's 151,643 tokens make 333,009 trie
//! nodes; the array holds them in about 2.7 MB, and with the per-token tables (prefix chain,
//! boundary classes) and the pair filter the trie takes 4.1 MB, built once, when a tokenizer
//! first has enough text to encode that the build pays for itself (see `Bpe::trie`).

use crate::vocab::Vocab;

const EMPTY: u32 = u32::MAX;
/// Id bits in [`Trie::info`]; the token's length sits above them.
const ID_BITS: u32 = 21;
const ID_MASK: u32 = (1 << ID_BITS) - 1;

/// A node while building: where its children go, its parent, and the token ending here.
#[derive(Clone, Copy)]
struct Node {
    base: u32,
    check: u32,
    token: u32,
}

const FREE: Node = Node {
    base: 0,
    check: EMPTY,
    token: EMPTY,
};

/// Slot bits of a packed node's `base` and `check` fields.
const SLOT_BITS: u32 = 20;
const SLOT_MASK: u64 = (1 << SLOT_BITS) - 1;
/// A packed node's `check` of a free slot: no node has it as its parent.
const NO_PARENT: u64 = (1 << (SLOT_BITS + 1)) - 1;
const NO_TOKEN: u64 = ID_MASK as u64;

/// A node in one `u64`, so that a step of the walk is one load: `base` (children live at
/// `base + byte`) in bits 0-19, `check` (the parent's slot) in bits 20-40 and the token that
/// ends here (`ID_MASK` if none) in bits 41-61.
#[inline(always)]
fn pack(n: Node) -> u64 {
    let check = if n.check == EMPTY {
        NO_PARENT
    } else {
        n.check as u64
    };
    let token = if n.token == EMPTY {
        NO_TOKEN
    } else {
        n.token as u64
    };
    n.base as u64 | check << SLOT_BITS | token << (2 * SLOT_BITS + 1)
}

/// A token trie over one vocabulary.
pub(crate) struct Trie {
    /// Packed nodes (see [`pack`]), the first three levels in breadth-first order (the short
    /// prefixes that every walk passes through sit together at the front, where they stay in
    /// cache), deeper ones depth first (see [`DEPTH_FIRST_FROM`]).
    nodes: Vec<u64>,
    /// Per token: the next shorter token that is a prefix of it (`ID_MASK` if none) in the low
    /// [`ID_BITS`] bits, and the token's length in bytes above them.
    info: Vec<u32>,
    /// One bit per hash of a merge's `(left, right)`: a clear bit proves a pair is no merge
    /// without a trip to the pair table. Most pairs the compatibility check asks about are
    /// no merge, and 256 KB stays in cache where the 2 MB table does not.
    pair_filter: Vec<u64>,
    /// Per token `t`: the classes (see [`first_byte_class`]) of the first bytes of every `y`
    /// such that `(x, y)` is a merge for some `x` on `t`'s right spine below `t` itself
    /// (`t`'s right part, that part's right part, and so on). A token that does not start
    /// with one of these classes can follow `t` without any merge crossing between them,
    /// unless `t` itself merges with a prefix of it (see `backtrack::encode`).
    boundary: Vec<u32>,
}

const FILTER_BITS: u32 = 21;

/// The class of a token's first byte, as one bit of 32: ASCII by kind, then the lead bytes of
/// the scripts whose text goes to backtracking most (Latin, Greek, Cyrillic, Arabic, Indic,
/// CJK, Hangul), so that their tokens rarely share a class with a byte some merge needs.
const fn first_byte_class(b: u8) -> u32 {
    let class = match b {
        0x00..=0x1F | 0x7F => 0,
        b' ' => 1,
        b'0'..=b'9' => 2,
        b'A'..=b'Z' => 3,
        b'a'..=b'z' => 4,
        0x21..=0x2F => 5,
        0x3A..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E => 6,
        0x80..=0xBF => 7,
        0xC0..=0xC3 => 8,
        0xC4..=0xC5 => 9,
        0xC6..=0xCD => 10,
        0xCE..=0xCF => 11,
        0xD0 => 12,
        0xD1 => 13,
        0xD2..=0xD7 => 14,
        0xD8..=0xDB => 15,
        0xDC..=0xDF => 16,
        0xE0 => 17,
        0xE1 => 18,
        0xE2 => 19,
        0xE3 => 20,
        0xE4 => 21,
        0xE5 => 22,
        0xE6 => 23,
        0xE7 => 24,
        0xE8 => 25,
        0xE9 => 26,
        0xEA..=0xEB => 27,
        0xEC..=0xED => 28,
        0xEE..=0xEF => 29,
        0xF0 => 30,
        0xF1..=0xFF => 31,
    };
    1 << class
}

/// [`first_byte_class`] of every byte.
static CLASS_OF: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = first_byte_class(b as u8);
        b += 1;
    }
    t
};

#[inline(always)]
fn filter_bit(a: u32, b: u32) -> usize {
    let key = (a as u64) << 21 | b as u64;
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - FILTER_BITS)) as usize
}

impl Trie {
    /// The trie of the tokens of `vocab` whose bit is set in `emitted` (the tokens BPE can
    /// emit), or `None` when two of them share the same bytes (the backtracking encoder needs
    /// every byte string to name one token).
    pub(crate) fn build(vocab: &Vocab, emitted: &[u64]) -> Option<Trie> {
        let n = vocab.len();
        if n > ID_MASK as usize {
            return None;
        }
        // Sort by the first sixteen bytes as one integer, then by the whole token where those
        // tie (few do), and lay the sorted tokens out contiguously: the build then reads
        // memory in order.
        let head = |id: u32| {
            let t = vocab.token(id);
            let mut buf = [0u8; 16];
            let k = t.len().min(16);
            buf[..k].copy_from_slice(&t[..k]);
            u128::from_be_bytes(buf)
        };
        let mut keys: Vec<(u128, u32)> = (0..n as u32)
            .filter(|&id| emitted[id as usize / 64] >> (id % 64) & 1 == 1)
            .map(|id| (head(id), id))
            .collect();
        keys.sort_unstable();
        let mut i = 0;
        while i < keys.len() {
            let j = i + keys[i..].iter().take_while(|k| k.0 == keys[i].0).count();
            if j - i > 1 {
                keys[i..j].sort_unstable_by(|a, b| vocab.token(a.1).cmp(vocab.token(b.1)));
            }
            i = j;
        }
        let order: Vec<u32> = keys.iter().map(|k| k.1).collect();
        drop(keys);
        if order
            .windows(2)
            .any(|w| vocab.token(w[0]) == vocab.token(w[1]))
        {
            return None;
        }
        let mut sorted = Vec::with_capacity(vocab.total_bytes());
        let mut starts = Vec::with_capacity(order.len() + 1);
        for &id in &order {
            starts.push(sorted.len() as u32);
            sorted.extend_from_slice(vocab.token(id));
        }
        starts.push(sorted.len() as u32);
        let tok = |i: usize| &sorted[starts[i] as usize..starts[i + 1] as usize];
        let mut info = vec![0u32; n];
        for (id, slot) in info.iter_mut().enumerate() {
            let len = vocab.token(id as u32).len();
            if len == 0 || len > 255 {
                return None;
            }
            *slot = (len as u32) << ID_BITS | ID_MASK;
        }
        let mut b = Builder {
            nodes: vec![FREE; 1 << 19],
            first_free: 1,
            used: vec![0u64; (1 << 19) / 64],
            wide_from: 0,
        };
        b.mark(0);
        b.nodes[0].check = 0;
        // Work items: (slot, first and end index into `order`, depth, nearest token above).
        let mut queue =
            std::collections::VecDeque::from([(0u32, 0usize, order.len(), 0usize, ID_MASK)]);
        let mut labels = Vec::with_capacity(256);
        let mut ranges = Vec::with_capacity(256);
        while let Some((slot, mut lo, hi, depth, above)) = queue.pop_front() {
            let mut nearest = above;
            let first = tok(lo);
            if first.len() == depth {
                let id = order[lo];
                b.nodes[slot as usize].token = id;
                info[id as usize] = (info[id as usize] & !ID_MASK) | above;
                nearest = id;
                lo += 1;
            }
            if lo == hi {
                continue;
            }
            labels.clear();
            ranges.clear();
            let mut i = lo;
            while i < hi {
                let c = tok(i)[depth];
                let mut j = i + 1;
                while j < hi && tok(j)[depth] == c {
                    j += 1;
                }
                labels.push(c);
                ranges.push((i, j));
                i = j;
            }
            let base = b.place(&labels);
            b.nodes[slot as usize].base = base;
            for (&c, &(i, j)) in labels.iter().zip(&ranges) {
                let child = base + c as u32;
                b.nodes[child as usize].check = slot;
                if depth + 1 >= DEPTH_FIRST_FROM {
                    queue.push_front((child, i, j, depth + 1, nearest));
                } else {
                    queue.push_back((child, i, j, depth + 1, nearest));
                }
            }
        }
        // Every walk step reads `base + byte` for a base in use, so 256 slots past the last
        // used one keep it in bounds; leaves have base 0.
        let last = b.nodes.iter().rposition(|n| n.check != EMPTY).unwrap_or(0);
        if last + 257 > SLOT_MASK as usize {
            return None;
        }
        let nodes = b.nodes[..last + 257].iter().map(|&n| pack(n)).collect();
        let mut pair_filter = vec![0u64; 1 << (FILTER_BITS - 6)];
        for &(l, r) in &vocab.merges {
            if l != EMPTY {
                let bit = filter_bit(l, r);
                pair_filter[bit / 64] |= 1 << (bit % 64);
            }
        }
        // Which first-byte classes each token merges with on its right, then (ids rank above
        // their parts) each token's right spine, in id order.
        let mut merges_with = vec![0u32; n];
        for &(l, r) in &vocab.merges {
            if l != EMPTY {
                merges_with[l as usize] |= CLASS_OF[vocab.token(r)[0] as usize];
            }
        }
        let mut boundary = vec![0u32; n];
        for (id, &(_, r)) in vocab.merges.iter().enumerate() {
            if r != EMPTY {
                boundary[id] = merges_with[r as usize] | boundary[r as usize];
            }
        }
        Some(Trie {
            nodes,
            info,
            pair_filter,
            boundary,
        })
    }

    /// The longest token that `text` starts with (`text` not empty), and its length.
    #[inline]
    pub(crate) fn longest(&self, text: &[u8]) -> (u32, usize) {
        let nodes = self.nodes.as_slice();
        let (mut s, mut node) = (0u64, nodes[0]);
        let (mut best, mut best_len) = (NO_TOKEN, 0);
        for (i, &c) in text.iter().enumerate() {
            let t = (node & SLOT_MASK) + c as u64;
            let child = nodes[t as usize];
            if (child >> SLOT_BITS) & NO_PARENT != s {
                break;
            }
            (s, node) = (t, child);
            let token = child >> (2 * SLOT_BITS + 1);
            if token != NO_TOKEN {
                (best, best_len) = (token, i + 1);
            }
        }
        (best as u32, best_len)
    }

    /// The next shorter token that is a prefix of `token`, and its length.
    #[inline]
    pub(crate) fn shorter(&self, token: u32) -> Option<(u32, usize)> {
        let p = self.info[token as usize] & ID_MASK;
        (p != ID_MASK).then(|| (p, self.len(p)))
    }

    /// Length in bytes of `token`.
    #[inline]
    pub(crate) fn len(&self, token: u32) -> usize {
        (self.info[token as usize] >> ID_BITS) as usize
    }

    /// The first-byte classes that some merge on `token`'s right spine (below `token`
    /// itself) takes on its right; see [`Trie::nothing_crosses`].
    #[inline(always)]
    pub(crate) fn boundary(&self, token: u32) -> u32 {
        self.boundary[token as usize]
    }

    /// Whether no merge can cross between a token with boundary classes `boundary` and any
    /// token that starts with `byte`, given that the first token merges with no prefix of
    /// the second (true when the first was the longest match where it starts: such a merge
    /// would have made a longer match).
    #[inline(always)]
    pub(crate) fn nothing_crosses(boundary: u32, byte: u8) -> bool {
        boundary & CLASS_OF[byte as usize] == 0
    }

    /// Whether `(a, b)` may be a merge: `false` means it certainly is not.
    #[inline(always)]
    pub(crate) fn may_merge(&self, a: u32, b: u32) -> bool {
        let bit = filter_bit(a, b);
        self.pair_filter[bit / 64] >> (bit % 64) & 1 == 1
    }

    /// Bytes of memory the trie holds.
    #[cfg(test)]
    pub(crate) fn heap_bytes(&self) -> usize {
        self.nodes.len() * 8
            + self.info.len() * 4
            + self.pair_filter.len() * 8
            + self.boundary.len() * 4
    }
}

struct Builder {
    nodes: Vec<Node>,
    /// No free slot lies below this one.
    first_free: u32,
    /// One bit per slot in use.
    used: Vec<u64>,
    /// Where the search for a wide node's base starts: the scattered holes below it have
    /// already failed one wide node, and rescanning them made the build quadratic.
    wide_from: u32,
}

/// Nodes this deep or deeper are placed depth first, each subtree together, so a walk past
/// the third byte (the end of a CJK character) stays in a few cache lines (cachegrind:
/// est. cycles of `count` -3.5% on CJK, -5% on other scripts).
const DEPTH_FIRST_FROM: usize = 4;

/// Nodes with at least this many children search from [`Builder::wide_from`].
const WIDE: usize = 6;

impl Builder {
    fn is_used(&self, slot: u32) -> bool {
        let w = (slot / 64) as usize;
        w < self.used.len() && self.used[w] >> (slot % 64) & 1 == 1
    }

    fn mark(&mut self, slot: u32) {
        let w = (slot / 64) as usize;
        if w >= self.used.len() {
            let len = (w + 1).next_power_of_two();
            self.used.resize(len, 0);
            self.nodes.resize(len * 64 + 256, FREE);
        }
        self.used[w] |= 1 << (slot % 64);
    }

    /// The next free slot at or after `from`.
    fn next_free(&self, from: u32) -> u32 {
        let mut w = (from / 64) as usize;
        let mut bits = match self.used.get(w) {
            Some(&u) => !u & (!0u64 << (from % 64)),
            None => return from,
        };
        loop {
            if bits != 0 {
                return (w as u32) * 64 + bits.trailing_zeros();
            }
            w += 1;
            match self.used.get(w) {
                Some(&u) => bits = !u,
                None => return (w as u32) * 64,
            }
        }
    }

    /// A base at which every `labels` slot is free (labels ascending), with those slots
    /// marked used.
    fn place(&mut self, labels: &[u8]) -> u32 {
        self.first_free = self.next_free(self.first_free);
        let c0 = labels[0] as u32;
        let wide = labels.len() >= WIDE;
        let from = if wide {
            self.first_free.max(self.wide_from)
        } else {
            self.first_free
        };
        let mut p = self.next_free(from.max(c0));
        loop {
            let base = p - c0;
            if labels[1..].iter().all(|&c| !self.is_used(base + c as u32)) {
                for &c in labels {
                    self.mark(base + c as u32);
                }
                if wide {
                    self.wide_from = p;
                }
                return base;
            }
            p = self.next_free(p + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::{QWEN_VOCAB, Vocab};

    /// The embedded vocabularies, each with its set of emitted tokens (the bytes and the
    /// merged tokens; `bpe.rs` checks that these are exactly the reachable ones).
    fn vocabs() -> Vec<(Vocab, Vec<u64>)> {
        let datas: &[&[u8]] = &[
            QWEN_VOCAB,
            #[cfg(feature = "embed-qwen3_5")]
            crate::vocab::QWEN3_5_VOCAB,
        ];
        datas
            .iter()
            .map(|d| {
                let vocab = Vocab::from_compact(d).unwrap();
                let set = vocab.emitted_as_listed();
                (vocab, set)
            })
            .collect()
    }

    fn is_set(set: &[u64], id: u32) -> bool {
        set[id as usize / 64] >> (id % 64) & 1 == 1
    }

    #[test]
    fn longest_and_shorter_agree_with_the_vocabulary() {
        for (vocab, emitted) in vocabs() {
            longest_and_shorter_agree(&vocab, &emitted);
        }
    }

    fn longest_and_shorter_agree(vocab: &Vocab, emitted: &[u64]) {
        let t0 = std::time::Instant::now();
        let trie = Trie::build(vocab, emitted).expect("Qwen's tokens are distinct");
        eprintln!(
            "trie built in {:?}, {} bytes",
            t0.elapsed(),
            trie.heap_bytes()
        );
        for id in (0..vocab.len() as u32).filter(|&id| is_set(emitted, id)) {
            let bytes = vocab.token(id);
            assert_eq!(trie.longest(bytes), (id, bytes.len()));
            assert_eq!(trie.len(id), bytes.len());
            // The chain of shorter prefixes lists exactly the tokens that are prefixes.
            let mut expect = (1..bytes.len())
                .rev()
                .filter(|&k| trie.longest(&bytes[..k]).1 == k)
                .map(|k| trie.longest(&bytes[..k]).0);
            let mut t = id;
            while let Some((p, len)) = trie.shorter(t) {
                assert_eq!(Some(p), expect.next());
                assert_eq!(vocab.token(p), &bytes[..len]);
                t = p;
            }
            assert_eq!(expect.next(), None);
        }
        // Text that continues past every token still stops at the longest one.
        let (id, len) = trie.longest(b"Hello, world");
        assert_eq!(&b"Hello, world"[..len], vocab.token(id));
        assert_eq!(len, 5);
    }

    /// The claim `backtrack::encode` rests on: when a token merges with no prefix of the
    /// next one, a clear class bit means no merge crosses between them, so the pair is
    /// compatible. Checked on 400,000 random pairs (it fails if the classes leave out the
    /// spine below the token, or are all clear).
    #[test]
    fn clear_boundary_classes_mean_compatible() {
        for (vocab, emitted) in vocabs() {
            clear_boundary_classes_mean_compatible_in(&vocab, &emitted);
        }
    }

    fn clear_boundary_classes_mean_compatible_in(vocab: &Vocab, emitted: &[u64]) {
        let trie = Trie::build(vocab, emitted).unwrap();
        let pairs = crate::maps::PairMap::build(&vocab.merges);
        let n = vocab.len() as u64;
        let mut next = crate::test_rng::xorshift(0x9E37_79B9_7F4A_7C15);
        let (mut checked, mut skipped) = (0, 0);
        for _ in 0..400_000 {
            let a = (next() % n) as u32;
            // Half of the right tokens start with the same byte as `a`: neighbours in text
            // mostly share a script, and merges within a script are the ones that cross.
            let b = if next() % 2 == 0 {
                (next() % n) as u32
            } else {
                let want = vocab.token(a)[0];
                let mut b = (next() % n) as u32;
                for _ in 0..64 {
                    if vocab.token(b)[0] == want {
                        break;
                    }
                    b = (next() % n) as u32;
                }
                b
            };
            if !is_set(emitted, a) || !is_set(emitted, b) {
                continue;
            }
            if !Trie::nothing_crosses(trie.boundary(a), vocab.token(b)[0]) {
                skipped += 1;
                continue;
            }
            // Only pairs where `a` merges with no prefix of `b` (its left spine).
            let mut y = b;
            let merges_a_prefix = loop {
                if pairs.get(a, y) != EMPTY {
                    break true;
                }
                match vocab.merges[y as usize].0 {
                    EMPTY => break false,
                    l => y = l,
                }
            };
            if merges_a_prefix {
                continue;
            }
            assert!(
                crate::backtrack::compatible(&vocab.merges, |x, y| pairs.get(x, y), a, b),
                "tokens {a} and {b}: classes clear, yet a merge crosses"
            );
            checked += 1;
        }
        assert!(checked > 100_000 && skipped > 10_000, "{checked} {skipped}");
    }
}
