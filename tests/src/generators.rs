//! Seeded generators of inputs that stress every stage of the Qwen tokenizer: NFC
//! (combining marks in every order, Hangul jamo, composition exclusions, compositions newer
//! than the reference's Unicode 9 tables), the split pattern (every whitespace kind,
//! contractions with Unicode case folding, letters and digits of many scripts and Unicode
//! versions, punctuation runs, newlines), special-token text (whole, partial, nested), BPE
//! (real words and real text), emoji sequences, any scalar value of any plane, and long runs.

use crate::rng::Rng;

/// The kinds of generated input; each has its own test with its own case count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// A mix of every fragment kind below.
    Mixed,
    /// Scalar values from anywhere (all planes, unassigned, noncharacters, private use).
    AnyChars,
    /// Combining-mark stacks in every order, Hangul jamo, Indic nukta, compositions.
    Marks,
    /// Every whitespace kind around words, punctuation and newlines.
    Whitespace,
    /// Contractions in any case, with long s, Kelvin sign and look-alikes.
    Contractions,
    /// Digits of many scripts, numerals, emoji ZWJ / flag / keycap / tag sequences.
    DigitsEmoji,
    /// Special-token text: every added token, partial, nested, with marks around.
    SpecialTokens,
    /// Windows of the real-text fixture, spliced and mutated.
    RealText,
    /// 10k+ runs of one character (space, newline, letter, digit, CJK, punctuation, ...).
    LongRuns,
    /// Text of every kind with combining marks of many scripts (and 4-byte ones) inserted
    /// at any position: first, after spaces, newlines, digits, punctuation, apostrophes,
    /// inside words and special-token text, alone or stacked (Qwen3.5's pattern puts marks
    /// in letter runs).
    MarksEverywhere,
}

impl Family {
    /// Every family but [`Family::LongRuns`]: texts of a few hundred bytes at most, for tests
    /// that pay several reference calls per text (each cut, each part).
    pub const SHORT: [Family; 9] = [
        Family::Mixed,
        Family::AnyChars,
        Family::Marks,
        Family::Whitespace,
        Family::Contractions,
        Family::DigitsEmoji,
        Family::SpecialTokens,
        Family::RealText,
        Family::MarksEverywhere,
    ];

    /// Short name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Family::Mixed => "mixed",
            Family::AnyChars => "any_chars",
            Family::Marks => "marks",
            Family::Whitespace => "whitespace",
            Family::Contractions => "contractions",
            Family::DigitsEmoji => "digits_emoji",
            Family::SpecialTokens => "special_tokens",
            Family::RealText => "real_text",
            Family::LongRuns => "long_runs",
            Family::MarksEverywhere => "marks_everywhere",
        }
    }
}

/// One generated input of `family`.
pub fn generate(family: Family, rng: &mut Rng) -> String {
    let mut s = String::new();
    match family {
        Family::Mixed => {
            let n = rng.small_len(24).max(1);
            for _ in 0..n {
                any_fragment(rng, &mut s);
            }
        }
        Family::AnyChars => {
            let n = rng.range(1, 12);
            for _ in 0..n {
                match rng.below(10) {
                    0..=5 => s.push(any_scalar_in_random_plane(rng)),
                    6 => s.push(any_scalar(rng)),
                    7 => s.push(noncharacter_or_edge(rng)),
                    _ => glue(rng, &mut s),
                }
            }
        }
        Family::Marks => {
            let n = rng.range(1, 5);
            for _ in 0..n {
                match rng.below(8) {
                    0..=2 => mark_stack(rng, &mut s),
                    3 => hangul(rng, &mut s),
                    4 | 5 => composition(rng, &mut s),
                    6 => glue(rng, &mut s),
                    _ => letter_word(rng, &mut s),
                }
            }
        }
        Family::Whitespace => {
            let n = rng.range(1, 10);
            for _ in 0..n {
                match rng.below(10) {
                    0..=4 => whitespace_run(rng, &mut s),
                    5 | 6 => letter_word(rng, &mut s),
                    7 => punct_run(rng, &mut s),
                    8 => s.push(rng.pick(DIGITS_ASCII)),
                    _ => any_fragment(rng, &mut s),
                }
            }
        }
        Family::Contractions => {
            let n = rng.range(1, 6);
            for _ in 0..n {
                match rng.below(6) {
                    0..=2 => contraction(rng, &mut s),
                    3 => letter_word(rng, &mut s),
                    4 => whitespace_run(rng, &mut s),
                    _ => any_fragment(rng, &mut s),
                }
            }
        }
        Family::DigitsEmoji => {
            let n = rng.range(1, 8);
            for _ in 0..n {
                match rng.below(8) {
                    0..=2 => digits(rng, &mut s),
                    3..=5 => emoji(rng, &mut s),
                    6 => glue(rng, &mut s),
                    _ => any_fragment(rng, &mut s),
                }
            }
        }
        Family::SpecialTokens => {
            let n = rng.range(1, 6);
            for _ in 0..n {
                match rng.below(6) {
                    0..=2 => special_text(rng, &mut s),
                    3 => glue(rng, &mut s),
                    4 => mark_stack(rng, &mut s),
                    _ => any_fragment(rng, &mut s),
                }
            }
        }
        Family::RealText => {
            let n = rng.range(1, 3);
            for _ in 0..n {
                real_window(rng, &mut s, 300);
                if rng.chance(1, 3) {
                    any_fragment(rng, &mut s);
                }
            }
        }
        Family::LongRuns => long_run(rng, &mut s),
        Family::MarksEverywhere => {
            let n = rng.range(1, 6);
            for _ in 0..n {
                match rng.below(8) {
                    0 => real_window(rng, &mut s, 40),
                    1 => contraction(rng, &mut s),
                    2 => digits(rng, &mut s),
                    3 => punct_run(rng, &mut s),
                    4 => whitespace_run(rng, &mut s),
                    5 => letter_word(rng, &mut s),
                    _ => any_fragment(rng, &mut s),
                }
            }
            sprinkle_marks(rng, &mut s);
        }
    }
    s
}

