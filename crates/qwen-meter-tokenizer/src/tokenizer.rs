//! The `Tokenizer`: encode, count, decode, truncate, offsets.
//!
//! The pipeline per call: special-token text is found in the raw input (unless the call is
//! "ordinary"), each stretch between special tokens is NFC-normalised (borrowed when already
//! NFC), split into pieces by the generation's pattern, and each piece is merged by BPE.
//! Counting runs the same pipeline without storing ids.

use std::sync::{LazyLock, OnceLock};

use crate::bpe::Bpe;
use crate::normalize::{Mapper, is_nfc_boundary, nfc};
use crate::pretokenize::{Pattern, Pieces, next_piece, splits_inside_run};
use crate::special::Specials;
use crate::vocab::{QWEN_VOCAB, Vocab};
use crate::{DecodeError, LoadError};

/// Which Qwen generation's vocabulary, split pattern and special tokens a tokenizer has.
///
/// Qwen, Qwen2, Qwen2.5 and Qwen3 share one vocabulary of 151,643 tokens and differ in added
/// tokens; Qwen3.5 (which Qwen3.6 builds on) has a vocabulary of 248,044 tokens of its own,
/// 33 added tokens and a split pattern in which combining marks join letter runs.
///
/// ```
/// use qwen_meter_tokenizer::{Generation, Tokenizer};
/// let tok = Tokenizer::for_generation(Generation::Qwen2_5);
/// assert_eq!(tok.special_tokens().len(), 22);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Generation {
    /// The original Qwen (dashscope SDK): `<|endoftext|>`, `<|im_start|>`, `<|im_end|>` and
    /// `<|extra_0|>`..`<|extra_204|>`.
    Qwen,
    /// Qwen2: the first three of Qwen's.
    Qwen2,
    /// Qwen2.5: 22 added tokens (vision, tool call, fill-in-the-middle).
    Qwen2_5,
    /// Qwen3: Qwen2.5's plus `<tool_response>`, `</tool_response>`, `<think>`, `</think>`.
    Qwen3,
    /// Qwen3.5 and Qwen3.6: the 248,044-token vocabulary, the split pattern with combining
    /// marks in letter runs, and 33 added tokens (Qwen3's 26 and seven for audio) from id
    /// 248,044.
    Qwen3_5,
}

impl Generation {
    /// Every generation, oldest first.
    ///
    /// ```
    /// assert_eq!(qwen_meter_tokenizer::Generation::ALL.len(), 5);
    /// ```
    pub const ALL: [Generation; 5] = [
        Generation::Qwen,
        Generation::Qwen2,
        Generation::Qwen2_5,
        Generation::Qwen3,
        Generation::Qwen3_5,
    ];

    /// The lowercase name used in the CLI and JSON: `qwen`, `qwen2`, `qwen2.5`, `qwen3`,
    /// `qwen3.5`.
    ///
    /// ```
    /// assert_eq!(qwen_meter_tokenizer::Generation::Qwen2_5.name(), "qwen2.5");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Generation::Qwen => "qwen",
            Generation::Qwen2 => "qwen2",
            Generation::Qwen2_5 => "qwen2.5",
            Generation::Qwen3 => "qwen3",
            Generation::Qwen3_5 => "qwen3.5",
        }
    }

    /// Parses a name as printed by [`Generation::name`] (also `qwen2_5`, `qwen3_5`, and
    /// `qwen3.6` for the Qwen3.5 vocabulary it uses; case-insensitive).
    ///
    /// ```
    /// use qwen_meter_tokenizer::Generation;
    /// assert_eq!(Generation::from_name("Qwen3"), Some(Generation::Qwen3));
    /// assert_eq!(Generation::from_name("qwen2_5"), Some(Generation::Qwen2_5));
    /// assert_eq!(Generation::from_name("qwen3.5"), Some(Generation::Qwen3_5));
    /// assert_eq!(Generation::from_name("gpt"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Generation> {
        match name.to_ascii_lowercase().as_str() {
            "qwen" | "qwen1" => Some(Generation::Qwen),
            "qwen2" => Some(Generation::Qwen2),
            "qwen2.5" | "qwen2_5" | "qwen25" => Some(Generation::Qwen2_5),
            "qwen3" => Some(Generation::Qwen3),
            "qwen3.5" | "qwen3_5" | "qwen35" | "qwen3.6" | "qwen3_6" | "qwen36" => {
                Some(Generation::Qwen3_5)
            }
            _ => None,
        }
    }

    /// The split pattern of this generation's pre-tokenizer.
    pub(crate) fn pattern(self) -> Pattern {
        match self {
            Generation::Qwen3_5 => Pattern::Qwen3_5,
            _ => Pattern::Qwen,
        }
    }
}

/// Prints [`Generation::name`].
///
/// ```
/// assert_eq!(qwen_meter_tokenizer::Generation::Qwen3_5.to_string(), "qwen3.5");
/// ```
impl std::fmt::Display for Generation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A name [`Generation::from_name`] does not know.
///
/// ```
/// let err = "gpt".parse::<qwen_meter_tokenizer::Generation>().unwrap_err();
/// assert!(err.to_string().contains("gpt"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownGeneration(
    /// The name as given.
    pub String,
);

impl std::fmt::Display for UnknownGeneration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown tokenizer generation {:?} (expected qwen, qwen2, qwen2.5, qwen3 or qwen3.5)",
            self.0
        )
    }
}

impl std::error::Error for UnknownGeneration {}

