//! The merge engine over one vocabulary: which algorithm tokenizes a piece, chosen in one
//! place ([`Bpe::strategy`]), and the lazily built tables those algorithms share.
//!
//! Every strategy gives the reference's result (the tests compare them with each other and
//! the parity suite with the reference); they differ in what they cost and in what they need
//! built first. So the choice depends on the piece and on how much text this engine has seen:
//!
//! - a one-byte piece is one load of the byte table;
//! - a short piece that may repeat (a word) is looked up in the per-thread memo (`memo.rs`);
//! - until the engine has merged [`TRIE_AFTER`] bytes, pieces are merged directly
//!   (`merge.rs`: a stack scan up to [`HEAP_AFTER`] bytes, a stack heap up to [`SHORT`],
//!   rank buckets beyond), after a one-probe
//!   check for pieces that are a token themselves once [`TOKENS_AFTER`] bytes have been merged
//!   (the whole-token map is not worth building for a few prompts);
//! - from then on (or after `Tokenizer::prepare`) pieces go to the backtracking encoder
//!   (`backtrack.rs`) over the token trie (`trie.rs`), which is linear and several times
//!   faster on long pieces of CJK or Indic text, but costs some 60 ms to build.
//!
//! Counting and encoding share one path, generic over a [`Sink`] that either stores the ids
//! or only counts them, so counting stores no ids and the two cannot drift apart.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::backtrack::{self, Scratch};
use crate::maps::{EMPTY, PairMap, TokenMap};
use crate::memo::{self, MEMO_IDS, MEMO_KEY, Memo, Slot};
use crate::merge::{HEAP_AFTER, SHORT, merge_heap, merge_long, merge_short};
use crate::trie::Trie;
use crate::vocab::Vocab;

/// Bytes of pieces an engine merges before it builds its trie.
const TRIE_AFTER: usize = 1 << 20;
/// Bytes of pieces an engine merges before it builds its whole-token map.
const TOKENS_AFTER: usize = 64 << 10;

/// How one piece is tokenized; [`Bpe::strategy`] chooses.
#[derive(Clone, Copy)]
pub(crate) enum Strategy<'a> {
    /// A one-byte piece: its id from the byte table.
    Byte(u32),
    /// Probe the memo first; on a miss, the strategy chosen without the memo, whose ids the
    /// memo then keeps.
    Memo,
    /// Backtracking over the token trie (built).
    Backtrack(&'a Trie),
    /// The piece is this one token (the whole-token map said so).
    Token(u32),
    /// Direct merging on the stack ([`merge_short`]).
    MergeShort,
    /// Direct merging with a heap on the stack ([`merge_heap`]).
    MergeHeap,
    /// Direct merging with rank buckets ([`merge_long`]).
    MergeLong,
}

/// Where a piece's ids go: a vector, or just a count.
pub(crate) trait Sink {
    fn push(&mut self, id: u32);
    fn extend(&mut self, ids: &[u32]);
}

impl Sink for Vec<u32> {
    #[inline(always)]
    fn push(&mut self, id: u32) {
        Vec::push(self, id);
    }
    #[inline(always)]
    fn extend(&mut self, ids: &[u32]) {
        self.extend_from_slice(ids);
    }
}

/// A sink that counts the ids and stores none.
pub(crate) struct Count(pub usize);

impl Sink for Count {
    #[inline(always)]
    fn push(&mut self, _: u32) {
        self.0 += 1;
    }
    #[inline(always)]
    fn extend(&mut self, ids: &[u32]) {
        self.0 += ids.len();
    }
}

/// A sink that hands each id to a closure.
struct Emit<F>(F);

impl<F: FnMut(u32)> Sink for Emit<F> {
    #[inline(always)]
    fn push(&mut self, id: u32) {
        (self.0)(id);
    }
    #[inline(always)]
    fn extend(&mut self, ids: &[u32]) {
        ids.iter().for_each(|&id| (self.0)(id));
    }
}

/// Passes ids on to a sink and keeps the first [`MEMO_IDS`] of them for the memo.
struct Recorder<'s, S> {
    sink: &'s mut S,
    ids: [u32; MEMO_IDS],
    n: usize,
}