/// Combining marks (`\p{Mn}`, `\p{Mc}`, `\p{Me}`) of many scripts: Latin, Greek, Cyrillic,
/// Hebrew, Arabic, Syriac, Indic (Devanagari to Malayalam and Sinhala), Thai, Lao, Tibetan,
/// Myanmar, Khmer, Mongolian, Balinese, Japanese kana voicing, variation selectors, enclosing
/// marks, and four-byte ones (Brahmi, Kaithi, Chakma, musical symbols, Adlam, variation
/// selectors supplement).
const SCRIPT_MARKS: &[(u32, u32)] = &[
    (0x300, 0x36F),
    (0x483, 0x489),
    (0x591, 0x5BD),
    (0x610, 0x61A),
    (0x64B, 0x65F),
    (0x6D6, 0x6DC),
    (0x711, 0x711),
    (0x730, 0x74A),
    (0x900, 0x903),
    (0x93A, 0x94F),
    (0x951, 0x957),
    (0x981, 0x983),
    (0x9BC, 0x9CD),
    (0xA01, 0xA03),
    (0xA3C, 0xA4D),
    (0xABC, 0xACD),
    (0xB3C, 0xB57),
    (0xBBE, 0xBCD),
    (0xC00, 0xC04),
    (0xC3E, 0xC56),
    (0xCBC, 0xCD6),
    (0xD00, 0xD03),
    (0xD3E, 0xD4D),
    (0xDCA, 0xDDF),
    (0xE31, 0xE31),
    (0xE34, 0xE3A),
    (0xE47, 0xE4E),
    (0xEB1, 0xEBC),
    (0xF71, 0xF84),
    (0x102B, 0x103E),
    (0x17B4, 0x17D3),
    (0x180B, 0x180D),
    (0x1B00, 0x1B04),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20F0),
    (0x302A, 0x302F),
    (0x3099, 0x309A),
    (0xFE00, 0xFE0F),
    (0xFE20, 0xFE2F),
    (0x11000, 0x11002),
    (0x11038, 0x11046),
    (0x11080, 0x11082),
    (0x11100, 0x11102),
    (0x1D165, 0x1D169),
    (0x1E944, 0x1E94A),
    (0xE0100, 0xE01EF),
];

/// Inserts one to three combining marks at random positions of `s` (the start and the end
/// included), about one position in four, and sometimes a mark right after every space,
/// newline, digit or apostrophe.
pub fn sprinkle_marks(rng: &mut Rng, s: &mut String) {
    let chars: Vec<char> = s.chars().collect();
    let after_kind = rng.chance(1, 4);
    let mut out = String::with_capacity(s.len() * 2);
    for i in 0..=chars.len() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let kind = prev.is_some_and(|c| c.is_whitespace() || c.is_ascii_digit() || c == '\'');
        if rng.chance(1, 4) || (after_kind && kind) {
            for _ in 0..rng.range(1, 3) {
                if rng.chance(1, 5) {
                    out.push(mark(rng));
                } else {
                    out.push(char_from_ranges(rng, SCRIPT_MARKS));
                }
            }
        }
        if let Some(&c) = chars.get(i) {
            out.push(c);
        }
    }
    *s = out;
}

/// Any Unicode scalar value, uniformly (so mostly planes 3-16: unassigned and private use).
pub fn any_scalar(rng: &mut Rng) -> char {
    loop {
        if let Some(c) = char::from_u32(rng.range_u32(0, 0x10FFFF)) {
            return c;
        }
    }
}

/// A scalar value from a uniformly chosen plane (plane 0 and 1 weighted up, plane 0 split
/// into its dense blocks), reaching assigned, unassigned and private-use code points alike.
pub fn any_scalar_in_random_plane(rng: &mut Rng) -> char {
    loop {
        let v = match rng.below(24) {
            0..=5 => rng.range_u32(0, 0xFFFF),
            6..=8 => rng.range_u32(0x80, 0x2FFF),
            9 => rng.range_u32(0x3000, 0x9FFF),
            10 => rng.range_u32(0xA000, 0xFFFF),
            11..=13 => rng.range_u32(0x1_0000, 0x1_FFFF),
            14 => rng.range_u32(0x2_0000, 0x2_FFFF),
            15 => rng.range_u32(0x3_0000, 0x3_FFFF),
            16 => rng.range_u32(0xE_0000, 0xE_0FFF),
            _ => {
                let plane = rng.range_u32(0, 16);
                (plane << 16) | rng.range_u32(0, 0xFFFF)
            }
        };
        if let Some(c) = char::from_u32(v) {
            return c;
        }
    }
}

/// Noncharacters, plane edges, private use, format characters, controls.
pub fn noncharacter_or_edge(rng: &mut Rng) -> char {
    let v = match rng.below(6) {
        0 => rng.range_u32(0xFDD0, 0xFDEF),
        1 => (rng.range_u32(0, 16) << 16) | rng.range_u32(0xFFFE, 0xFFFF),
        2 => rng.pick(&[
            0x0, 0x1, 0x7F, 0x80, 0x9F, 0xAD, 0x34F, 0x61C, 0x180E, 0x200E, 0x200F, 0x202A, 0x202E,
            0x2060, 0x2066, 0xFEFF, 0xFFF9, 0xFFFC, 0xFFFD, 0xD7FF, 0xE000, 0xF8FF, 0x1_0000,
            0xE_0001, 0xE_0020, 0xE_007F, 0xE_0100, 0xE_01EF, 0xF_0000, 0x10_FFFD, 0x10_FFFF,
        ]),
        3 => rng.range_u32(0xE000, 0xF8FF),
        4 => rng.range_u32(0x0, 0x1F),
        _ => rng.range_u32(0xF_0000, 0x10_FFFF),
    };
    char::from_u32(v).unwrap_or('\u{FFFD}')
}

/// Whitespace characters and sequences of every kind the pattern or NFC may treat
/// specially (and look-alikes that are not `\s`).
pub const WHITESPACE: &[&str] = &[
    " ", " ", " ", "\u{A0}", "\u{1680}", "\u{2000}", "\u{2001}", "\u{2002}", "\u{2003}",
    "\u{2004}", "\u{2005}", "\u{2006}", "\u{2007}", "\u{2008}", "\u{2009}", "\u{200A}", "\u{2028}",
    "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{85}", "\r\n", "\r\n", "\r", "\n", "\n",
    "\n", "\t", "\t", "\u{B}", "\u{C}", "\u{180E}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}",
    "\u{FEFF}", "\u{1C}", "\u{1D}", "\u{1E}", "\u{1F}", "\u{0}", "\u{3164}", "\u{115F}",
    "\u{FFA0}", "\n\n", " \n", "\n ", "\t\n", " \r\n", "\r\r\n",
];