/// Parses as [`Generation::from_name`].
///
/// ```
/// use qwen_meter_tokenizer::Generation;
/// assert_eq!("qwen3.5".parse::<Generation>(), Ok(Generation::Qwen3_5));
/// ```
impl std::str::FromStr for Generation {
    type Err = UnknownGeneration;
    fn from_str(s: &str) -> Result<Generation, UnknownGeneration> {
        Generation::from_name(s).ok_or_else(|| UnknownGeneration(s.to_string()))
    }
}

/// Which end of the text [`Tokenizer::truncate`] keeps.
///
/// ```
/// use qwen_meter_tokenizer::{Keep, Tokenizer};
/// let tok = Tokenizer::qwen3();
/// assert_eq!(tok.truncate("one two three", 1, Keep::End), " three");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// Keep the beginning, drop the end.
    #[default]
    Start,
    /// Keep the end, drop the beginning.
    End,
}

/// One token with the byte range of the input it covers.
///
/// Tokens that cover only part of a character share that character's range; where NFC
/// rewrote the input, ranges cover the rewritten input span.
///
/// ```
/// use qwen_meter_tokenizer::Tokenizer;
/// let text = "Hi 👋";
/// let spans = Tokenizer::qwen3().encode_with_offsets(text);
/// assert_eq!(&text[spans[0].start..spans[0].end], "Hi");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenSpan {
    /// Token id.
    pub id: u32,
    /// Start byte offset in the input.
    pub start: usize,
    /// End byte offset in the input (exclusive).
    pub end: usize,
}

/// One piece of the split text, for truncation: where it starts in the input, how many
/// tokens precede it, and whether the input and the normalised text are split exactly there.
#[derive(Debug, Clone, Copy)]
struct PieceRec {
    start: usize,
    first_token: usize,
    exact: bool,
    /// End of the special token this piece is (0 for text pieces).
    special_end: usize,
}

enum BpeRef {
    Static(&'static Bpe),
    Owned(Box<Bpe>),
}

impl std::ops::Deref for BpeRef {
    type Target = Bpe;
    fn deref(&self) -> &Bpe {
        match self {
            BpeRef::Static(b) => b,
            BpeRef::Owned(b) => b,
        }
    }
}

/// A Qwen tokenizer: the shared byte-level BPE vocabulary plus one generation's special tokens.
///
/// Built-in tokenizers are built once, on first use, and shared.
///
/// ```
/// use qwen_meter_tokenizer::Tokenizer;
/// let tok = Tokenizer::qwen3();
/// let ids = tok.encode("Hello, world!");
/// assert_eq!(ids, [9707, 11, 1879, 0]);
/// assert_eq!(tok.count("Hello, world!"), 4);
/// assert_eq!(tok.decode(&ids).unwrap(), "Hello, world!");
/// ```
pub struct Tokenizer {
    bpe: BpeRef,
    pub(crate) specials: Specials,
    generation: Option<Generation>,
    pattern: Pattern,
    /// For a loaded file whose ids are not its merge order: the file's id of each engine id,
    /// and the engine's id of each file id (the engine numbers tokens by merge priority).
    ids: Option<Box<IdMap>>,
}

struct IdMap {
    to_file: Vec<u32>,
    to_engine: Vec<u32>,
}

/// Pieces at least this long (bytes) that a streaming cut would otherwise have to wait for
/// are cut inside instead (see [`Tokenizer::stable_cut`]).
const LONG_RUN: usize = 1024;

static QWEN_BPE: LazyLock<Bpe> = LazyLock::new(|| {
    Bpe::builtin(Vocab::from_compact(QWEN_VOCAB).expect("the embedded vocabulary is valid"))
});

static BUILTIN: [LazyLock<Tokenizer>; 4] = [
    LazyLock::new(|| Tokenizer::with_bpe(Generation::Qwen, BpeRef::Static(&QWEN_BPE))),
    LazyLock::new(|| Tokenizer::with_bpe(Generation::Qwen2, BpeRef::Static(&QWEN_BPE))),
    LazyLock::new(|| Tokenizer::with_bpe(Generation::Qwen2_5, BpeRef::Static(&QWEN_BPE))),
    LazyLock::new(|| Tokenizer::with_bpe(Generation::Qwen3, BpeRef::Static(&QWEN_BPE))),
];

/// The Qwen3.5 tokenizer: built from the embedded vocabulary on first use, or installed by
/// [`Tokenizer::install_compact`] when the crate is built without it.
static QWEN3_5: OnceLock<Tokenizer> = OnceLock::new();

fn qwen3_5_builtin() -> Option<&'static Tokenizer> {
    #[cfg(feature = "embed-qwen3_5")]
    {
        Some(QWEN3_5.get_or_init(|| {
            let vocab = Vocab::from_compact(crate::vocab::QWEN3_5_VOCAB)
                .expect("the embedded Qwen3.5 vocabulary is valid");
            Tokenizer::with_bpe(
                Generation::Qwen3_5,
                BpeRef::Owned(Box::new(Bpe::builtin(vocab))),
            )
        }))
    }
    #[cfg(not(feature = "embed-qwen3_5"))]
    {
        QWEN3_5.get()
    }
}

impl Tokenizer {
    /// The tokenizer of generation `g` over the engine `bpe` (which must hold `g`'s vocabulary).
    fn with_bpe(g: Generation, bpe: BpeRef) -> Tokenizer {
        let specials = match g {
            Generation::Qwen => Specials::qwen(),
            Generation::Qwen2 => Specials::first_n(3),
            Generation::Qwen2_5 => Specials::first_n(22),
            Generation::Qwen3 => Specials::first_n(26),
            Generation::Qwen3_5 => Specials::qwen3_5(),
        };
        Tokenizer {
            bpe,
            specials,
            generation: Some(g),
            pattern: g.pattern(),
            ids: None,
        }
    }

