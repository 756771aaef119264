//! The per-thread memo of recent pieces: piece bytes -> their ids, plus a cache of recent
//! pair look-ups and the backtracking encoder's scratch buffers.
//!
//! Text repeats its words, so most pieces of a long text have been tokenized before on the
//! same thread; one probe of a table that stays in L2 then replaces the walk over the trie or
//! the merges and their megabyte-sized tables. Pieces up to [`MEMO_KEY`] bytes with at most
//! [`MEMO_IDS`] ids fit one 64-byte entry, so a probe touches one cache line. Sets of two
//! entries (the newest first) keep two words that hash alike from evicting each other.
//!
//! The memo belongs to one engine at a time (`owner`): another engine's use of the thread
//! resets it, so a piece is never answered with another vocabulary's ids. Its tables come
//! from zeroed allocations, so a program that counts one prompt touches a few pages of it,
//! not megabytes.

use std::cell::RefCell;

use crate::backtrack::Scratch;
use crate::maps::{EMPTY, PairMap, pair_key};

/// Longest piece the memo keeps, in bytes.
pub(crate) const MEMO_KEY: usize = 24;
/// Most ids a memo entry holds.
pub(crate) const MEMO_IDS: usize = 6;
const MEMO_BITS: u32 = 15;
const PAIR_CACHE_BITS: u32 = 16;

/// One cache line per entry: unaligned, most 56-byte entries straddled two lines, so a probe
/// often missed the cache twice (cachegrind: European `count` 54k -> 46k simulated L2 misses).
#[derive(Clone, Copy, Default)]
#[repr(align(64))]
pub(crate) struct MemoEntry {
    key: [u64; 3],
    len: u8,
    n: u8,
    ids: [u32; MEMO_IDS],
}

impl MemoEntry {
    /// The piece's ids.
    #[inline(always)]
    pub(crate) fn ids(&self) -> &[u32] {
        &self.ids[..self.n as usize]
    }
}

/// A cache of piece -> ids (sets of two entries), one per thread, reset when another engine
/// uses it.
pub(crate) struct Memo {
    owner: u64,
    pub(crate) entries: Box<[MemoEntry]>,
    /// Recent pair look-ups, packed like the pair table's entries; 0 is empty (its key, the
    /// byte pair `(0, 0)`, is answered by the byte table and never looked up here).
    pub(crate) pairs: Box<[u64]>,
    pub(crate) scratch: Scratch,
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

/// Runs `f` with this thread's memo, emptied first if another engine than `owner` used it
/// last (or `None` if it is in use further up the stack).
pub(crate) fn with<R>(owner: u64, f: impl FnOnce(Option<&mut Memo>) -> R) -> R {
    MEMO.with(|m| match m.try_borrow_mut() {
        Ok(mut m) => {
            if m.owner != owner {
                m.reset(owner);
            }
            f(Some(&mut m))
        }
        Err(_) => f(None),
    })
}

/// Where a piece lives in the memo: its packed bytes and its set.
pub(crate) struct Slot {
    key: [u64; 3],
    len: usize,
    set: usize,
}

impl Slot {
    /// The slot of a piece of 1 to [`MEMO_KEY`] bytes.
    #[inline(always)]
    pub(crate) fn of(piece: &[u8]) -> Slot {
        let key = pack(piece);
        let len = piece.len();
        Slot {
            set: memo_set(&key, len),
            key,
            len,
        }
    }

    /// The entry of this piece, if the memo holds it.
    #[inline(always)]
    pub(crate) fn find<'a>(&self, entries: &'a [MemoEntry]) -> Option<&'a MemoEntry> {
        entries[self.set..self.set + 2]
            .iter()
            .find(|e| e.len as usize == self.len && e.key == self.key)
    }

    /// Stores the piece's `ids` (at most [`MEMO_IDS`]) as the first entry of its set, the
    /// entry it displaces moving to the second.
    #[inline(always)]
    pub(crate) fn store(&self, entries: &mut [MemoEntry], ids: [u32; MEMO_IDS], n: usize) {
        entries[self.set + 1] = entries[self.set];
        entries[self.set] = MemoEntry {
            key: self.key,
            len: self.len as u8,
            n: n as u8,
            ids,
        };
    }
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

/// A pair look-up through the memo's small direct-mapped cache: the pair table is megabytes
/// and every miss costs a trip to memory, while text repeats the same pairs (CJK above all).
#[inline(always)]
pub(crate) fn cached_pair(pairs: &PairMap, cache: &mut [u64], a: u32, b: u32) -> u32 {
    if a < 256 && b < 256 {
        return pairs.bytes[(a << 8 | b) as usize];
    }
    let key = pair_key(a, b);
    let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PAIR_CACHE_BITS)) as usize;
    let e = cache[slot];
    if e >> 21 == key {
        let v = (e & 0x1F_FFFF) as u32;
        return if v == 0x1F_FFFF { EMPTY } else { v };
    }
    let r = pairs.get(a, b);
    cache[slot] = (key << 21) | (r & 0x1F_FFFF) as u64;
    r
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
}