const DIGITS_ASCII: &[char] = &['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/// First code point (digit zero) of decimal digit blocks, across many scripts and Unicode
/// versions (Unicode 1.1 to 16.0).
pub const DIGIT_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x116D0, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50, 0x11D50, 0x11DA0,
    0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE, 0x1D7D8, 0x1D7E2,
    0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0,
];

/// Other numerals (`\p{Nl}`, `\p{No}`) and digit look-alikes that are not `\p{N}`.
pub const OTHER_NUMERALS: &[(u32, u32)] = &[
    (0xB2, 0xB3),
    (0xB9, 0xB9),
    (0xBC, 0xBE),
    (0x9F4, 0x9F9),
    (0xBF0, 0xBF2),
    (0xF2A, 0xF33),
    (0x1369, 0x137C),
    (0x16EE, 0x16F0),
    (0x2070, 0x2079),
    (0x2080, 0x2089),
    (0x2150, 0x2189),
    (0x2460, 0x249B),
    (0x24EA, 0x24FF),
    (0x2776, 0x2793),
    (0x2CFD, 0x2CFD),
    (0x3007, 0x3007),
    (0x3021, 0x3029),
    (0x3038, 0x303A),
    (0x3192, 0x3195),
    (0x3220, 0x3229),
    (0x3248, 0x324F),
    (0x3251, 0x325F),
    (0x3280, 0x3289),
    (0x32B1, 0x32BF),
    (0x4E00, 0x4E00),
    (0x5341, 0x5341),
    (0xA830, 0xA835),
    (0x10107, 0x10133),
    (0x10140, 0x10178),
    (0x12400, 0x1246E),
    (0x16E80, 0x16E96),
    (0x1D2C0, 0x1D2D3),
    (0x1D2E0, 0x1D2F3),
    (0x1D360, 0x1D378),
    (0x1EC71, 0x1ECB4),
    (0x1ED01, 0x1ED3D),
    (0x1F100, 0x1F10C),
    (0x1F10D, 0x1F10F),
];

/// Letters of many scripts and Unicode versions (ranges are `\p{L}`-heavy, some mixed with
/// marks and unassigned code points on purpose).
pub const LETTER_RANGES: &[(u32, u32)] = &[
    (0x41, 0x5A),
    (0x61, 0x7A),
    (0xC0, 0x24F),
    (0x250, 0x2AF),
    (0x2B0, 0x2FF),
    (0x370, 0x3FF),
    (0x400, 0x4FF),
    (0x531, 0x587),
    (0x5D0, 0x5EA),
    (0x620, 0x64A),
    (0x671, 0x6D3),
    (0x860, 0x86A),
    (0x870, 0x88E),
    (0x8A0, 0x8C9),
    (0x904, 0x939),
    (0x985, 0x9B9),
    (0xA05, 0xA39),
    (0xB05, 0xB39),
    (0xB85, 0xBB9),
    (0xC05, 0xC39),
    (0xD05, 0xD3A),
    (0xE01, 0xE30),
    (0xE81, 0xEB0),
    (0xF40, 0xF6C),
    (0x1000, 0x102A),
    (0x10A0, 0x10FF),
    (0x1200, 0x137C),
    (0x13A0, 0x13F5),
    (0x1401, 0x166C),
    (0x1780, 0x17B3),
    (0x1820, 0x1878),
    (0x1C80, 0x1C8A),
    (0x1C90, 0x1CBF),
    (0x1E00, 0x1FFF),
    (0x2C00, 0x2C7F),
    (0x3041, 0x3096),
    (0x30A1, 0x30FF),
    (0x3105, 0x312F),
    (0x3131, 0x318E),
    (0x31A0, 0x31BF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA000, 0xA48C),
    (0xA640, 0xA69F),
    (0xA720, 0xA7FF),
    (0xAC00, 0xD7A3),
    (0xF900, 0xFAD9),
    (0xFB00, 0xFB4F),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFC),
    (0xFF21, 0xFF5A),
    (0xFF66, 0xFFDC),
    (0x10000, 0x1005D),
    (0x10400, 0x1044F),
    (0x10570, 0x105BC),
    (0x105C0, 0x105F3),
    (0x10D4A, 0x10D65),
    (0x10E80, 0x10EB1),
    (0x11003, 0x11037),
    (0x11380, 0x113B7),
    (0x11BC0, 0x11BE0),
    (0x11F04, 0x11F33),
    (0x13000, 0x1342F),
    (0x16100, 0x1611D),
    (0x16D40, 0x16D6C),
    (0x16F00, 0x16F4A),
    (0x17000, 0x187F7),
    (0x1B000, 0x1B122),
    (0x1D400, 0x1D7CB),
    (0x1E4D0, 0x1E4EB),
    (0x1E5D0, 0x1E5ED),
    (0x1E900, 0x1E943),
    (0x20000, 0x2A6DF),
    (0x2B740, 0x2B81D),
    (0x2CEB0, 0x2EBE0),
    (0x2EBF0, 0x2EE5D),
    (0x2F800, 0x2FA1D),
    (0x30000, 0x3134A),
    (0x31350, 0x323AF),
];

