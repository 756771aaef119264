//! Generates the core crate's embedded data from upstream files and the reference tokenizer.
//!
//! `qwen-meter-gen vocab <qwen.tiktoken> <tokenizer.json> <out.vocab>` writes the compact
//! vocabulary; `qwen-meter-gen unicode <out.rs>` probes every code point through the reference
//! pre-tokenizer (Oniguruma, as Hugging Face `tokenizers` runs it) and the reference NFC
//! (`unicode-normalization-alignments` 0.1.12, Unicode 9) and writes the lookup tables, so the
//! core agrees with the reference by construction. Only developers run this; tests re-check
//! the committed outputs without reading upstream files.

use std::collections::HashMap;
use std::fs;

use base64::Engine;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::{
    OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer, SplitDelimiterBehavior,
};
use unicode_normalization_alignments::{
    IsNormalized, char::canonical_combining_class, is_nfc_quick,
};

const PATTERN: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("vocab") if args.len() == 5 => vocab(&args[2], &args[3], &args[4]),
        Some("unicode") if args.len() == 3 => unicode(&args[2]),
        _ => {
            eprintln!(
                "usage: qwen-meter-gen vocab <qwen.tiktoken> <tokenizer.json> <out.vocab>\n       qwen-meter-gen unicode <out.rs>"
            );
            std::process::exit(2);
        }
    }
}

/// GPT-2's byte-to-unicode map, inverted: the char tokenizer.json uses for each byte.
fn byte_level_decoder() -> HashMap<char, u8> {
    let mut bs: Vec<u32> = (b'!' as u32..=b'~' as u32)
        .chain(0xA1..=0xAC)
        .chain(0xAE..=0xFF)
        .collect();
    let mut cs = bs.clone();
    let mut n = 0;
    for b in 0..256u32 {
        if !bs.contains(&b) {
            bs.push(b);
            cs.push(256 + n);
            n += 1;
        }
    }
    bs.iter()
        .zip(cs)
        .map(|(&b, c)| (char::from_u32(c).unwrap(), b as u8))
        .collect()
}

fn vocab(tiktoken: &str, tokenizer_json: &str, out: &str) {
    let text = fs::read_to_string(tiktoken).expect("read qwen.tiktoken");
    let mut tokens: Vec<Vec<u8>> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let (b64, rank) = line.split_once(' ').expect("line has a rank");
        assert_eq!(
            rank.parse::<usize>().unwrap(),
            i,
            "ranks are dense and ordered"
        );
        tokens.push(
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap(),
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(tokenizer_json).unwrap()).unwrap();
    let dec = byte_level_decoder();
    let unlevel = |s: &str| s.chars().map(|c| dec[&c]).collect::<Vec<u8>>();
    let vocab = json["model"]["vocab"].as_object().unwrap();
    assert_eq!(vocab.len(), tokens.len());
    for (k, v) in vocab {
        assert_eq!(
            tokens[v.as_u64().unwrap() as usize],
            unlevel(k),
            "tokenizer.json vocab equals qwen.tiktoken"
        );
    }
    let merges = json["model"]["merges"].as_array().unwrap();
    assert_eq!(merges.len() + 256, tokens.len());
    let index: HashMap<&[u8], usize> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_slice(), i))
        .collect();
    let mut lefts = Vec::new();
    let mut rights = Vec::new();
    for (i, m) in merges.iter().enumerate() {
        let (a, b) = (
            unlevel(m[0].as_str().unwrap()),
            unlevel(m[1].as_str().unwrap()),
        );
        let id = 256 + i;
        assert_eq!(
            [a.clone(), b.clone()].concat(),
            tokens[id],
            "merge {i} builds token {id}"
        );
        lefts.push(index[a.as_slice()] as u32);
        rights.push(index[b.as_slice()] as u32);
    }
    for t in tokens.iter().take(256) {
        assert_eq!(t.len(), 1, "ids 0..256 are the single bytes");
    }
    // Format QMV2: b"QMV2", u32 LE count, the byte of each id 0..256, then for ids 256.. the
    // left ids and the right ids of their merges, each as three byte planes (low, mid, high):
    // token bytes follow from the merges, and planes compress well.
    let mut buf = b"QMV2".to_vec();
    buf.extend_from_slice(&(tokens.len() as u32).to_le_bytes());
    buf.extend(tokens.iter().take(256).map(|t| t[0]));
    for ids in [&lefts, &rights] {
        for shift in [0, 8, 16] {
            buf.extend(ids.iter().map(|&id| (id >> shift) as u8));
        }
    }
    fs::write(out, &buf).unwrap();
    eprintln!("wrote {out}: {} tokens, {} bytes", tokens.len(), buf.len());
}

struct Probe(Split);