impl<S: Sink> Sink for Recorder<'_, S> {
    #[inline(always)]
    fn push(&mut self, id: u32) {
        if self.n < MEMO_IDS {
            self.ids[self.n] = id;
        }
        self.n += 1;
        self.sink.push(id);
    }
    #[inline(always)]
    fn extend(&mut self, ids: &[u32]) {
        for (k, &id) in ids.iter().take(MEMO_IDS.saturating_sub(self.n)).enumerate() {
            self.ids[self.n + k] = id;
        }
        self.n += ids.len();
        self.sink.extend(ids);
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
    /// Bytes merged so far without the trie (see [`Bpe::strategy`]).
    merged: AtomicUsize,
}

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

    /// The one place that decides how a piece (not empty) is tokenized; `memo` says whether
    /// the caller has a memo to probe. Every threshold of the engine is here.
    ///
    /// Building the trie or the whole-token map happens here too, once enough text has gone
    /// through direct merging to pay for it: building the trie takes about as long as merging
    /// a megabyte of CJK text directly, so a program that counts a few prompts never pays for
    /// it, and one that counts whole files soon gets the faster engine.
    #[inline(always)]
    fn strategy(&self, piece: &[u8], memo: bool) -> Strategy<'_> {
        let len = piece.len();
        // A piece that is a single token needs no look-up of its own on the backtracking
        // path (its first trie walk ends at the piece's end), but one byte is one load.
        if len == 1 {
            let id = self.byte_ids[piece[0] as usize];
            if id != EMPTY {
                return Strategy::Byte(id);
            }
        }
        // The memo, for pieces that can be its keys; but not, once the trie is built, for a
        // piece that starts with a 3- or 4-byte character (CJK, Indic, Thai...): those pieces
        // rarely repeat whole, and backtracking one takes less time than a probe of the 2 MB
        // memo that misses every cache (measured: CJK count 25x -> 32x the reference).
        if memo
            && len > 1
            && len <= MEMO_KEY
            && (piece[0] < 0xE0 || self.trie.get().is_none_or(|t| t.is_none()))
        {
            return Strategy::Memo;
        }
        match self.trie.get() {
            Some(Some(trie)) => return Strategy::Backtrack(trie),
            // The vocabulary does not allow backtracking.
            Some(None) => {}
            None => {
                let before = self.merged.fetch_add(len, Ordering::Relaxed);
                if before + len >= TRIE_AFTER
                    && let Some(trie) = self.trie()
                {
                    return Strategy::Backtrack(trie);
                }
            }
        }
        if len == 1 {
            // A byte with no token of its own (not in a byte-level vocabulary).
        } else if len <= self.longest {
            let tokens = match self.tokens.get() {
                Some(t) => Some(t),
                None if self.merged.load(Ordering::Relaxed) >= TOKENS_AFTER => Some(
                    self.tokens
                        .get_or_init(|| TokenMap::build(&self.vocab, self.emitted())),
                ),
                None => None,
            };
            if let Some(id) = tokens.and_then(|t| t.get(&self.vocab, piece)) {
                return Strategy::Token(id);
            }
        }
        Self::direct(len)
    }

    /// The direct merge for a piece of `len` bytes: the scan for words, the heap for long
    /// words, the buckets beyond the stack buffers.
    #[inline(always)]
    fn direct(len: usize) -> Strategy<'static> {
        if len <= HEAP_AFTER {
            Strategy::MergeShort
        } else if len <= SHORT {
            Strategy::MergeHeap
        } else {
            Strategy::MergeLong
        }
    }

    /// Appends the ids of one piece to `out`, without the memo.
    #[inline]
    pub(crate) fn encode_piece(&self, piece: &[u8], out: &mut Vec<u32>) {
        self.piece(None, piece, out);
    }

    /// Appends the ids of one piece to `out`, through the memo when there is one.
    #[inline]
    pub(crate) fn encode_piece_memo(
        &self,
        memo: Option<&mut Memo>,
        piece: &[u8],
        out: &mut Vec<u32>,
    ) {
        self.piece(memo, piece, out);
    }

    /// Number of tokens of one piece, through the memo when there is one.
    #[inline]
    pub(crate) fn count_piece_memo(&self, memo: Option<&mut Memo>, piece: &[u8]) -> usize {
        let mut n = Count(0);
        self.piece(memo, piece, &mut n);
        n.0
    }

    /// Tokenizes one piece into `sink`: the memo answers repeated pieces from a small cache
    /// that stays in L2, without touching the large tables.
    #[inline(always)]
    fn piece<S: Sink>(&self, memo: Option<&mut Memo>, piece: &[u8], sink: &mut S) {
        let Some(Memo {
            entries,
            pairs,
            scratch,
            ..
        }) = memo
        else {
            return self.run(self.strategy(piece, false), piece, None, sink);
        };
        match self.strategy(piece, true) {
            Strategy::Memo => {
                let slot = Slot::of(piece);
                if let Some(e) = slot.find(entries) {
                    sink.extend(e.ids());
                    return;
                }
                let mut rec = Recorder {
                    sink,
                    ids: [0; MEMO_IDS],
                    n: 0,
                };
                let s = self.strategy(piece, false);
                self.run(s, piece, Some((pairs, scratch)), &mut rec);
                if rec.n <= MEMO_IDS {
                    slot.store(entries, rec.ids, rec.n);
                }
            }
            s => self.run(s, piece, Some((pairs, scratch)), sink),
        }
    }

    /// Tokenizes one piece with strategy `s` (not [`Strategy::Memo`]); `cache` (the memo's,
    /// when there is one) answers repeated pair look-ups and lends its scratch buffers.
    #[inline(always)]
    fn run<S: Sink>(
        &self,
        s: Strategy<'_>,
        piece: &[u8],
        cache: Option<(&mut [u64], &mut Scratch)>,
        sink: &mut S,
    ) {
        match s {
            Strategy::Byte(id) | Strategy::Token(id) => sink.push(id),
            Strategy::Backtrack(trie) => {
                let merges = self.vocab.merges.as_slice();
                let pair = |a, b| self.filtered_pair(trie, a, b);
                match cache {
                    Some((_, scratch)) => {
                        backtrack::encode(trie, merges, pair, piece, scratch);
                        sink.extend(&scratch.tokens);
                    }
                    None => {
                        let mut scratch = Scratch::default();
                        backtrack::encode(trie, merges, pair, piece, &mut scratch);
                        sink.extend(&scratch.tokens);
                    }
                }
            }
            Strategy::MergeShort | Strategy::MergeHeap => {
                let heap = matches!(s, Strategy::MergeHeap);
                match cache {
                    Some((cache, _)) => self.merge_direct(
                        heap,
                        piece,
                        |a, b| memo::cached_pair(&self.pairs, cache, a, b),
                        sink,
                    ),
                    None => self.merge_direct(heap, piece, |a, b| self.pairs.get(a, b), sink),
                }
            }
            Strategy::MergeLong => {
                merge_long(&self.pairs, &self.byte_ids, piece, |id| sink.push(id))
            }
            Strategy::Memo => unreachable!("the memo is probed by `Bpe::piece`"),
        }
    }

    /// [`merge_heap`] (`heap`) or [`merge_short`] of `piece` into `sink`, with look-ups by
    /// `pair` (through the memo's pair cache or straight to the table).
    #[inline(always)]
    fn merge_direct<S: Sink>(
        &self,
        heap: bool,
        piece: &[u8],
        pair: impl FnMut(u32, u32) -> u32,
        sink: &mut S,
    ) {
        if heap {
            merge_heap(&self.byte_ids, piece, pair, |id| sink.push(id))
        } else {
            merge_short(&self.byte_ids, piece, pair, |id| sink.push(id))
        }
    }

    /// Runs `f` with this thread's memo of recent pieces (or none if it is in use).
    pub(crate) fn with_memo<R>(&self, f: impl FnOnce(Option<&mut Memo>) -> R) -> R {
        memo::with(self.id, f)
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
            if self.builtin {
                return self.vocab.emitted_as_listed();
            }
            let n = self.vocab.len();
            let mut set = vec![0u64; n.div_ceil(64)];
            for id in 0..n as u32 {
                let mut parts = 0;
                let mut only = EMPTY;
                self.merge_plain(self.vocab.token(id), |p| {
                    parts += 1;
                    only = p;
                });
                if parts == 1 && only == id {
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
        self.run(Self::direct(piece.len()), piece, None, &mut Emit(emit));
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::maps::{bit, mix};
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
            merge_short(
                &bpe.byte_ids,
                text.as_bytes(),
                |x, y| bpe.pairs.get(x, y),
                |t| a.push(t),
            );
            merge_long(&bpe.pairs, &bpe.byte_ids, text.as_bytes(), |t| b.push(t));
            assert_eq!(a, b, "{text:?}");
        }
    }

    /// The three direct merges agree on pieces of every length they share (2 to `SHORT`
    /// bytes), of random bytes and of words of several scripts with combining marks.
    #[test]
    fn heap_merge_agrees_with_the_scan_and_the_buckets() {
        heap_merge_agrees_on(QWEN_VOCAB);
        #[cfg(feature = "embed-qwen3_5")]
        heap_merge_agrees_on(crate::vocab::QWEN3_5_VOCAB);
    }

    fn heap_merge_agrees_on(data: &[u8]) {
        let bpe = Bpe::builtin(Vocab::from_compact(data).unwrap());
        let words = [
            " मनुष्य",
            "ों",
            "के",
            " अधिकार",
            " ராஜ",
            "ா",
            "ின்",
            " ประเทศ",
            "ไทย",
            " العربية",
            " ქართ",
            "ული",
            " 中文",
            "国",
            " the",
            "ing",
            "é",
            "\u{301}",
            "👍🏽",
            " ",
            "\n",
        ];
        let mut next = crate::test_rng::xorshift(0x005E_ED0F_4EA9);
        let mut piece = Vec::new();
        for round in 0..20_000 {
            let len = 2 + (next() % (SHORT as u64 - 1)) as usize;
            piece.clear();
            if round % 3 == 0 {
                Extend::extend(&mut piece, (0..len).map(|_| next() as u8));
            } else {
                while piece.len() < len {
                    piece.extend_from_slice(
                        words[(next() % words.len() as u64) as usize].as_bytes(),
                    );
                }
                piece.truncate(len);
            }
            let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
            let pair = |x, y| bpe.pairs.get(x, y);
            merge_short(&bpe.byte_ids, &piece, pair, |t| a.push(t));
            merge_heap(&bpe.byte_ids, &piece, pair, |t| b.push(t));
            merge_long(&bpe.pairs, &bpe.byte_ids, &piece, |t| c.push(t));
            assert_eq!(a, b, "{piece:?}");
            assert_eq!(a, c, "{piece:?}");
        }
    }
}