/// Combining marks with many different canonical combining classes, including marks that
/// were unassigned in Unicode 9.0 (the reference's NFC tables), whose class the reference
/// therefore takes as 0.
pub const MARKS: &[u32] = &[
    // ccc 230 (above)
    0x300, 0x301, 0x302, 0x303, 0x304, 0x306, 0x307, 0x308, 0x30A, 0x30B, 0x30C, 0x342, 0x483,
    0x591, 0x653, 0x654, 0x951, 0x1DC0, 0x20D0, 0x2DE0, 0xFE20, // ccc 220 (below)
    0x316, 0x323, 0x324, 0x325, 0x32D, 0x330, 0x331, 0x655, 0x1DFD, // other classes
    0x327, 0x328, 0x31B, 0x334, 0x338, 0x345, 0x315, 0x35C, 0x35D, 0x360, 0x5B0, 0x5B4, 0x5BC,
    0x5C1, 0x5C2, 0x64B, 0x651, 0x670, 0x93C, 0x94D, 0x9BC, 0xA3C, 0xE38, 0xE48, 0xEB8, 0xF71,
    0xF72, 0xF74, 0xF39, 0x3099, 0x309A, 0x1DCE, 0x20D2, 0x20E3, 0x20DD, 0x1D165, 0x1D16D, 0x1D167,
    0x302A, 0x302E, 0x1039, 0x17D2, // Mc, ccc 0
    0x93E, 0x93F, 0x940, 0x9BE, 0x9D7, 0xB3E, 0xB57, 0xBBE, 0xBD7, 0xCD5, 0xD3E, 0xD57, 0xDCF,
    0xDDF, 0x102E, 0x1B35, // newer than Unicode 9.0
    0x8D3, 0x1DF6, 0x1DF7, 0x1DF8, 0x1DF9, 0x1DFA, 0x1AC1, 0x1AC5, 0x1ACE, 0x898, 0x899, 0x89C,
    0x89F, 0x897, 0xC3C, 0x1183A, 0x11D42, 0x16FF0, 0x1E2AE, 0x1E08F, 0x1E4EC, 0x1E4EE, 0x10EFD,
    0x10EFF, 0x10D69, 0x10D6D, 0x113B8, 0x113C9, 0x113CE, 0x1611E, 0x1612F, 0x16D67, 0x16D6B,
    0x11930, 0x1193E, 0x11F42, 0x1E5EE, 0x1E5EF,
];

/// Canonical composition pairs (and composition-excluded characters and their
/// decompositions), across scripts and Unicode versions; some compose only in Unicode
/// versions newer than the reference's 9.0.
pub const COMPOSITION_SEQS: &[&str] = &[
    "e\u{301}",
    "E\u{301}",
    "a\u{30A}\u{301}",
    "A\u{30A}",
    "\u{212B}",
    "\u{212A}",
    "\u{2126}",
    "o\u{308}\u{304}",
    "u\u{31B}\u{323}",
    "u\u{323}\u{31B}",
    "o\u{328}\u{304}",
    "\u{3B1}\u{313}\u{301}\u{345}",
    "\u{3B9}\u{308}\u{301}",
    "\u{341}",
    "\u{340}",
    "\u{343}",
    "\u{344}",
    "\u{374}",
    "\u{37E}",
    "\u{387}",
    "\u{1F71}",
    "\u{1FBB}",
    ">\u{338}",
    "=\u{338}",
    "<\u{338}",
    "\u{2260}",
    "\u{915}\u{93C}",
    "\u{958}",
    "\u{959}",
    "\u{95F}",
    "\u{921}\u{93C}",
    "\u{9A1}\u{9BC}",
    "\u{9DC}",
    "\u{9DF}",
    "\u{A32}\u{A3C}",
    "\u{A33}",
    "\u{A36}",
    "\u{A59}",
    "\u{A5E}",
    "\u{B21}\u{B3C}",
    "\u{B5C}",
    "\u{B5D}",
    "\u{F43}",
    "\u{F42}\u{FB7}",
    "\u{F73}",
    "\u{F75}",
    "\u{F81}",
    "\u{FB1D}",
    "\u{5D9}\u{5B4}",
    "\u{FB2A}",
    "\u{5E9}\u{5C1}",
    "\u{FB4E}",
    "\u{2ADC}",
    "\u{1D15E}",
    "\u{1D1BB}",
    "\u{1D164}",
    "\u{F900}",
    "\u{FA10}",
    "\u{2F800}",
    "\u{2FA1D}",
    "\u{B47}\u{B3E}",
    "\u{B47}\u{B56}",
    "\u{B47}\u{B57}",
    "\u{BC6}\u{BBE}",
    "\u{BC7}\u{BBE}",
    "\u{BC6}\u{BD7}",
    "\u{C46}\u{C56}",
    "\u{CBF}\u{CD5}",
    "\u{CC6}\u{CD5}",
    "\u{CC6}\u{CD6}",
    "\u{CC6}\u{CC2}",
    "\u{CC6}\u{CC2}\u{CD5}",
    "\u{D46}\u{D3E}",
    "\u{D47}\u{D3E}",
    "\u{D46}\u{D57}",
    "\u{DD9}\u{DCA}",
    "\u{DD9}\u{DCF}",
    "\u{DD9}\u{DCF}\u{DCA}",
    "\u{DD9}\u{DDF}",
    "\u{1025}\u{102E}",
    "\u{1B05}\u{1B35}",
    "\u{1B3A}\u{1B35}",
    "\u{11099}\u{110BA}",
    "\u{1109B}\u{110BA}",
    "\u{11131}\u{11127}",
    "\u{11132}\u{11127}",
    "\u{11347}\u{1133E}",
    "\u{11347}\u{11357}",
    "\u{114B9}\u{114BA}",
    "\u{114B9}\u{114B0}",
    "\u{114B9}\u{114BD}",
    "\u{115B8}\u{115AF}",
    "\u{115B9}\u{115AF}",
    "\u{11935}\u{11930}",
    "\u{11382}\u{113C9}",
    "\u{11384}\u{113BB}",
    "\u{1138B}\u{113C2}",
    "\u{113C2}\u{113B8}",
    "\u{113C2}\u{113C2}",
    "\u{113C2}\u{113C9}",
    "\u{1611E}\u{1611E}",
    "\u{1611E}\u{16129}",
    "\u{1611E}\u{1611F}",
    "\u{16129}\u{1611F}",
    "\u{1611E}\u{16120}",
    "\u{16D63}\u{16D67}",
    "\u{16D67}\u{16D67}",
    "\u{16D69}\u{16D67}",
    "\u{105D2}\u{307}",
    "\u{105DA}\u{307}",
    "\u{1100}\u{1161}",
    "\u{1100}\u{1161}\u{11A8}",
    "\u{AC00}\u{11A8}",
    "\u{AC00}\u{11C3}",
    "\u{3046}\u{3099}",
    "\u{30A6}\u{3099}",
    "\u{309D}\u{3099}",
    "\u{30FD}\u{3099}",
    "\u{1E0A}\u{323}",
    "\u{1E0C}\u{307}",
    "q\u{307}\u{323}",
    "\u{212B}\u{301}",
    "\u{CA}\u{301}",
    "\u{1EA0}\u{302}",
];

