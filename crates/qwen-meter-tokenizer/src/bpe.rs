//! Byte-level BPE merge engine: exact, allocation-free for short pieces, linear for long ones.
//!
//! The reference (Hugging Face `tokenizers`) merges, among all adjacent pairs that appear in
//! its merge list, the pair with the lowest merge rank, leftmost first, until none is left.
//! Qwen's merge `i` creates token `256 + i`, so a pair's rank is simply the id it merges into.
//!
//! Two engines give those ids. Until a tokenizer has merged about a megabyte, pieces are
//! merged directly (a stack scan for word-sized pieces, rank buckets for long ones), after a
//! one-probe check for pieces that are a token themselves (once 64 KiB have been merged; its
//! table is not worth building for a few prompts). From then on (or after
//! `Tokenizer::prepare`) pieces go to the backtracking encoder (`backtrack.rs`) over a token
//! trie (`trie.rs`), which is linear and several times faster on long pieces of CJK or
//! Indic text, but costs some 60 ms to build. A per-thread memo of recent pieces answers
//! repeated words in both.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::backtrack::{self, Scratch};
use crate::trie::Trie;
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
    /// The map of the tokens whose bit is set in `emitted` (the others are never a piece's
    /// BPE, so the look-up must not find them).
    pub(crate) fn build(v: &Vocab, emitted: &[u64]) -> TokenMap {
        let cap = (v.len() * 2).next_power_of_two().max(16);
        let mask = cap - 1;
        let mut m = TokenMap {
            slots: vec![EMPTY; cap],
            mask,
        };
        // In id order, so of two tokens with the same bytes (not in Qwen's vocabulary) the
        // lower id is placed first and is the one found, as in the reference.
        for id in (0..v.len() as u32).filter(|&id| bit(emitted, id)) {
            let mut i = hash_bytes(v.token(id)) as usize & mask;
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

#[inline]
fn bit(set: &[u64], id: u32) -> bool {
    set[id as usize / 64] >> (id % 64) & 1 == 1
}

/// Most ids a vocabulary may have: pair entries pack three ids of 21 bits into one `u64`
/// (and the all-ones id means "no merge" in the pair cache).
pub(crate) const MAX_VOCAB: usize = (1 << 21) - 2;

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
    bytes: Vec<u32>,
}

/// An empty slot. Zero, so the table comes zeroed from the allocator instead of being filled
/// (megabytes at start-up): no entry is zero, as every merged id is above 255, and the one key
/// that is zero, the byte pair `(0, 0)`, is answered by the byte table and never probed.
const NO_ENTRY: u64 = 0;

#[inline(always)]
fn pair_key(a: u32, b: u32) -> u64 {
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

/// The merge engine over one vocabulary.
pub(crate) struct Bpe {
    /// Unique per engine, so a thread's memo never serves one engine's pieces to another.
    id: u64,
    pub vocab: Vocab,
    /// Whole-token look-up for the merge engine, built once it has merged [`TOKENS_AFTER`]
    /// bytes: at start-up it would cost more than the first prompts it speeds up.
    tokens: OnceLock<TokenMap>,
    pub pairs: PairMap,
    pub byte_ids: [u32; 256],
    /// Length in bytes of the longest token: longer pieces skip the whole-token look-up.
    longest: usize,
    /// The token trie for the backtracking encoder, built on first use; `None` when the
    /// vocabulary lacks a property backtracking needs (see [`Bpe::trie`]).
    trie: OnceLock<Option<Trie>>,
    /// The vocabulary is an embedded one, whose properties the tests check.
    builtin: bool,
    /// One bit per id: whether BPE of the token's own bytes gives the token (only such
    /// tokens ever appear in BPE output). Built with the first table that needs it.
    emitted: OnceLock<Vec<u64>>,
    /// Bytes merged so far without the trie (see [`Bpe::trie_for`]).
    merged: AtomicUsize,
}

/// Bytes of pieces an engine merges before it builds its trie.
const TRIE_AFTER: usize = 1 << 20;
/// Bytes of pieces an engine merges before it builds its whole-token map.
const TOKENS_AFTER: usize = 64 << 10;

/// Longest piece the memo keeps, in bytes.
const MEMO_KEY: usize = 24;
/// Most ids a memo entry holds.
const MEMO_IDS: usize = 6;
const MEMO_BITS: u32 = 15;
const PAIR_CACHE_BITS: u32 = 16;

/// One cache line per entry: unaligned, most 56-byte entries straddled two lines, so a probe
/// often missed the cache twice (cachegrind: European `count` 54k -> 46k simulated L2 misses).
#[derive(Clone, Copy, Default)]
#[repr(align(64))]
struct MemoEntry {
    key: [u64; 3],
    len: u8,
    n: u8,
    ids: [u32; MEMO_IDS],
}

/// A cache of piece -> ids (sets of two entries), one per thread, reset when another engine
/// uses it.
pub(crate) struct Memo {
    owner: u64,
    entries: Box<[MemoEntry]>,
    /// Recent pair look-ups, packed like the pair table's entries; 0 is empty (its key, the
    /// byte pair `(0, 0)`, is answered by the byte table and never looked up here).
    pairs: Box<[u64]>,
    scratch: Scratch,
}

impl Memo {
    fn reset(&mut self, owner: u64) {
        self.owner = owner;
        if self.entries.is_empty() {
            // Zeroed allocations, so the 2.5 MB come from fresh pages that the system maps
            // only when a probe first touches them: a program that counts one prompt pays
            // for a few pages, not for clearing them all.
            self.entries = zeroed_entries(1 << MEMO_BITS);
            self.pairs = vec![0; 1 << PAIR_CACHE_BITS].into_boxed_slice();
        } else {
            self.entries.fill(MemoEntry::default());
            self.pairs.fill(0);
            self.scratch.reset();
        }
    }
}

/// `n` empty memo entries in a zeroed allocation.
fn zeroed_entries(n: usize) -> Box<[MemoEntry]> {
    let layout = std::alloc::Layout::array::<MemoEntry>(n).expect("the memo's size fits");
    // SAFETY: the layout is not empty (n > 0, entries are not zero-sized); every field of
    // `MemoEntry` is an integer, so all-zero bytes are a valid entry (an empty one: `len` 0
    // matches no piece); and the box frees the block with the global allocator and the
    // same layout it was allocated with.
    unsafe {
        let p = std::alloc::alloc_zeroed(layout).cast::<MemoEntry>();
        if p.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        Box::from_raw(std::ptr::slice_from_raw_parts_mut(p, n))
    }
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo {
        owner: 0,
        entries: Box::default(),
        pairs: Box::default(),
        scratch: Scratch::default(),
    });
}

/// A piece of at most [`MEMO_KEY`] bytes as three words, zero-padded: built from a few
/// overlapping loads rather than a copy into a buffer (a `memcpy` call per piece).
#[inline(always)]
fn pack(piece: &[u8]) -> [u64; 3] {
    let n = piece.len();
    match n {
        0..=8 => [word(piece), 0, 0],
        9..=16 => [word(&piece[..8]), word(&piece[8..]), 0],
        _ => [word(&piece[..8]), word(&piece[8..16]), word(&piece[16..])],
    }
}

/// Up to eight bytes as a little-endian word, zero above them.
#[inline(always)]
fn word(b: &[u8]) -> u64 {
    let n = b.len();
    let at4 = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap()) as u64;
    match n {
        8 => u64::from_le_bytes(b[..8].try_into().unwrap()),
        // Two four-byte loads that overlap; the shared bytes are equal, so OR keeps them.
        4..=7 => at4(0) | at4(n - 4) << ((n - 4) * 8),
        // First, middle and last byte (the same byte more than once for short pieces).
        1..=3 => {
            b[0] as u64 | (b[n / 2] as u64) << (n / 2 * 8) | (b[n - 1] as u64) << ((n - 1) * 8)
        }
        _ => 0,
    }
}