    /// The built-in tokenizer of a generation.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Generation, Tokenizer};
    /// assert_eq!(Tokenizer::for_generation(Generation::Qwen3).generation(), Some(Generation::Qwen3));
    /// ```
    ///
    /// # Panics
    ///
    /// Only in a build without the default feature `embed-qwen3_5`, for
    /// [`Generation::Qwen3_5`] before [`Tokenizer::install_compact`] installed its
    /// vocabulary; [`Tokenizer::try_for_generation`] returns `None` instead.
    pub fn for_generation(g: Generation) -> &'static Tokenizer {
        Tokenizer::try_for_generation(g).expect(
            "the Qwen3.5 vocabulary is not embedded (feature `embed-qwen3_5`) and was not installed with Tokenizer::install_compact",
        )
    }

    /// The built-in tokenizer of a generation, or `None` for Qwen3.5 when its vocabulary is
    /// neither embedded (the default feature `embed-qwen3_5`) nor installed yet with
    /// [`Tokenizer::install_compact`].
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Generation, Tokenizer};
    /// assert!(Tokenizer::try_for_generation(Generation::Qwen2).is_some());
    /// ```
    pub fn try_for_generation(g: Generation) -> Option<&'static Tokenizer> {
        match g {
            Generation::Qwen => Some(&BUILTIN[0]),
            Generation::Qwen2 => Some(&BUILTIN[1]),
            Generation::Qwen2_5 => Some(&BUILTIN[2]),
            Generation::Qwen3 => Some(&BUILTIN[3]),
            Generation::Qwen3_5 => qwen3_5_builtin(),
        }
    }

    /// The Qwen3.5 tokenizer, which also serves Qwen3.6: 248,044 tokens, 33 special tokens.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3_5();
    /// assert_eq!(tok.encode("人工智能"), [109015]);
    /// assert_eq!(tok.encode("<|im_start|>"), [248045]);
    /// ```
    ///
    /// # Panics
    ///
    /// As [`Tokenizer::for_generation`]: only without the default feature `embed-qwen3_5`
    /// before the vocabulary is installed.
    pub fn qwen3_5() -> &'static Tokenizer {
        Tokenizer::for_generation(Generation::Qwen3_5)
    }

    /// A tokenizer of `generation` from its vocabulary in the crate's compact form: the
    /// files `data/qwen.vocab` (Qwen to Qwen3) and `data/qwen3_5.vocab` (Qwen3.5) of this
    /// crate, which `qwen-meter-gen` writes. For programs that ship a vocabulary separately
    /// and load it on first use (the npm package's second asset), built without the default
    /// feature `embed-qwen3_5`; see also [`Tokenizer::install_compact`]. A file whose size
    /// or merges do not add up is a [`LoadError`].
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Generation, Tokenizer};
    /// let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/qwen.vocab")).unwrap();
    /// let tok = Tokenizer::from_compact(Generation::Qwen3, &bytes).unwrap();
    /// assert_eq!(tok.encode("Hello, world!"), [9707, 11, 1879, 0]);
    /// assert!(Tokenizer::from_compact(Generation::Qwen3, b"QMV9").is_err());
    /// ```
    pub fn from_compact(generation: Generation, bytes: &[u8]) -> Result<Tokenizer, LoadError> {
        let vocab = Vocab::from_compact(bytes)?;
        let want = match generation {
            Generation::Qwen3_5 => 248_044,
            _ => 151_643,
        };
        if vocab.len() != want {
            return Err(LoadError {
                source_kind: "compact vocabulary",
                location: "header".into(),
                message: format!(
                    "{} tokens, but {generation} has {want}: the file of another generation",
                    vocab.len()
                ),
            });
        }
        // The file says which tokens BPE emits, as the embedded ones do.
        Ok(Tokenizer::with_bpe(
            generation,
            BpeRef::Owned(Box::new(Bpe::builtin(vocab))),
        ))
    }

    /// Makes [`Tokenizer::for_generation`] (and [`Tokenizer::qwen3_5`]) serve the Qwen3.5
    /// vocabulary loaded from its compact form (`data/qwen3_5.vocab`) in a build without the
    /// default feature `embed-qwen3_5`, and returns that tokenizer. When the generation's
    /// tokenizer is already available (embedded, or installed before), it is returned and
    /// `bytes` are not read.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Generation, Tokenizer};
    /// let tok = Tokenizer::install_compact(Generation::Qwen3, b"unused: embedded").unwrap();
    /// assert_eq!(tok.generation(), Some(Generation::Qwen3));
    /// ```
    pub fn install_compact(
        generation: Generation,
        bytes: &[u8],
    ) -> Result<&'static Tokenizer, LoadError> {
        if let Some(t) = Tokenizer::try_for_generation(generation) {
            return Ok(t);
        }
        let tok = Tokenizer::from_compact(generation, bytes)?;
        Ok(QWEN3_5.get_or_init(|| tok))
    }

    /// The Qwen3 tokenizer (26 special tokens, including `<think>`).
    ///
    /// ```
    /// assert_eq!(qwen_meter_tokenizer::Tokenizer::qwen3().encode("<think>"), [151667]);
    /// ```
    pub fn qwen3() -> &'static Tokenizer {
        Tokenizer::for_generation(Generation::Qwen3)
    }

    /// The Qwen2.5 tokenizer (22 special tokens).
    ///
    /// ```
    /// assert_eq!(qwen_meter_tokenizer::Tokenizer::qwen2_5().count("<think>"), 3);
    /// ```
    pub fn qwen2_5() -> &'static Tokenizer {
        Tokenizer::for_generation(Generation::Qwen2_5)
    }

    /// The Qwen2 tokenizer (3 special tokens).
    ///
    /// ```
    /// assert_eq!(qwen_meter_tokenizer::Tokenizer::qwen2().encode("<|im_end|>"), [151645]);
    /// ```
    pub fn qwen2() -> &'static Tokenizer {
        Tokenizer::for_generation(Generation::Qwen2)
    }

    /// The original Qwen tokenizer of the dashscope SDK (208 special tokens).
    ///
    /// ```
    /// assert_eq!(qwen_meter_tokenizer::Tokenizer::qwen().encode("<|extra_0|>"), [151646]);
    /// ```
    pub fn qwen() -> &'static Tokenizer {
        Tokenizer::for_generation(Generation::Qwen)
    }

    /// Loads a tokenizer from a tiktoken rank file (`base64 rank` per line, such as
    /// `qwen.tiktoken`) with the special tokens of `generation`.
    ///
    /// ```
    /// use base64::Engine;
    /// use qwen_meter_tokenizer::{Generation, Tokenizer};
    /// let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    /// // A toy byte-level vocabulary: the 256 bytes, then "ab".
    /// let mut file = String::new();
    /// for b in 0..=255u8 {
    ///     file += &format!("{} {}\n", b64(&[b]), b);
    /// }
    /// file += &format!("{} 256\n", b64(b"ab"));
    /// let tok = Tokenizer::from_tiktoken(file.as_bytes(), Generation::Qwen2).unwrap();
    /// assert_eq!(tok.encode_ordinary("abc"), [256, 99]);
    /// assert!(Tokenizer::from_tiktoken(b"not base64!! 0\n", Generation::Qwen2).is_err());
    /// ```
    pub fn from_tiktoken(bytes: &[u8], generation: Generation) -> Result<Tokenizer, LoadError> {
        let tokens = crate::loaders::parse_tiktoken(bytes)?;
        let vocab = Vocab::from_ranked(tokens, "tiktoken file")?;
        Ok(Tokenizer::with_bpe(
            generation,
            BpeRef::Owned(Box::new(Bpe::new(vocab))),
        ))
    }

    /// Loads a Qwen-style `tokenizer.json` (Hugging Face format: byte-level BPE, NFC, the Qwen
    /// or the Qwen3.5 split pattern), with the file's own semantics: a merge's priority is its
    /// position in the merge list, whatever ids its tokens have, and tokens that no merge
    /// creates are never emitted. Anything else (another pre-tokenizer or model, a merge that
    /// uses a token only a later merge creates), or a malformed file, is a [`LoadError`]
    /// naming the JSON path at fault.
    ///
    /// ```
    /// use qwen_meter_tokenizer::Tokenizer;
    /// let err = Tokenizer::from_tokenizer_json(br#"{"model": {"type": "WordPiece"}}"#).err().unwrap();
    /// assert!(err.to_string().contains("model.type"));
    /// ```
    pub fn from_tokenizer_json(bytes: &[u8]) -> Result<Tokenizer, LoadError> {
        let crate::loaders::TokenizerJson {
            vocab,
            specials,
            pattern,
            file_ids,
        } = crate::loaders::parse_tokenizer_json(bytes)?;
        let generation = Generation::ALL.into_iter().find(|&g| {
            g.pattern() == pattern
                && Tokenizer::try_for_generation(g).is_some_and(|b| {
                    b.specials.list() == specials.list() && b.vocab_size() == vocab.len()
                })
        });
        let ids = file_ids.map(|to_file| {
            let mut to_engine = vec![0; to_file.len()];
            for (e, &f) in to_file.iter().enumerate() {
                to_engine[f as usize] = e as u32;
            }
            Box::new(IdMap { to_file, to_engine })
        });
        Ok(Tokenizer {
            bpe: BpeRef::Owned(Box::new(Bpe::new(vocab))),
            specials,
            generation,
            pattern,
            ids,
        })
    }

    /// Engine ids to the file's ids (special ids lie above the vocabulary and stay).
    fn to_file_ids(&self, ids: &mut [u32]) {
        if let Some(map) = &self.ids {
            for id in ids {
                if let Some(&f) = map.to_file.get(*id as usize) {
                    *id = f;
                }
            }
        }
    }

    /// The generation whose special tokens this tokenizer has, if it matches one.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Generation, Tokenizer};
    /// assert_eq!(Tokenizer::qwen2().generation(), Some(Generation::Qwen2));
    /// ```
    pub fn generation(&self) -> Option<Generation> {
        self.generation
    }

    /// Builds now the tables that make long inputs fast (a token trie of about 4 MB, some
    /// 60 ms of work), which a tokenizer otherwise builds by itself once it has encoded about
    /// a megabyte of text. For servers and batch jobs that want steady timings from the first
    /// request; ids and counts are the same either way.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// tok.prepare();
    /// assert_eq!(tok.count("通义千问数得清每一个词元。"), tok.encode("通义千问数得清每一个词元。").len());
    /// ```
    pub fn prepare(&self) {
        self.bpe.trie();
    }

    /// Number of ordinary (BPE) tokens: 151,643 for Qwen to Qwen3, 248,044 for Qwen3.5.
    ///
    /// ```
    /// assert_eq!(qwen_meter_tokenizer::Tokenizer::qwen3().vocab_size(), 151_643);
    /// assert_eq!(qwen_meter_tokenizer::Tokenizer::qwen3_5().vocab_size(), 248_044);
    /// ```
    pub fn vocab_size(&self) -> usize {
        self.bpe.vocab.len()
    }

    /// The special tokens as (text, id), in id order.
    ///
    /// ```
    /// let specials = qwen_meter_tokenizer::Tokenizer::qwen3().special_tokens();
    /// assert_eq!(specials[0], ("<|endoftext|>", 151643));
    /// assert_eq!(specials.len(), 26);
    /// ```
    pub fn special_tokens(&self) -> Vec<(&str, u32)> {
        self.specials.list()
    }

    /// The bytes of one token (special tokens give their text), or `None` for an unknown id.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// assert_eq!(tok.token_bytes(9707), Some(&b"Hello"[..]));
    /// assert_eq!(tok.token_bytes(151644), Some(&b"<|im_start|>"[..]));
    /// assert_eq!(tok.token_bytes(999_999), None);
    /// ```
    pub fn token_bytes(&self, id: u32) -> Option<&[u8]> {
        if (id as usize) < self.bpe.vocab.len() {
            let id = self.ids.as_ref().map_or(id, |m| m.to_engine[id as usize]);
            Some(self.bpe.vocab.token(id))
        } else {
            self.specials.content(id).map(str::as_bytes)
        }
    }

    /// The id of a special token's text, such as `"<|im_start|>"`.
    ///
    /// ```
    /// assert_eq!(qwen_meter_tokenizer::Tokenizer::qwen3().special_token_id("<|im_end|>"), Some(151645));
    /// ```
    pub fn special_token_id(&self, text: &str) -> Option<u32> {
        self.specials.id(text)
    }

    /// Token ids of `text`; special-token text such as `<|im_start|>` becomes its special
    /// token, as in the reference tokenizer.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// assert_eq!(tok.encode("<|im_start|>user"), [151644, 872]);
    /// ```
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::with_capacity(text.len() / 3 + 1);
        self.encode_into(text, true, &mut out);
        self.to_file_ids(&mut out);
        out
    }

    /// Token ids of `text` with special-token text treated as plain text.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// assert!(tok.encode_ordinary("<|im_start|>").len() > 1);
    /// ```
    pub fn encode_ordinary(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::with_capacity(text.len() / 3 + 1);
        self.encode_into(text, false, &mut out);
        self.to_file_ids(&mut out);
        out
    }

    fn encode_into(&self, text: &str, special: bool, out: &mut Vec<u32>) {
        self.bpe.with_memo(|mut memo| {
            self.for_each_segment(text, special, |seg| match seg {
                Segment::Special(_, _, id) => out.push(id),
                Segment::Text(a, b) => {
                    let norm = nfc(&text[a..b]);
                    let s = norm.text.as_bytes();
                    for (p, q) in Pieces::new(&norm.text, self.pattern) {
                        self.bpe
                            .encode_piece_memo(memo.as_deref_mut(), &s[p..q], out);
                    }
                }
            })
        });
    }

    /// Number of tokens of `text` (`encode(text).len()`), without storing any ids.
    ///
    /// ```
    /// assert_eq!(qwen_meter_tokenizer::Tokenizer::qwen3().count("The quick brown fox"), 4);
    /// ```
    pub fn count(&self, text: &str) -> usize {
        self.count_up_to(text, true, usize::MAX)
            .unwrap_or(usize::MAX)
    }

    /// Number of tokens of `text` with special-token text treated as plain text.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// assert_eq!(tok.count_ordinary("<think>"), tok.encode_ordinary("<think>").len());
    /// ```
    pub fn count_ordinary(&self, text: &str) -> usize {
        self.count_up_to(text, false, usize::MAX)
            .unwrap_or(usize::MAX)
    }

    /// `Some(count)` when `text` has at most `limit` tokens, `None` as soon as the count
    /// passes `limit` (the rest of the text is not looked at).
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// assert_eq!(tok.count_within("Hello, world!", 10), Some(4));
    /// assert_eq!(tok.count_within("Hello, world!", 3), None);
    /// ```
    pub fn count_within(&self, text: &str, limit: usize) -> Option<usize> {
        self.count_up_to(text, true, limit)
    }

    /// Like [`Tokenizer::count_within`] with special-token text treated as plain text.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// assert_eq!(tok.count_ordinary_within("<think>", 1), None);
    /// ```
    pub fn count_ordinary_within(&self, text: &str, limit: usize) -> Option<usize> {
        self.count_up_to(text, false, limit)
    }

    pub(crate) fn count_up_to(&self, text: &str, special: bool, limit: usize) -> Option<usize> {
        let mut n = 0usize;
        self.bpe.with_memo(|mut memo| {
            self.for_each_segment_until(text, special, |seg| {
                match seg {
                    Segment::Special(..) => n += 1,
                    Segment::Text(a, b) => {
                        let norm = nfc(&text[a..b]);
                        let s = norm.text.as_bytes();
                        for (p, q) in Pieces::new(&norm.text, self.pattern) {
                            n += self.bpe.count_piece_memo(memo.as_deref_mut(), &s[p..q]);
                            if n > limit {
                                return false;
                            }
                        }
                    }
                }
                n <= limit
            })
        });
        (n <= limit).then_some(n)
    }

    /// Decodes ids to text; ids whose bytes do not form valid UTF-8 are an error that names
    /// the byte offset (see [`Tokenizer::decode_bytes`]).
    ///
    /// ```
    /// use qwen_meter_tokenizer::{DecodeError, Tokenizer};
    /// let tok = Tokenizer::qwen3();
    /// assert_eq!(tok.decode(&[9707, 151645]).unwrap(), "Hello<|im_end|>");
    /// assert_eq!(tok.decode(&[9707, 999_999]), Err(DecodeError::UnknownId { index: 1, id: 999_999 }));
    /// ```
    pub fn decode(&self, ids: &[u32]) -> Result<String, DecodeError> {
        let bytes = self.decode_bytes(ids)?;
        String::from_utf8(bytes).map_err(|e| DecodeError::InvalidUtf8 {
            byte_offset: e.utf8_error().valid_up_to(),
        })
    }

    /// Decodes ids to raw bytes, for ids that split a character.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let ids = tok.encode("🦀");
    /// assert_eq!(tok.decode_bytes(&ids[..1]).unwrap().len() < 4, ids.len() > 1);
    /// assert_eq!(tok.decode_bytes(&ids).unwrap(), "🦀".as_bytes());
    /// ```
    pub fn decode_bytes(&self, ids: &[u32]) -> Result<Vec<u8>, DecodeError> {
        let mut out = Vec::with_capacity(ids.len() * 4);
        for (index, &id) in ids.iter().enumerate() {
            match self.token_bytes(id) {
                Some(b) => out.extend_from_slice(b),
                None => return Err(DecodeError::UnknownId { index, id }),
            }
        }
        Ok(out)
    }

    /// Every token with the byte range of the input it covers.
    ///
    /// ```
    /// use qwen_meter_tokenizer::Tokenizer;
    /// let text = "naïve café";
    /// let spans = Tokenizer::qwen3().encode_with_offsets(text);
    /// let pieces: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
    /// assert_eq!(pieces.concat(), text);
    /// ```
    pub fn encode_with_offsets(&self, text: &str) -> Vec<crate::TokenSpan> {
        let mut spans = Vec::with_capacity(text.len() / 3 + 1);
        self.walk(text, true, &mut spans, &mut Vec::new());
        self.spans_to_file_ids(&mut spans);
        spans
    }

    /// Like [`Tokenizer::encode_with_offsets`] with special-token text treated as plain text.
    ///
    /// ```
    /// let spans = qwen_meter_tokenizer::Tokenizer::qwen3().encode_ordinary_with_offsets("<think>");
    /// assert!(spans.len() > 1);
    /// ```
    pub fn encode_ordinary_with_offsets(&self, text: &str) -> Vec<crate::TokenSpan> {
        let mut spans = Vec::with_capacity(text.len() / 3 + 1);
        self.walk(text, false, &mut spans, &mut Vec::new());
        self.spans_to_file_ids(&mut spans);
        spans
    }

    fn spans_to_file_ids(&self, spans: &mut [TokenSpan]) {
        if let Some(map) = &self.ids {
            for s in spans {
                if let Some(&f) = map.to_file.get(s.id as usize) {
                    s.id = f;
                }
            }
        }
    }

    /// Tokenizes with offsets and records the pieces (for truncation).
    fn walk(
        &self,
        text: &str,
        special: bool,
        spans: &mut Vec<TokenSpan>,
        pieces: &mut Vec<PieceRec>,
    ) {
        let mut ids = Vec::new();
        self.for_each_segment(text, special, |seg| match seg {
            Segment::Special(a, b, id) => {
                pieces.push(PieceRec {
                    start: a,
                    first_token: spans.len(),
                    exact: true,
                    special_end: b,
                });
                spans.push(TokenSpan {
                    id,
                    start: a,
                    end: b,
                });
            }
            Segment::Text(a, b) => {
                let norm = nfc(&text[a..b]);
                let ns = norm.text.as_ref();
                for (p, q) in Pieces::new(ns, self.pattern) {
                    let (start, exact) = norm.map_start(p);
                    pieces.push(PieceRec {
                        start: a + start,
                        first_token: spans.len(),
                        exact,
                        special_end: 0,
                    });
                    ids.clear();
                    self.bpe.encode_piece(&ns.as_bytes()[p..q], &mut ids);
                    let mut t = p;
                    for &id in &ids {
                        let e = t + self.bpe.vocab.token(id).len();
                        let (cs, ce) = (floor_boundary(ns, t), ceil_boundary(ns, e));
                        spans.push(TokenSpan {
                            id,
                            start: a + norm.map_start(cs).0,
                            end: a + norm.map_end(ce),
                        });
                        t = e;
                    }
                }
            }
        });
    }

    /// The longest start (or end) of `text` that fits in `max_tokens`: `count(kept) <=
    /// max_tokens`, and one more character of the input would not fit. The result is a slice
    /// of `text` on a character boundary; the text is tokenized once plus a few local re-counts
    /// near the cut.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Keep, Tokenizer};
    /// let tok = Tokenizer::qwen3();
    /// let text = "The quick brown fox jumps over the lazy dog";
    /// assert_eq!(tok.truncate(text, 3, Keep::Start), "The quick brown");
    /// assert_eq!(tok.truncate(text, 2, Keep::End), " lazy dog");
    /// assert_eq!(tok.truncate(text, 100, Keep::Start), text);
    /// // A cut inside special-token text keeps what fits of it as plain text.
    /// assert_eq!(tok.truncate(" <|im_start|>", 1, Keep::Start), " <|");
    /// ```
    pub fn truncate<'a>(&self, text: &'a str, max_tokens: usize, keep: Keep) -> &'a str {
        self.truncate_impl(text, max_tokens, keep, true)
    }

    /// Like [`Tokenizer::truncate`] with special-token text treated as plain text.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Keep, Tokenizer};
    /// let tok = Tokenizer::qwen3();
    /// let kept = tok.truncate_ordinary("<think>hi", 1, Keep::Start);
    /// assert_eq!(kept, "<th");
    /// assert_eq!(tok.count_ordinary(kept), 1);
    /// ```
    pub fn truncate_ordinary<'a>(&self, text: &'a str, max_tokens: usize, keep: Keep) -> &'a str {
        self.truncate_impl(text, max_tokens, keep, false)
    }

    fn truncate_impl<'a>(&self, text: &'a str, max: usize, keep: Keep, special: bool) -> &'a str {
        let mut spans = Vec::new();
        let mut pieces = Vec::new();
        self.walk(text, special, &mut spans, &mut pieces);
        let total = spans.len();
        if total <= max {
            return text;
        }
        match keep {
            Keep::Start => {
                let fits = |k: usize| self.prefix_count(text, special, &pieces, k) <= max;
                let mut k = spans[max].start;
                if fits(k) {
                    while let Some(next) = next_char(text, k) {
                        if !fits(next) {
                            break;
                        }
                        k = next;
                    }
                } else {
                    while k > 0 {
                        k = prev_char(text, k);
                        if fits(k) {
                            break;
                        }
                    }
                }
                &text[..k]
            }
            Keep::End => {
                let fits = |k: usize| self.suffix_count(text, special, &pieces, total, k) <= max;
                let mut k = spans[total - max - 1].end;
                if fits(k) {
                    while k > 0 {
                        let prev = prev_char(text, k);
                        if !fits(prev) {
                            break;
                        }
                        k = prev;
                    }
                } else {
                    while let Some(next) = next_char(text, k) {
                        k = next;
                        if fits(k) {
                            break;
                        }
                    }
                }
                &text[k..]
            }
        }
    }

    /// Tokens of `text[..k]`, re-counting only near `k`.
    ///
    /// A piece of the whole text is also a piece of the prefix when at least two characters
    /// follow it inside the prefix (the pattern looks at most one character past a match, in
    /// `\s+(?!\S)`), and NFC of the prefix only differs after its last NFC boundary. So the
    /// count is the tokens before a safe piece start `s` plus a fresh count of `text[s..k]`.
    fn prefix_count(&self, text: &str, special: bool, pieces: &[PieceRec], k: usize) -> usize {
        // A cut inside special-token text turns it into plain text that joins what precedes
        // it, whose last pieces were split as at the end of their stretch: settle before it.
        let mut q = k;
        let inside = pieces.partition_point(|p| p.start < k);
        if inside > 0 {
            let p = pieces[inside - 1];
            if p.special_end > k {
                q = p.start;
            }
        }
        // The last NFC boundary at or before q, then two starters further back.
        while q > 0 && !is_nfc_boundary(text, q) {
            q = prev_char(text, q);
        }
        let Some(limit) = two_starters_before(text, q, 0) else {
            return self
                .count_up_to(&text[..k], special, usize::MAX)
                .unwrap_or(usize::MAX);
        };
        let mut j = pieces.partition_point(|p| p.start <= limit);
        while j > 0 {
            let p = pieces[j - 1];
            if p.exact && is_nfc_boundary(text, p.start) {
                break;
            }
            j -= 1;
        }
        let (s, before) = if j == 0 {
            (0, 0)
        } else {
            (pieces[j - 1].start, pieces[j - 1].first_token)
        };
        before
            + self
                .count_up_to(&text[s..k], special, usize::MAX)
                .unwrap_or(usize::MAX)
    }

    /// Tokens of `text[k..]`, re-counting only near `k`: the suffix is tokenized in a growing
    /// window until one of its piece starts coincides with a safe piece start of the whole text,
    /// after which both tokenizations agree.
    fn suffix_count(
        &self,
        text: &str,
        special: bool,
        pieces: &[PieceRec],
        total: usize,
        k: usize,
    ) -> usize {
        let first = pieces.partition_point(|p| p.start < k);
        let mut ahead = 4;
        loop {
            let w_idx = first + ahead;
            let w = if w_idx >= pieces.len() {
                text.len()
            } else {
                pieces[w_idx].start
            };
            let window = &text[k..w];
            let mut wspans = Vec::new();
            let mut wpieces = Vec::new();
            self.walk(window, special, &mut wspans, &mut wpieces);
            if w == text.len() {
                return wspans.len();
            }
            // Window pieces are pieces of the suffix when two starters follow them in the window.
            if let Some(limit) = two_starters_before(text, w, k) {
                for wp in wpieces.iter().skip(1) {
                    let p = k + wp.start;
                    if p > limit {
                        break;
                    }
                    if !wp.exact || !is_nfc_boundary(text, p) {
                        continue;
                    }
                    let i = pieces.partition_point(|x| x.start < p);
                    if i < pieces.len() && pieces[i].start == p && pieces[i].exact {
                        return wp.first_token + (total - pieces[i].first_token);
                    }
                }
            }
            ahead *= 2;
        }
    }

    fn for_each_segment(&self, text: &str, special: bool, mut f: impl FnMut(Segment)) {
        self.for_each_segment_until(text, special, |s| {
            f(s);
            true
        });
    }

    /// The last cut `p` of `text` that no continuation can move, with the number `n` of tokens
    /// before it: for every continuation `c`, `encode(text + c)` is the same `n` tokens
    /// followed by `encode(text[p..] + c)`. `None` when no such cut exists yet.
    ///
    /// The `n` tokens are those of the whole text, which are not always `encode(text[..p])`:
    /// the pattern splits a whitespace run by what follows it, so `" \t"` before an emoji is
    /// two tokens, and alone one. Callers keep the count (or the whole text's first `n`
    /// tokens), never the prefix's own encoding.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let text = " \t😀 is a face.\nIt smiles";
    /// let (p, n) = tok.stable_cut(text, true).unwrap();
    /// assert_eq!((p, n), (2, 2)); // before the emoji; " " and "\t" are two tokens here
    /// let whole = tok.encode(text);
    /// assert_eq!(whole[n..], tok.encode(&text[p..])[..]);
    /// assert_eq!(tok.count(&text[..p]), 1); // " \t" alone is one
    /// ```
    ///
    /// A cut must be a piece start of `text` with two NFC starters after it that no
    /// continuation can change (the pattern looks one character past a piece, and the last
    /// starter of `text` may still combine with marks that follow), and no special token that
    /// starts before it may reach past the end of `text`.
    ///
    /// Public (hidden) for callers outside the engine that settle text as it grows; the parity
    /// suite checks it against the reference. To split a text for threads, the cheaper
    /// [`Tokenizer::is_safe_cut`] needs no encoding.
    #[doc(hidden)]
    pub fn stable_cut(&self, text: &str, special: bool) -> Option<(usize, usize)> {
        // The last starter may absorb later marks: NFC is settled only before it.
        let mut q = text.len();
        while q > 0 {
            q = prev_char(text, q);
            if is_nfc_boundary(text, q) {
                break;
            }
        }
        let mut limit = two_starters_before(text, q, 0)?;
        if special {
            limit = limit.min(text.len().saturating_sub(self.specials.longest()));
        }
        let mut best = None;
        let mut n = 0usize;
        self.bpe.with_memo(|mut memo| {
            self.for_each_segment_until(text, special, |seg| match seg {
                Segment::Special(a, _, _) => {
                    if a > limit {
                        return false;
                    }
                    if a > 0 {
                        best = Some((a, n));
                    }
                    n += 1;
                    true
                }
                Segment::Text(a, b) => {
                    let norm = nfc(&text[a..b]);
                    let s = norm.text.as_bytes();
                    // Where BPE allows, a piece is cut inside: in a run that has no piece
                    // boundary (a line of emoji, CJK with no punctuation) or none at which
                    // NFC is settled (letters with combining marks), the counter would
                    // otherwise hold and rescan the whole run until it ends.
                    // `splits_inside_run` knows the Qwen pattern only; under Qwen3.5's (marks
                    // join letter runs) such a run waits for its end, as before.
                    let inside = |p: usize, q: usize, n: usize, whole: bool| {
                        if self.pattern != Pattern::Qwen {
                            return None;
                        }
                        let fits = |off: usize| {
                            // Token boundaries may split a character; cuts may not.
                            if !norm.text.is_char_boundary(p + off) {
                                return false;
                            }
                            let (start, exact) = norm.map_start(p + off);
                            exact
                                && a + start <= limit
                                && splits_inside_run(s, p, p + off)
                                && is_nfc_boundary(text, a + start)
                        };
                        let (off, k) = self.bpe.last_stable_boundary(&s[p..q], whole, fits)?;
                        // The rest must still be one piece: `splits_inside_run` says so
                        // whatever follows, and this checks it on the text at hand.
                        (next_piece::<false>(s, p + off) == q)
                            .then(|| (a + norm.map_start(p + off).0, n + k))
                    };
                    // The last piece that ends before the limit: (start, end, tokens before).
                    let mut last = None;
                    let mut mapper = Mapper::new(&norm);
                    for (p, q) in Pieces::new(&norm.text, self.pattern) {
                        let (start, exact) = mapper.map_start(p);
                        let at = a + start;
                        let end = a + mapper.map_end(q);
                        if at > limit || end > limit {
                            let cut = if at <= limit && q - p >= LONG_RUN {
                                inside(p, q, n, false)
                            } else {
                                None
                            };
                            best = cut
                                .or_else(|| last.and_then(|(p, q, n)| inside(p, q, n, true)))
                                .or(best);
                            return false;
                        }
                        if at > 0 && exact && is_nfc_boundary(text, at) {
                            best = Some((at, n));
                        }
                        last = Some((p, q, n));
                        n += self.bpe.count_piece_memo(memo.as_deref_mut(), &s[p..q]);
                    }
                    true
                }
            })
        });
        best
    }

    /// Splits `text` at special-token text (when `special`), calling `f` until it returns false.
    fn for_each_segment_until(
        &self,
        text: &str,
        special: bool,
        mut f: impl FnMut(Segment) -> bool,
    ) {
        let mut from = 0;
        if special {
            while let Some((a, b, id)) = self.specials.find(text, from) {
                if a > from && !f(Segment::Text(from, a)) {
                    return;
                }
                if !f(Segment::Special(a, b, id)) {
                    return;
                }
                from = b;
            }
        }
        if from < text.len() {
            f(Segment::Text(from, text.len()));
        }
    }
}

enum Segment {
    Text(usize, usize),
    Special(usize, usize, u32),
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn next_char(s: &str, i: usize) -> Option<usize> {
    s[i..].chars().next().map(|c| i + c.len_utf8())
}

/// The start of the second NFC starter before `end`, scanning no further back than `floor`:
/// a position with two characters after it (up to `end`) that no text beyond `end` can
/// change; the pattern looks at most one character past a piece.
fn two_starters_before(text: &str, end: usize, floor: usize) -> Option<usize> {
    let mut at = end;
    let mut starters = 0;
    while at > floor && starters < 2 {
        at = prev_char(text, at);
        if is_nfc_boundary(text, at) {
            starters += 1;
        }
    }
    (starters == 2).then_some(at)
}

fn prev_char(s: &str, i: usize) -> usize {
    s[..i].char_indices().next_back().map_or(0, |(p, _)| p)
}