/// Punctuation and symbols (`[^\s\p{L}\p{N}]`), ASCII and beyond.
pub const PUNCT: &[char] = &[
    '!',
    '"',
    '#',
    '$',
    '%',
    '&',
    '\'',
    '(',
    ')',
    '*',
    '+',
    ',',
    '-',
    '.',
    '/',
    ':',
    ';',
    '<',
    '=',
    '>',
    '?',
    '@',
    '[',
    '\\',
    ']',
    '^',
    '_',
    '`',
    '{',
    '|',
    '}',
    '~',
    '¡',
    '¿',
    '«',
    '»',
    '“',
    '”',
    '‘',
    '’',
    '—',
    '–',
    '…',
    '·',
    '§',
    '¶',
    '©',
    '®',
    '™',
    '°',
    '±',
    '×',
    '÷',
    '€',
    '£',
    '¥',
    '¢',
    '→',
    '←',
    '⇒',
    '∑',
    '√',
    '∞',
    '≠',
    '≤',
    '≥',
    '、',
    '。',
    '，',
    '：',
    '！',
    '？',
    '（',
    '）',
    '【',
    '】',
    '《',
    '》',
    '・',
    '￥',
    '〜',
    '「',
    '」',
    '\u{FF0E}',
    '\u{2E3A}',
    '\u{1F600}',
    '\u{2603}',
    '\u{FFFD}',
    '\u{1D11E}',
    '\u{E000}',
];

/// Realistic words and code pieces, so BPE merges get exercised on real tokens.
pub const WORDS: &[&str] = &[
    "the",
    " the",
    "The",
    " and",
    " of",
    " to",
    "ing",
    " is",
    " in",
    " that",
    "Hello",
    " world",
    "hello",
    "World",
    " tokenizer",
    " token",
    "ization",
    " Qwen",
    "qwen",
    " model",
    "GPT",
    " don",
    "don",
    "isn",
    "couldn",
    "I",
    " I",
    "you",
    " You",
    "we",
    " They",
    "it",
    " It",
    "A",
    " über",
    " Straße",
    " naïve",
    " café",
    " résumé",
    " Привет",
    " мир",
    " γειά",
    " σου",
    "你好",
    "世界",
    "こんにちは",
    "カタカナ",
    "안녕하세요",
    "مرحبا",
    "שלום",
    "नमस्ते",
    "สวัสดี",
    " Việt",
    " Nam",
    "fn",
    " fn",
    "let",
    " let",
    " mut",
    "impl",
    " pub",
    "def",
    " def",
    "self",
    "return",
    " return",
    "None",
    "null",
    "true",
    "false",
    "0x",
    "()",
    "{}",
    "[]",
    "->",
    "=>",
    "::",
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "//",
    "/*",
    "*/",
    "#!",
    "#[",
    "println!",
    "{\n",
    "}\n",
    "    ",
    "        ",
    "\t\t",
    "\n\n",
    "\n    ",
    ");",
    "\");",
    "'a",
    "'static",
    "&'a",
    "<T>",
    "Vec<u8>",
    "std::",
    "\"key\":",
    " \"value\"",
    "https://",
    "www.",
    ".com",
    "@",
    "...",
    "--",
    "---",
    "***",
    "===",
    "```",
    "```rust\n",
    "'''",
    "$$",
    "\\n",
    "\\\\",
];

/// The real-text fixture (sentences in many scripts, and code).
pub const REAL_TEXT: &str = include_str!("../fixtures/real-text.txt");

/// Mutable characters "between" fragments: joins that change how neighbours split.
pub fn glue(rng: &mut Rng, s: &mut String) {
    match rng.below(8) {
        0 | 1 => s.push(' '),
        2 => s.push('\n'),
        3 => s.push_str(rng.pick(WHITESPACE)),
        4 => s.push(rng.pick(PUNCT)),
        5 => s.push('\''),
        6 => s.push(char_from_ranges(rng, LETTER_RANGES)),
        _ => s.push(rng.pick(DIGITS_ASCII)),
    }
}

fn char_from_ranges(rng: &mut Rng, ranges: &[(u32, u32)]) -> char {
    let (lo, hi) = rng.pick(ranges);
    char::from_u32(rng.range_u32(lo, hi)).unwrap_or('\u{FFFD}')
}

fn mark(rng: &mut Rng) -> char {
    match rng.below(6) {
        0..=3 => char::from_u32(rng.pick(MARKS)).unwrap(),
        4 => char::from_u32(
            rng.pick(&[
                0x300u32, 0x1AB0, 0x1DC0, 0x20D0, 0xFE20, 0x591, 0x610, 0x8D3, 0x900,
            ]) + rng.range_u32(0, 0x2F),
        )
        .unwrap_or('\u{301}'),
        _ => char::from_u32(rng.range_u32(0x300, 0x36F)).unwrap(),
    }
}

/// A base (or none) followed by a stack of combining marks of different classes, in a
/// random order (so every order is reached over many cases), sometimes repeated.
pub fn mark_stack(rng: &mut Rng, s: &mut String) {
    match rng.below(10) {
        0 => {}
        1..=3 => s.push(rng.pick(&['a', 'e', 'o', 'u', 'A', 'O', 'n', 'c', 's', 'i'])),
        4 => s.push(char_from_ranges(rng, LETTER_RANGES)),
        5 => s.push(rng.pick(PUNCT)),
        6 => s.push(rng.pick(&[' ', '\n', '\u{3000}', '\t', '\u{A0}'])),
        7 => s.push(rng.pick(DIGITS_ASCII)),
        8 => s.push_str(rng.pick(COMPOSITION_SEQS)),
        _ => s.push(any_scalar_in_random_plane(rng)),
    }
    let n = rng.range(1, 6);
    let mut marks: Vec<char> = (0..n).map(|_| mark(rng)).collect();
    rng.shuffle(&mut marks);
    if rng.chance(1, 8) {
        let again = marks.clone();
        marks.extend(again);
    }
    s.extend(marks);
}