/// The first of the two entries a piece may occupy. Two ways, not one: with one, the words
/// of a long text evicted each other (a European text missed some 3,300 of 39,000 probes a
/// pass, each miss costing a backtracking encode of its piece).
#[inline(always)]
fn memo_set(key: &[u64; 3], len: usize) -> usize {
    let h = (key[0] ^ key[1].rotate_left(21) ^ key[2].rotate_left(42) ^ len as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> (64 - MEMO_BITS)) as usize & !1
}

#[inline(always)]
fn memo_find<'a>(
    entries: &'a [MemoEntry],
    set: usize,
    key: &[u64; 3],
    len: usize,
) -> Option<&'a MemoEntry> {
    entries[set..set + 2]
        .iter()
        .find(|e| e.len as usize == len && e.key == *key)
}

/// Stores `e` as the first entry of its set, the entry it displaces moving to the second.
#[inline(always)]
fn memo_store(entries: &mut [MemoEntry], set: usize, e: MemoEntry) {
    entries[set + 1] = entries[set];
    entries[set] = e;
}

/// Pieces up to this many bytes use the simple scan; longer ones the heap.
const SHORT: usize = 192;

impl Bpe {
    /// The engine of the embedded vocabulary.
    pub(crate) fn builtin(vocab: Vocab) -> Bpe {
        Bpe {
            builtin: true,
            ..Bpe::new(vocab)
        }
    }