impl Probe {
    fn pieces(&self, s: &str) -> Vec<String> {
        let mut pts = PreTokenizedString::from(s);
        self.0.pre_tokenize(&mut pts).unwrap();
        pts.get_splits(OffsetReferential::Original, OffsetType::Byte)
            .into_iter()
            .map(|(s, _, _)| s.to_string())
            .collect()
    }
    fn is(&self, s: &str, expect: &[&str]) -> bool {
        self.pieces(s) == expect
    }
}

fn unicode(out: &str) {
    let probe = Probe(
        Split::new(
            SplitPattern::Regex(PATTERN.into()),
            SplitDelimiterBehavior::Isolated,
            false,
        )
        .unwrap(),
    );
    let mut class = vec![0u8; 0x110000];
    let mut counts = [0usize; 8];
    for cp in 0..0x110000u32 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let cs = c.to_string();
        let mut v = if c == '\r' || c == '\n' {
            3
        } else if probe.is(&format!("a{c}"), &[&format!("a{c}")]) {
            1
        } else if probe.pieces(&format!("{c}{c}")).len() == 2 {
            2
        } else if probe.pieces(&format!("!{c}!")).len() > 1 {
            3
        } else {
            0
        };
        let quick_yes = is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes;
        if canonical_combining_class(c) != 0 || !quick_yes {
            v |= 4;
        }
        if canonical_combining_class(c) != 0 && quick_yes {
            v |= 128; // a mark that never composes: alone after a starter, already NFC
        }
        // Case-insensitive contraction letters, as Oniguruma folds them.
        if probe.is(&format!("a'{c}b"), &["a", &format!("'{c}"), "b"])
            && probe.is(&format!("a'{c}\n"), &["a", &format!("'{c}"), "\n"])
        {
            v |= 8; // s t m d
        }
        if probe.is(&format!("a'{c}eb"), &["a", &format!("'{c}e"), "b"]) {
            v |= 16; // r v
        }
        if probe.is(&format!("a'r{c}b"), &["a", &format!("'r{c}"), "b"]) {
            v |= 32; // e
        }
        let l1 = probe.is(&format!("a'{c}lb"), &["a", &format!("'{c}l"), "b"]);
        let l2 = probe.is(&format!("a'l{c}b"), &["a", &format!("'l{c}"), "b"]);
        assert_eq!(l1, l2, "{cs:?} folds to l in one position only");
        if l1 {
            v |= 64; // l
        }
        class[cp as usize] = v;
        counts[(v & 3) as usize] += 1;
        if v & 4 != 0 {
            counts[4] += 1;
        }
    }
    for (bit, name) in [(8u8, "s t m d"), (16, "r v"), (32, "e"), (64, "l")] {
        let set: String = (0..0x110000u32)
            .filter(|&cp| class[cp as usize] & bit != 0)
            .filter_map(char::from_u32)
            .collect();
        eprintln!("contraction letters folding to {name}: {set:?}");
    }
    eprintln!(
        "letters {} numbers {} whitespace {} other {} nfc-unsafe {}",
        counts[1], counts[2], counts[3], counts[0], counts[4]
    );
    // Two-stage table: blocks of 256 code points, deduplicated.
    let mut blocks: Vec<&[u8]> = Vec::new();
    let mut index = Vec::new();
    for chunk in class.chunks(256) {
        let i = blocks.iter().position(|b| *b == chunk).unwrap_or_else(|| {
            blocks.push(chunk);
            blocks.len() - 1
        });
        index.push(i as u8);
    }
    assert!(blocks.len() <= 256);
    let mut src = String::new();
    src.push_str("//! Unicode tables of the Qwen split pattern and NFC, generated by `qwen-meter-gen unicode`\n");
    src.push_str(
        "//! from the reference itself (Oniguruma as run by Hugging Face `tokenizers` 0.23, and\n",
    );
    src.push_str("//! `unicode-normalization-alignments` 0.1.12). Do not edit; regenerate.\n//!\n");
    src.push_str(
        "//! Per code point one byte: bits 0-1 class (0 other, 1 `\\p{L}`, 2 `\\p{N}`, 3 `\\s`),\n",
    );
    src.push_str(
        "//! bit 2 NFC-unsafe (not a starter with NFC_QC=Yes), bits 3-6 contraction letters that\n",
    );
    src.push_str(
        "//! `(?i:...)` folds to s/t/m/d, r/v, e and l, bit 7 a non-starter with NFC_QC=Yes.\n\n",
    );
    src.push_str(&format!(
        "pub(crate) static BLOCK_INDEX: [u8; {}] = {:?};\n\n",
        index.len(),
        index
    ));
    src.push_str(&format!(
        "pub(crate) static BLOCKS: [[u8; 256]; {}] = [\n",
        blocks.len()
    ));
    for b in &blocks {
        src.push_str(&format!("    {:?},\n", b));
    }
    src.push_str("];\n");
    fs::write(out, src).unwrap();
    eprintln!("wrote {out}: {} blocks", blocks.len());
}
