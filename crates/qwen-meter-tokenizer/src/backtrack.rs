//! Exact BPE of one piece in linear time, by backtracking over the token trie.
//!
//! BPE's output is the one token sequence in which every two neighbours are *compatible*:
//! BPE of the two tokens' bytes gives back those two tokens. (A BPE result has this property,
//! and by induction a sequence with it is a BPE result, which is unique.) So instead of
//! merging, the encoder guesses: it takes the longest token at the current position, checks
//! it against the previous token, and on a mismatch tries the next shorter token there;
//! when no token fits it drops the previous token and tries that position's shorter tokens.
//! A bit per position records positions from which no continuation exists, so no position is
//! tried twice. The guess is nearly always right, so the work is about one trie walk and one
//! compatibility check per token, with no rescans of the piece.
//!
//! Correctness rests on three properties of the vocabulary, checked where it is loaded or
//! by tests: every token's id is its merge rank and ranks above its two parts, every token
//! is reachable (BPE of its bytes is itself), and no two ids share bytes.

use crate::trie::Trie;

const EMPTY: u32 = u32::MAX;

/// Reusable buffers for [`encode`]; one per thread.
#[derive(Default)]
pub(crate) struct Scratch {
    /// The tokens chosen so far.
    pub tokens: Vec<u32>,
    /// One bit per position of the piece: set while a token may still end there.
    alive: Vec<u64>,
    /// Recent answers of [`compatible`], direct-mapped, each stored as the bitwise complement
    /// of `left << 22 | right << 1 | answer`, so that the zeroed allocation is empty (its
    /// pages are mapped as probes first touch them). Text repeats its token pairs, and one
    /// probe here replaces several pair look-ups.
    compat: Box<[u64]>,
}

/// 256K entries (2 MB): CJK text has tens of thousands of distinct neighbour pairs, and
/// under cachegrind each doubling from 64K cut CJK `count`'s estimated cycles by about 5%
/// (fewer replays of the merge trees outweigh the larger table's cache misses).
const COMPAT_BITS: u32 = 18;

impl Scratch {
    /// Forgets cached answers (they belong to one vocabulary).
    pub(crate) fn reset(&mut self) {
        self.compat = Box::default();
    }
}

/// Whether BPE keeps `left right` as two tokens: replays both merge trees from the top,
/// always undoing the later merge, and fails if some pair across the boundary would merge
/// before the symbols on either side of it are merged away (ties go to the left pair).
#[inline]
pub(crate) fn compatible(
    merges: &[(u32, u32)],
    mut pair: impl FnMut(u32, u32) -> u32,
    mut left: u32,
    mut right: u32,
) -> bool {
    // The boundary pair must merge below this rank to win.
    let mut limit = EMPTY;
    loop {
        if pair(left, right) < limit {
            return false;
        }
        // Undo the later merge (the higher id); a byte has none to undo, so then the other
        // side's, and when both are bytes nothing can cross the boundary any more.
        let undo_left = if left > right {
            merges[left as usize].1 != EMPTY
        } else {
            merges[right as usize].0 == EMPTY
        };
        if undo_left {
            let r = merges[left as usize].1;
            if r == EMPTY {
                return true;
            }
            limit = left;
            left = r;
        } else {
            let l = merges[right as usize].0;
            if l == EMPTY {
                return true;
            }
            // A tie with the right side's own pair goes to the boundary pair, the left one.
            limit = right + 1;
            right = l;
        }
    }
}

/// BPE of `piece` (not empty) into `scratch.tokens`.
pub(crate) fn encode(
    trie: &Trie,
    merges: &[(u32, u32)],
    mut pair: impl FnMut(u32, u32) -> u32,
    piece: &[u8],
    scratch: &mut Scratch,
) {
    let n = piece.len();
    let tokens = &mut scratch.tokens;
    tokens.clear();
    if scratch.compat.is_empty() {
        scratch.compat = vec![0; 1 << COMPAT_BITS].into_boxed_slice();
    }
    let compat = &mut scratch.compat;
    let mut fits_after = |last: u32, token: u32| {
        let key = (last as u64) << 21 | token as u64;
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - COMPAT_BITS)) as usize;
        let e = !compat[slot];
        if e >> 1 == key {
            return e & 1 == 1;
        }
        let ok = compatible(merges, &mut pair, last, token);
        compat[slot] = !(key << 1 | ok as u64);
        ok
    };
    let alive = &mut scratch.alive;
    alive.clear();
    alive.resize(n / 64 + 1, !0);
    let is_alive = |alive: &[u64], i: usize| alive[i / 64] >> (i % 64) & 1 == 1;

    let mut pos = 0;
    let (mut token, mut len) = trie.longest(piece);
    // Whether `token` is the longest match at `pos`, and whether the last token pushed was
    // one: then it merges with no prefix of what follows it (that would be a longer match),
    // so when its boundary classes rule out every other crossing merge, the compatibility
    // check (a probe of a table that misses the cache) is not needed.
    let mut longest = true;
    // The boundary classes of the last token pushed if it was a longest match, else all:
    // loaded when it is pushed, so the load overlaps the next walk.
    let mut last_boundary = !0;
    loop {
        let end = pos + len;
        let fits = is_alive(alive, end)
            && tokens.last().is_none_or(|&last| {
                Trie::nothing_crosses(last_boundary, piece[pos]) || fits_after(last, token)
            });
        if fits {
            tokens.push(token);
            last_boundary = if longest { trie.boundary(token) } else { !0 };
            pos = end;
            if pos == n {
                return;
            }
            (token, len) = trie.longest(&piece[pos..]);
            longest = true;
        } else if let Some(shorter) = trie.shorter(token) {
            (token, len) = shorter;
            longest = false;
        } else {
            // Nothing continues from `pos`: drop the previous token and try shorter ones
            // in its place. (A BPE result exists, so the first token is never dropped for
            // good; the guard only keeps a broken vocabulary from looping.)
            alive[pos / 64] &= !(1 << (pos % 64));
            let Some(last) = tokens.pop() else {
                return;
            };
            len = trie.len(last);
            pos -= len;
            token = last;
            longest = false;
            // The token now on top may have been a shorter one; assume so.
            last_boundary = !0;
            // Its end is now dead, so the check above moves on to a shorter token.
        }
    }
}