    pub(crate) fn new(vocab: Vocab) -> Bpe {
        let byte_ids = vocab.byte_ids();
        let pairs = PairMap::build(&vocab.merges);
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let longest = vocab.longest();
        Bpe {
            id,
            longest,
            trie: OnceLock::new(),
            builtin: false,
            emitted: OnceLock::new(),
            merged: AtomicUsize::new(0),
            vocab,
            tokens: OnceLock::new(),
            pairs,
            byte_ids,
        }
    }

    /// Appends the ids of one piece to `out`.
    #[inline]
    pub(crate) fn encode_piece(&self, piece: &[u8], out: &mut Vec<u32>) {
        self.merge(piece, None, |id| out.push(id));
    }

    /// Merges one piece; `memo` (when given) answers repeated pair look-ups and lends its
    /// scratch buffers.
    #[inline]
    fn merge(
        &self,
        piece: &[u8],
        memo: Option<(&mut [u64], &mut Scratch)>,
        mut emit: impl FnMut(u32),
    ) {
        // A piece that is a single token needs no look-up of its own on the backtracking
        // path (its first trie walk ends at the piece's end), but one byte is one load.
        if piece.len() == 1 && self.byte_ids[piece[0] as usize] != EMPTY {
            emit(self.byte_ids[piece[0] as usize]);
        } else if let Some(trie) = self.trie_for(piece) {
            let merges = self.vocab.merges.as_slice();
            match memo {
                Some((_cache, scratch)) => {
                    backtrack::encode(
                        trie,
                        merges,
                        |a, b| self.filtered_pair(trie, a, b),
                        piece,
                        scratch,
                    );
                    scratch.tokens.iter().for_each(|&t| emit(t));
                }
                None => {
                    let mut scratch = Scratch::default();
                    backtrack::encode(
                        trie,
                        merges,
                        |a, b| self.filtered_pair(trie, a, b),
                        piece,
                        &mut scratch,
                    );
                    scratch.tokens.iter().for_each(|&t| emit(t));
                }
            }
        } else if let Some(id) = self.single(piece) {
            emit(id);
        } else if piece.len() <= SHORT {
            match memo {
                Some((cache, _)) => {
                    self.merge_short(piece, |a, b| self.cached_pair(cache, a, b), emit)
                }
                None => self.merge_short(piece, |a, b| self.pairs.get(a, b), emit),
            }
        } else {
            merge_long(&self.pairs, &self.byte_ids, piece, emit);
        }
    }