/// Hangul: modern and archaic conjoining jamo in L/V/T orders (valid and not), precomposed
/// LV/LVT syllables followed by trailing jamo, compatibility jamo and fillers.
pub fn hangul(rng: &mut Rng, s: &mut String) {
    let l = |rng: &mut Rng| match rng.below(5) {
        0..=2 => rng.range_u32(0x1100, 0x1112),
        3 => rng.range_u32(0x1113, 0x115F),
        _ => rng.range_u32(0xA960, 0xA97C),
    };
    let v = |rng: &mut Rng| match rng.below(5) {
        0..=2 => rng.range_u32(0x1161, 0x1175),
        3 => rng.range_u32(0x1160, 0x11A7),
        _ => rng.range_u32(0xD7B0, 0xD7C6),
    };
    let t = |rng: &mut Rng| match rng.below(5) {
        0..=2 => rng.range_u32(0x11A8, 0x11C2),
        3 => rng.range_u32(0x11C3, 0x11FF),
        _ => rng.range_u32(0xD7CB, 0xD7FB),
    };
    let lv = |rng: &mut Rng| 0xAC00 + 28 * rng.range_u32(0, 399);
    let n = rng.range(1, 4);
    for _ in 0..n {
        let seq: Vec<u32> = match rng.below(9) {
            0 => vec![l(rng), v(rng)],
            1 => vec![l(rng), v(rng), t(rng)],
            2 => vec![lv(rng), t(rng)],
            3 => vec![lv(rng) + rng.range_u32(1, 27), t(rng)],
            4 => vec![l(rng), l(rng), v(rng), v(rng), t(rng), t(rng)],
            5 => vec![v(rng), t(rng), l(rng)],
            6 => vec![l(rng), mark(rng) as u32, v(rng)],
            7 => vec![
                rng.range_u32(0x3131, 0x318E),
                0x3164,
                rng.range_u32(0xFFA0, 0xFFDC),
            ],
            _ => vec![lv(rng), v(rng), t(rng)],
        };
        s.extend(seq.into_iter().filter_map(char::from_u32));
    }
}

/// A composition-relevant sequence, sometimes with a mark stack after it.
pub fn composition(rng: &mut Rng, s: &mut String) {
    s.push_str(rng.pick(COMPOSITION_SEQS));
    if rng.chance(1, 3) {
        let n = rng.range(1, 3);
        let mut marks: Vec<char> = (0..n).map(|_| mark(rng)).collect();
        rng.shuffle(&mut marks);
        s.extend(marks);
    }
    if rng.chance(1, 4) {
        // Random neighbours inside blocks with compositions (incl. Unicode 13-16 ones).
        let (lo, hi) = rng.pick(&[
            (0xB05u32, 0xB57u32),
            (0xBC6, 0xBD7),
            (0xCBF, 0xCD6),
            (0xD3E, 0xD57),
            (0xDCA, 0xDDF),
            (0x11900, 0x1195F),
            (0x11380, 0x113FF),
            (0x16100, 0x1613F),
            (0x16D40, 0x16D7F),
            (0x105C0, 0x105FF),
            (0x11300, 0x1137F),
            (0x114B0, 0x114C3),
        ]);
        for _ in 0..rng.range(2, 4) {
            if let Some(c) = char::from_u32(rng.range_u32(lo, hi)) {
                s.push(c);
            }
        }
    }
}

/// A run of whitespace of one or several kinds, often followed by a word, a newline or
/// punctuation (the pattern's `\s+(?!\S)` and `\s*[\r\n]+` cases).
pub fn whitespace_run(rng: &mut Rng, s: &mut String) {
    let kinds = rng.range(1, 3);
    let chosen: Vec<&str> = (0..kinds).map(|_| rng.pick(WHITESPACE)).collect();
    let n = rng.small_len(12).max(1);
    for _ in 0..n {
        s.push_str(rng.pick(&chosen));
    }
    match rng.below(5) {
        0 => letter_word(rng, s),
        1 => s.push(rng.pick(PUNCT)),
        2 => s.push(rng.pick(DIGITS_ASCII)),
        _ => {}
    }
}

/// A word of letters from one script, or a realistic word.
pub fn letter_word(rng: &mut Rng, s: &mut String) {
    if rng.chance(1, 2) {
        s.push_str(rng.pick(WORDS));
        return;
    }
    let range = rng.pick(LETTER_RANGES);
    for _ in 0..rng.range(1, 6) {
        s.push(char_from_ranges(rng, &[range]));
    }
}

/// A run of punctuation, sometimes led by a space or followed by newlines.
pub fn punct_run(rng: &mut Rng, s: &mut String) {
    if rng.chance(1, 3) {
        s.push(' ');
    }
    for _ in 0..rng.small_len(6).max(1) {
        s.push(rng.pick(PUNCT));
    }
    if rng.chance(1, 3) {
        for _ in 0..rng.range(1, 3) {
            s.push_str(rng.pick(&["\n", "\r", "\r\n"]));
        }
    }
}

/// A contraction (`'s 't 're 've 'm 'll 'd`) in random letter case, with Unicode look-alikes
/// that case-fold to the same letters (U+017F LONG S, U+212A KELVIN SIGN, ...) or not.
pub fn contraction(rng: &mut Rng, s: &mut String) {
    match rng.below(4) {
        0 => {}
        1 => s.push_str(rng.pick(&["x", "it", "don", "I", "we", "Qwen", "é", "中", "1"])),
        2 => s.push(rng.pick(&[' ', '\n', '"', '(', '\'', '\u{3000}'])),
        _ => letter_word(rng, s),
    }
    s.push(rng.pick(&[
        '\'', '\'', '\'', '\'', '\'', '\u{2019}', '\u{2018}', '\u{2BC}', '\u{FF07}', '`',
    ]));
    let suffix = rng.pick(&["s", "t", "re", "ve", "m", "ll", "d", "k", "S", "x"]);
    for c in suffix.chars() {
        let c = match (c, rng.below(6)) {
            ('s', 0) | ('S', 0) => '\u{17F}',
            ('k', 0..=2) => '\u{212A}',
            (c, 1 | 2) => c.to_ascii_uppercase(),
            (c, _) => c,
        };
        s.push(c);
    }
    match rng.below(8) {
        0 => s.push_str(rng.pick(&["\u{FB05}", "\u{FB06}", "\u{DF}", "\u{1E9E}", "\u{130}"])),
        1 => s.push(rng.pick(&['a', 'S', 'T', 'e'])),
        2 => s.push('\''),
        3 => s.push(mark(rng)),
        4 => s.push(' '),
        _ => {}
    }
}