    /// The token trie, once this engine has merged [`TRIE_AFTER`] bytes without it. Building
    /// it takes about as long as merging a megabyte of CJK text the old way, so a program
    /// that counts a few prompts never pays for it, and one that counts whole files soon
    /// gets the faster engine (both give the same ids; tests compare them).
    #[inline]
    fn trie_for(&self, piece: &[u8]) -> Option<&Trie> {
        if let Some(trie) = self.trie.get() {
            return trie.as_ref();
        }
        let before = self.merged.fetch_add(piece.len(), Ordering::Relaxed);
        if before + piece.len() < TRIE_AFTER {
            return None;
        }
        self.trie()
    }

    /// The token trie, built on first call, when the vocabulary allows backtracking: its
    /// tokens are those BPE can emit (see [`Bpe::emitted`]), and no two of them may share
    /// bytes.
    pub(crate) fn trie(&self) -> Option<&Trie> {
        self.trie
            .get_or_init(|| Trie::build(&self.vocab, self.emitted()))
            .as_ref()
    }

    /// One bit per id, set for the tokens that BPE can emit: those that BPE of their own bytes
    /// gives back (a token in BPE output was merged from its bytes alone, so no other token
    /// ever appears). For an embedded vocabulary these are the single bytes and the tokens
    /// some merge produces, but those the compact file lists as never emitted (its tests
    /// check this against BPE); a loaded one is checked token by token, once.
    pub(crate) fn emitted(&self) -> &[u64] {
        self.emitted.get_or_init(|| {
            let n = self.vocab.len();
            let mut set = vec![0u64; n.div_ceil(64)];
            for id in 0..n as u32 {
                let keep = if self.builtin {
                    self.vocab.emitted_as_listed(id)
                } else {
                    let mut parts = 0;
                    let mut only = EMPTY;
                    self.merge_plain(self.vocab.token(id), |p| {
                        parts += 1;
                        only = p;
                    });
                    parts == 1 && only == id
                };
                if keep {
                    set[id as usize / 64] |= 1 << (id % 64);
                }
            }
            set
        })
    }

    /// The last token boundary of BPE of `piece` that no bytes appended to it can move, among
    /// the offsets `accept` allows, with the number of tokens before it; `None` if there is
    /// none (or this vocabulary does not allow backtracking, which the argument needs).
    ///
    /// BPE's output is the one sequence of tokens in which every two neighbours are compatible
    /// (see `backtrack.rs`). So if the token that ends at offset `b` is compatible with every
    /// token that `piece[b..]` starts with, BPE of `piece[..b]` followed by BPE of `piece[b..]`
    /// plus anything is a valid sequence, hence BPE of the whole: the first token of the second
    /// part is one of those prefixes. They all lie inside `piece` when it is `whole` (no
    /// byte can join it), or else when `b` is at least one longest token from its end. This
    /// is what lets a counter settle a run with no piece boundary (a line of emoji, CJK
    /// without punctuation) in bounded memory.
    pub(crate) fn last_stable_boundary(
        &self,
        piece: &[u8],
        whole: bool,
        accept: impl Fn(usize) -> bool,
    ) -> Option<(usize, usize)> {
        /// Candidates tried from the end: a run that offers none so close to its end is not
        /// worth a longer search (the caller reads on and tries again later).
        const TRIES: usize = 64;
        let trie = self.trie()?;
        let mut ids = Vec::new();
        self.encode_piece(piece, &mut ids);
        let mut end = piece.len();
        let mut tries = 0;
        for k in (1..ids.len()).rev() {
            end -= self.vocab.token(ids[k]).len();
            if (!whole && end + self.longest >= piece.len()) || !accept(end) {
                continue;
            }
            tries += 1;
            if tries > TRIES {
                return None;
            }
            let left = ids[k - 1];
            let mut right = Some(trie.longest(&piece[end..]));
            let mut apart = true;
            while let Some((token, _)) = right {
                if !self.keeps_apart(left, token) {
                    apart = false;
                    break;
                }
                right = trie.shorter(token);
            }
            if apart {
                return Some((end, k));
            }
        }
        None
    }