/// Digits of a random script, other numerals, or a mixture.
pub fn digits(rng: &mut Rng, s: &mut String) {
    let n = rng.small_len(10).max(1);
    match rng.below(4) {
        0 | 1 => {
            let zero = rng.pick(DIGIT_ZEROS);
            for _ in 0..n {
                s.push(char::from_u32(zero + rng.range_u32(0, 9)).unwrap_or('0'));
            }
        }
        2 => {
            for _ in 0..n {
                s.push(char_from_ranges(rng, OTHER_NUMERALS));
            }
        }
        _ => {
            for _ in 0..n {
                match rng.below(4) {
                    0 => s.push(rng.pick(&['.', ',', '-', '+', '/', ':', 'e', 'x', ' '])),
                    1 => s.push(char_from_ranges(rng, OTHER_NUMERALS)),
                    _ => s.push(
                        char::from_u32(rng.pick(DIGIT_ZEROS) + rng.range_u32(0, 9)).unwrap_or('0'),
                    ),
                }
            }
        }
    }
}

/// Emoji: single, with variation selectors and skin tones, ZWJ sequences, flags
/// (regional-indicator pairs, sometimes odd counts), keycaps, tag sequences.
pub fn emoji(rng: &mut Rng, s: &mut String) {
    match rng.below(8) {
        0 => s.push_str(rng.pick(&[
            "👨\u{200D}👩\u{200D}👧\u{200D}👦",
            "👩🏽\u{200D}💻",
            "🏳\u{FE0F}\u{200D}🌈",
            "❤\u{FE0F}\u{200D}🔥",
            "🧑\u{200D}🤝\u{200D}🧑",
            "👁\u{FE0F}\u{200D}🗨\u{FE0F}",
            "🐻\u{200D}❄\u{FE0F}",
            "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
            "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",
        ])),
        1 => {
            for _ in 0..rng.range(1, 5) {
                s.push(char::from_u32(0x1F1E6 + rng.range_u32(0, 25)).unwrap());
            }
        }
        2 => {
            s.push(rng.pick(&[
                '0',
                '1',
                '5',
                '9',
                '#',
                '*',
                '\u{1F51F}',
                '\u{660}',
                '\u{FF11}',
            ]));
            if rng.chance(2, 3) {
                s.push('\u{FE0F}');
            }
            s.push('\u{20E3}');
        }
        3 => {
            s.push(char::from_u32(rng.range_u32(0x1F300, 0x1FAFF)).unwrap_or('😀'));
            s.push(char::from_u32(rng.range_u32(0x1F3FB, 0x1F3FF)).unwrap());
        }
        4 => {
            s.push(rng.pick(&['☺', '©', '®', '‼', '™', '☀', '✈', '❤', '♀', '♂']));
            s.push(rng.pick(&['\u{FE0E}', '\u{FE0F}']));
        }
        5 => {
            for _ in 0..rng.range(2, 5) {
                s.push(char::from_u32(rng.range_u32(0x1F300, 0x1FAFF)).unwrap_or('😀'));
                if rng.chance(1, 2) {
                    s.push('\u{200D}');
                }
            }
        }
        6 => {
            s.push(char::from_u32(rng.range_u32(0x1F300, 0x1FAFF)).unwrap_or('😀'));
            s.push(char::from_u32(rng.range_u32(0xE0020, 0xE007F)).unwrap());
            s.push('\u{E007F}');
        }
        _ => s.push(char::from_u32(rng.range_u32(0x1F000, 0x1FBFF)).unwrap_or('😀')),
    }
}

/// Every Qwen3 added token (`<|endoftext|>` .. `</think>`), plus look-alikes from other
/// generations or none.
pub const SPECIAL_TOKENS: &[&str] = &[
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|object_ref_start|>",
    "<|object_ref_end|>",
    "<|box_start|>",
    "<|box_end|>",
    "<|quad_start|>",
    "<|quad_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|vision_pad|>",
    "<|image_pad|>",
    "<|video_pad|>",
    "<tool_call>",
    "</tool_call>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|fim_pad|>",
    "<|repo_name|>",
    "<|file_sep|>",
    "<tool_response>",
    "</tool_response>",
    "<think>",
    "</think>",
];

/// Qwen3.5's added tokens: Qwen3's and seven for audio.
pub const QWEN3_5_SPECIAL_TOKENS: &[&str] = &[
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|object_ref_start|>",
    "<|object_ref_end|>",
    "<|box_start|>",
    "<|box_end|>",
    "<|quad_start|>",
    "<|quad_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|vision_pad|>",
    "<|image_pad|>",
    "<|video_pad|>",
    "<tool_call>",
    "</tool_call>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|fim_pad|>",
    "<|repo_name|>",
    "<|file_sep|>",
    "<tool_response>",
    "</tool_response>",
    "<think>",
    "</think>",
    "<|audio_start|>",
    "<|audio_end|>",
    "<tts_pad>",
    "<tts_text_bos>",
    "<tts_text_eod>",
    "<tts_text_bos_single>",
    "<|audio_pad|>",
];

/// The added tokens of the thread's target.
pub fn special_tokens() -> &'static [&'static str] {
    match crate::target() {
        crate::Target::Qwen3 => SPECIAL_TOKENS,
        crate::Target::Qwen3_5 => QWEN3_5_SPECIAL_TOKENS,
    }
}

const NOT_SPECIAL: &[&str] = &[
    "<|extra_0|>",
    "<|extra_204|>",
    "<|im_sep|>",
    "<|endofprompt|>",
    "<s>",
    "</s>",
    "<|IM_START|>",
    "<Think>",
    "<think >",
    "< think>",
    "<|im_start |>",
    "<||>",
    "<|",
    "|>",
    "<>",
];