    /// Whether BPE of the bytes of `left` then `right` is those two tokens.
    fn keeps_apart(&self, left: u32, right: u32) -> bool {
        let mut bytes = self.vocab.token(left).to_vec();
        bytes.extend_from_slice(self.vocab.token(right));
        let mut out = [EMPTY; 3];
        let mut n = 0;
        self.merge_plain(&bytes, |id| {
            if n < 3 {
                out[n] = id;
            }
            n += 1;
        });
        n == 2 && out[0] == left && out[1] == right
    }

    /// BPE of `piece` by the merge engine alone, without caches or the trie.
    fn merge_plain(&self, piece: &[u8], emit: impl FnMut(u32)) {
        if piece.len() <= SHORT {
            self.merge_short(piece, |a, b| self.pairs.get(a, b), emit);
        } else {
            merge_long(&self.pairs, &self.byte_ids, piece, emit);
        }
    }

    /// A pair look-up that asks the trie's pair filter before the pair table.
    #[inline(always)]
    fn filtered_pair(&self, trie: &Trie, a: u32, b: u32) -> u32 {
        if a < 256 && b < 256 {
            return self.pairs.bytes[(a << 8 | b) as usize];
        }
        if !trie.may_merge(a, b) {
            return EMPTY;
        }
        self.pairs.get(a, b)
    }