/// Special-token text: whole, partial, nested, doubled, adjacent to marks and spaces.
pub fn special_text(rng: &mut Rng, s: &mut String) {
    let specials = special_tokens();
    let tok = rng.pick(specials);
    match rng.below(12) {
        0..=3 => s.push_str(tok),
        4 => {
            // A prefix of a token followed by a whole one: `<|im_start|<|im_end|>`.
            let cut = rng.range(1, tok.len() - 1);
            s.push_str(&tok[..cut]);
            s.push_str(rng.pick(specials));
        }
        5 => {
            // A token inside another one.
            let cut = rng.range(1, tok.len() - 1);
            s.push_str(&tok[..cut]);
            s.push_str(rng.pick(specials));
            s.push_str(&tok[cut..]);
        }
        6 => {
            // A token with one char removed, or a suffix only.
            let cut = rng.range(0, tok.len() - 1);
            let mut t = tok.to_owned();
            t.remove(cut);
            s.push_str(if rng.chance(1, 2) { &t } else { &tok[cut..] });
        }
        7 => {
            // A combining mark right after or before (NFC must not join across a token).
            if rng.chance(1, 2) {
                s.push_str(tok);
                s.push(rng.pick(&['\u{338}', '\u{301}', '\u{20D2}', '\u{316}', '\u{93C}']));
            } else {
                s.push(rng.pick(&['e', '>', '<', 'a', '\u{915}']));
                s.push_str(tok);
                s.push('\u{301}');
            }
        }
        8 => s.push_str(rng.pick(NOT_SPECIAL)),
        9 => {
            for _ in 0..rng.range(2, 4) {
                s.push_str(rng.pick(specials));
            }
        }
        10 => {
            s.push_str(rng.pick(&[" ", "\n", "  ", "\n\n", "'", "x"]));
            s.push_str(tok);
            s.push_str(rng.pick(&[" ", "\n", "  ", "\n\n", "s", "'s", "1"]));
        }
        _ => {
            s.push(rng.pick(&['<', '|', '>', '/']));
            s.push_str(tok);
            s.push(rng.pick(&['<', '|', '>', '/']));
        }
    }
}

/// A window of the real-text fixture (at most `max_chars` chars), on char boundaries.
pub fn real_window(rng: &mut Rng, s: &mut String, max_chars: usize) {
    let text = REAL_TEXT;
    let mut start = rng.below(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let len = rng.range(1, max_chars);
    s.extend(text[start..].chars().take(len));
}

/// One fragment of any kind (the `Mixed` family's building block).
pub fn any_fragment(rng: &mut Rng, s: &mut String) {
    match rng.below(22) {
        0 | 1 => letter_word(rng, s),
        2 => s.push_str(rng.pick(WORDS)),
        3 => whitespace_run(rng, s),
        4 => punct_run(rng, s),
        5 => contraction(rng, s),
        6 => digits(rng, s),
        7 => emoji(rng, s),
        8 => special_text(rng, s),
        9 => mark_stack(rng, s),
        10 => hangul(rng, s),
        11 => composition(rng, s),
        12 => s.push(any_scalar_in_random_plane(rng)),
        13 => s.push(any_scalar(rng)),
        14 => s.push(noncharacter_or_edge(rng)),
        15 | 16 => real_window(rng, s, 40),
        17 => glue(rng, s),
        18 => {
            // A short run of one thing (medium-length runs between the short and 10k cases).
            let unit = match rng.below(4) {
                0 => rng.pick(WHITESPACE).to_string(),
                1 => rng.pick(PUNCT).to_string(),
                2 => char_from_ranges(rng, LETTER_RANGES).to_string(),
                _ => rng.pick(WORDS).to_string(),
            };
            for _ in 0..rng.range(2, 64) {
                s.push_str(&unit);
            }
        }
        19 => s.push(char_from_ranges(rng, OTHER_NUMERALS)),
        20 => s.push(char_from_ranges(rng, LETTER_RANGES)),
        _ => s.push(char::from_u32(rng.range_u32(0x20, 0x7E)).unwrap()),
    }
}

/// Units repeated in [`long_run`] (at least 10,000 times).
pub const LONG_RUN_UNITS: &[&str] = &[
    " ",
    "\n",
    "a",
    "7",
    "中",
    "!",
    "\t",
    "\r\n",
    "\u{3000}",
    "\u{A0}",
    ".",
    "-",
    "=",
    "é",
    "e\u{301}",
    "\u{301}",
    "😀",
    "Z",
    "ab",
    " a",
    "\n\n ",
    "'s",
    "\u{AC00}",
    "\u{1100}\u{1161}",
    "\u{660}",
    "\u{10FFFF}",
    "<|im_end|>",
    "_",
    "/",
    "*",
    "\u{E01}",
    "\u{915}\u{94D}",
];

/// A long run (10,000 to 12,000 repetitions of one unit, or as many random chars of one
/// class), with short random context on either side.
pub fn long_run(rng: &mut Rng, s: &mut String) {
    if rng.chance(1, 2) {
        any_fragment(rng, s);
    }
    if rng.chance(1, 3) {
        // A long run without repetition: 10k+ random chars of one class (one huge piece
        // for letters and punctuation, many for digits), so BPE sees varied long input.
        let ranges: &[(u32, u32)] = rng.pick(&[
            &[(0x61, 0x7A)][..],
            &[(0x41, 0x5A), (0x61, 0x7A)],
            &[(0x430, 0x44F)],
            &[(0x4E00, 0x9FFF)],
            &[(0xAC00, 0xD7A3)],
            &[(0x30, 0x39)],
            &[(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
            &[(0x300, 0x36F), (0x61, 0x7A)],
            &[(0x1F300, 0x1FAFF)],
        ]);
        for _ in 0..rng.range(10_000, 12_000) {
            s.push(char_from_ranges(rng, ranges));
        }
    } else {
        let unit = rng.pick(LONG_RUN_UNITS);
        let n = rng.range(10_000, 12_000);
        s.reserve(unit.len() * n);
        for _ in 0..n {
            s.push_str(unit);
        }
    }
    if rng.chance(1, 2) {
        any_fragment(rng, s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_generate_nonempty_text_and_reach_all_planes() {
        let mut rng = Rng::new(1);
        let mut planes = [false; 17];
        for _ in 0..20_000 {
            let s = generate(Family::AnyChars, &mut rng);
            assert!(!s.is_empty());
            for c in s.chars() {
                planes[(c as u32 >> 16) as usize] = true;
            }
        }
        assert!(planes.iter().all(|&p| p), "planes reached: {planes:?}");
        for f in [
            Family::Mixed,
            Family::Marks,
            Family::Whitespace,
            Family::Contractions,
            Family::DigitsEmoji,
            Family::SpecialTokens,
            Family::RealText,
        ] {
            let any = (0..100).any(|_| !generate(f, &mut rng).is_empty());
            assert!(any, "{f:?} generates text");
        }
        let long = generate(Family::LongRuns, &mut rng);
        assert!(long.chars().count() >= 10_000);
    }
}