    /// A pair look-up through a small direct-mapped cache: the pair table is megabytes and
    /// every miss costs a trip to memory, while text repeats the same pairs (CJK above all).
    #[inline(always)]
    fn cached_pair(&self, cache: &mut [u64], a: u32, b: u32) -> u32 {
        if a < 256 && b < 256 {
            return self.pairs.bytes[(a << 8 | b) as usize];
        }
        let key = pair_key(a, b);
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PAIR_CACHE_BITS)) as usize;
        let e = cache[slot];
        if e >> 21 == key {
            let v = (e & 0x1F_FFFF) as u32;
            return if v == 0x1F_FFFF { EMPTY } else { v };
        }
        let r = self.pairs.get(a, b);
        cache[slot] = (key << 21) | (r & 0x1F_FFFF) as u64;
        r
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
        let Some(Memo {
            entries,
            pairs,
            scratch,
            ..
        }) = memo
        else {
            return self.encode_piece(piece, out);
        };
        if !self.memo_pays(piece) {
            return self.merge(piece, Some((pairs, scratch)), |id| out.push(id));
        }
        let key = pack(piece);
        let set = memo_set(&key, piece.len());
        if let Some(e) = memo_find(entries, set, &key, piece.len()) {
            out.extend_from_slice(&e.ids[..e.n as usize]);
            return;
        }
        let start = out.len();
        self.merge(piece, Some((pairs, scratch)), |id| out.push(id));
        let n = out.len() - start;
        if n <= MEMO_IDS {
            let mut e = MemoEntry {
                key,
                len: piece.len() as u8,
                n: n as u8,
                ids: [0; MEMO_IDS],
            };
            e.ids[..n].copy_from_slice(&out[start..]);
            memo_store(entries, set, e);
        }
    }

    /// Number of tokens of one piece, through the memo when there is one.
    #[inline]
    pub(crate) fn count_piece_memo(&self, memo: Option<&mut Memo>, piece: &[u8]) -> usize {
        let mut n = 0;
        let Some(Memo {
            entries,
            pairs,
            scratch,
            ..
        }) = memo
        else {
            self.merge(piece, None, |_| n += 1);
            return n;
        };
        if !self.memo_pays(piece) {
            self.merge(piece, Some((pairs, scratch)), |_| n += 1);
            return n;
        }
        let key = pack(piece);
        let set = memo_set(&key, piece.len());
        if let Some(e) = memo_find(entries, set, &key, piece.len()) {
            return e.n as usize;
        }
        let mut ids = [0u32; MEMO_IDS];
        self.merge(piece, Some((pairs, scratch)), |id| {
            if n < MEMO_IDS {
                ids[n] = id;
            }
            n += 1;
        });
        if n <= MEMO_IDS {
            let e = MemoEntry {
                key,
                len: piece.len() as u8,
                n: n as u8,
                ids,
            };
            memo_store(entries, set, e);
        }
        n
    }

    /// Whether a piece should go through the memo. Not when it cannot be a key, nor once the
    /// trie is built for a piece that starts with a 3- or 4-byte character (CJK, Indic,
    /// Thai...): those pieces rarely repeat whole, and backtracking one takes less time than
    /// a probe of the 2 MB memo that misses every cache (measured: CJK count 25x -> 32x
    /// the reference).
    #[inline(always)]
    fn memo_pays(&self, piece: &[u8]) -> bool {
        piece.len() > 1
            && piece.len() <= MEMO_KEY
            && (piece[0] < 0xE0 || self.trie.get().is_none_or(|t| t.is_none()))
    }

    #[inline(always)]
    fn single(&self, piece: &[u8]) -> Option<u32> {
        if piece.len() == 1 {
            let id = self.byte_ids[piece[0] as usize];
            return (id != EMPTY).then_some(id);
        }
        if piece.len() > self.longest {
            return None;
        }
        let tokens = match self.tokens.get() {
            Some(t) => t,
            None if self.merged.load(Ordering::Relaxed) >= TOKENS_AFTER => self
                .tokens
                .get_or_init(|| TokenMap::build(&self.vocab, self.emitted())),
            None => return None,
        };
        tokens.get(&self.vocab, piece)
    }

    /// Quadratic-in-length scan over a small stack buffer; fastest for word-sized pieces.
    fn merge_short(
        &self,
        piece: &[u8],
        mut pair: impl FnMut(u32, u32) -> u32,
        mut emit: impl FnMut(u32),
    ) {
        let mut ids = [0u32; SHORT];
        let mut ranks = [EMPTY; SHORT];
        let mut n = piece.len();
        for (i, &b) in piece.iter().enumerate() {
            ids[i] = self.byte_ids[b as usize];
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

#[cfg(test)]
mod tests {
    #[test]
    fn pack_pads_with_zeros() {
        let text: Vec<u8> = (1..=30).collect();
        for len in 0..=super::MEMO_KEY {
            let mut buf = [0u8; 24];
            buf[..len].copy_from_slice(&text[..len]);
            let want = [0, 8, 16].map(|i| u64::from_le_bytes(buf[i..i + 8].try_into().unwrap()));
            assert_eq!(super::pack(&text[..len]), want, "length {len}");
        }
    }

    use super::*;
    use crate::vocab::{QWEN_VOCAB, Vocab};

    /// The embedded vocabularies' emitted tokens (the single-look-up shortcut, the trie) are
    /// taken to be the bytes and the tokens some merge produces; exact only if BPE of each
    /// such token's bytes gives back that token and BPE of every other token's bytes does
    /// not. Check all of them with the general merge: Qwen's every token, and all of Qwen3.5's
    /// but the 232 that no merge produces and the 35 whose merge only builds larger tokens.
    #[test]
    fn embedded_tokens_are_reachable_exactly_when_merged() {
        let vocabs: &[(&[u8], usize)] = &[
            (QWEN_VOCAB, 0),
            #[cfg(feature = "embed-qwen3_5")]
            (crate::vocab::QWEN3_5_VOCAB, 232 + 35),
        ];
        for &(data, unmerged) in vocabs {
            let bpe = Bpe::builtin(Vocab::from_compact(data).unwrap());
            let mut unreachable = Vec::new();
            let mut wrong = Vec::new();
            for id in 0..bpe.vocab.len() as u32 {
                let mut out = Vec::new();
                merge_long(&bpe.pairs, &bpe.byte_ids, bpe.vocab.token(id), |t| {
                    out.push(t)
                });
                if out != [id] {
                    unreachable.push(id);
                }
                if (out == [id]) != bit(bpe.emitted(), id) {
                    wrong.push(id);
                }
            }
            assert_eq!(unreachable.len(), unmerged);
            assert_eq!(wrong, Vec::<u32>::new());
        }
    }

    /// The backtracking encoder against the merge engine, on byte strings of every kind:
    /// random bytes (invalid UTF-8 included), text of one script, mixed scripts, runs.
    #[test]
    fn backtracking_agrees_with_merging() {
        backtracking_agrees_with_merging_on(QWEN_VOCAB);
    }

    #[cfg(feature = "embed-qwen3_5")]
    #[test]
    fn backtracking_agrees_with_merging_qwen3_5() {
        backtracking_agrees_with_merging_on(crate::vocab::QWEN3_5_VOCAB);
    }

    fn backtracking_agrees_with_merging_on(data: &[u8]) {
        let bpe = Bpe::builtin(Vocab::from_compact(data).unwrap());
        let trie = bpe
            .trie()
            .expect("the embedded vocabulary allows backtracking");
        let alphabets: [&[&str]; 6] = [
            &["a", "b", "e", "t", " ", "th", "in", "'", "\n"],
            &["中", "文", "国", "人", "的", "是", "一", "了", "在", "大"],
            &["の", "は", "に", "を", "日", "本", "語", "カ", "タ", "ー"],
            &["क", "ि", "्", "ष", "ा", "ร", "่", "ก", "ع", "ل"],
            &["é", "ß", "ñ", "ø", "ł", "ę", "Ж", "я", "ї", "ω"],
            &["😀", "👍🏽", "\u{200d}", "🇯🇵", "1", "2", "9", "!", "...", "="],
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed = mix(seed);
            seed
        };
        let mut scratch = Scratch::default();
        let mut cases = 0;
        for round in 0..30_000 {
            let len = (next() % 64) as usize + 1;
            let piece: Vec<u8> = match round % 4 {
                // Any bytes, valid UTF-8 or not.
                0 => (0..len).map(|_| next() as u8).collect(),
                // One alphabet, or all of them.
                1 | 2 => {
                    let a = alphabets[(next() % 6) as usize];
                    let mut p = Vec::new();
                    for _ in 0..len {
                        let pick = if round % 4 == 1 {
                            a[(next() % a.len() as u64) as usize]
                        } else {
                            let b = alphabets[(next() % 6) as usize];
                            b[(next() % b.len() as u64) as usize]
                        };
                        p.extend_from_slice(pick.as_bytes());
                    }
                    p
                }
                // A run of one symbol, long enough for the longest tokens.
                _ => {
                    let a = alphabets[(next() % 6) as usize];
                    a[(next() % a.len() as u64) as usize]
                        .repeat(len * 4)
                        .into_bytes()
                }
            };
            let mut merged = Vec::new();
            bpe.merge_plain(&piece, |t| merged.push(t));
            backtrack::encode(
                trie,
                &bpe.vocab.merges,
                |x, y| bpe.filtered_pair(trie, x, y),
                &piece,
                &mut scratch,
            );
            assert_eq!(scratch.tokens, merged, "{piece:?}");
            cases += 1;
        }
        assert_eq!(cases, 30_000);
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
            bpe.merge_short(text.as_bytes(), |x, y| bpe.pairs.get(x, y), |t| a.push(t));
            merge_long(&bpe.pairs, &bpe.byte_ids, text.as_bytes(), |t| b.push(t));
            assert_eq!(a, b, "{text:?}");
        }
    }
}
