//! Generates the core crate's embedded data from upstream files and the reference tokenizer.
//!
//! `qwen-meter-gen vocab <qwen.tiktoken> <tokenizer.json> <out.vocab>` writes the compact
//! Qwen vocabulary; `qwen-meter-gen qwen3_5 <qwen3_5.tiktoken> <specials.json> <out.vocab>
//! <out-tokenizer.json>` derives the Qwen3.5 merges from the ranks and writes the compact
//! vocabulary and the reference `tokenizer.json` the tests load; `qwen-meter-gen unicode
//! <out.rs>` probes every code point through the reference pre-tokenizer (Oniguruma, as
//! Hugging Face `tokenizers` runs it) with both split patterns and the reference NFC
//! (`unicode-normalization-alignments` 0.1.12, Unicode 9) and writes the lookup tables, so the
//! core agrees with the reference by construction. Only developers run this; tests re-check
//! the committed outputs without reading upstream files.

use std::collections::HashMap;
use std::fs;

use base64::Engine;
use sha2::{Digest, Sha256};
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::{
    OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer, SplitDelimiterBehavior,
};
use unicode_normalization_alignments::{
    IsNormalized, char::canonical_combining_class, is_nfc_quick,
};

use qwen_meter_tokenizer::{QWEN_PATTERN as PATTERN, QWEN3_5_PATTERN as PATTERN_QWEN3_5};

/// SHA-256 of the Qwen3.5 ranks file (`qwen3_5.tiktoken`, the 248,044 tokens by rank).
const QWEN3_5_RANKS_SHA256: &str =
    "8dde380a6405e935f5de16a99eb61c824f3f814dd1ed298784c72babb7a03cdd";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("vocab") if args.len() == 5 => vocab(&args[2], &args[3], &args[4]),
        Some("qwen3_5") if args.len() == 6 => qwen3_5(&args[2], &args[3], &args[4], &args[5]),
        Some("unicode") if args.len() == 3 => unicode(&args[2]),
        _ => {
            eprintln!(
                "usage: qwen-meter-gen vocab <qwen.tiktoken> <tokenizer.json> <out.vocab>\n       qwen-meter-gen qwen3_5 <qwen3_5.tiktoken> <specials.json> <out.vocab> <out-tokenizer.json>\n       qwen-meter-gen unicode <out.rs>"
            );
            std::process::exit(2);
        }
    }
}

/// GPT-2's byte-to-unicode map, inverted: the byte each char of tokenizer.json stands for
/// (the table itself is the engine's, so the two cannot drift apart).
fn byte_level_decoder() -> HashMap<char, u8> {
    qwen_meter_tokenizer::byte_level_table()
        .iter()
        .enumerate()
        .map(|(b, &c)| (char::from_u32(c).expect("a valid char"), b as u8))
        .collect()
}

fn vocab(tiktoken: &str, tokenizer_json: &str, out: &str) {
    let tokens = read_ranks(&fs::read_to_string(tiktoken).expect("read qwen.tiktoken"));
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

/// Parses a tiktoken rank file: token bytes by rank, ranks dense from 0.
fn read_ranks(text: &str) -> Vec<Vec<u8>> {
    let mut tokens = Vec::new();
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
    tokens
}

/// Each token's merge as rank-ordered BPE reaches it: BPE of the token's bytes that joins,
/// again and again, the adjacent pair whose concatenation is the lowest-ranked token (of
/// lower rank than the token itself; leftmost among equals), must end in exactly two parts,
/// and those are its merge. `None` for the single bytes and for tokens where it ends in more
/// parts: no merge produces them, so a merge-based tokenizer never emits them.
fn derive_merges(tokens: &[Vec<u8>]) -> Vec<Option<(u32, u32)>> {
    let mut rank: HashMap<&[u8], u32> = HashMap::new();
    for (id, t) in tokens.iter().enumerate() {
        rank.entry(t.as_slice()).or_insert(id as u32);
    }
    let mut out = Vec::with_capacity(tokens.len());
    for (id, t) in tokens.iter().enumerate() {
        if t.len() == 1 {
            out.push(None);
            continue;
        }
        // Part boundaries: part k is t[cuts[k]..cuts[k + 1]].
        let mut cuts: Vec<usize> = (0..=t.len()).collect();
        loop {
            let best = (0..cuts.len() - 2)
                .filter_map(|k| {
                    rank.get(&t[cuts[k]..cuts[k + 2]])
                        .filter(|&&r| (r as usize) < id)
                        .map(|&r| (r, k))
                })
                .min();
            match best {
                Some((_, k)) => {
                    cuts.remove(k + 1);
                }
                None => break,
            }
        }
        if cuts.len() == 3 {
            out.push(Some((rank[&t[..cuts[1]]], rank[&t[cuts[1]..]])));
        } else {
            out.push(None);
        }
    }
    out
}

/// The GPT-2 byte-level string of token bytes, as tokenizer.json writes tokens.
fn level(bytes: &[u8], enc: &HashMap<u8, char>) -> String {
    bytes.iter().map(|b| enc[b]).collect()
}

fn qwen3_5(ranks: &str, specials: &str, out_vocab: &str, out_json: &str) {
    let raw = fs::read(ranks).expect("read the ranks file");
    let digest: String = Sha256::digest(&raw)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        digest, QWEN3_5_RANKS_SHA256,
        "{ranks} is not the Qwen3.5 ranks file"
    );
    let tokens = read_ranks(std::str::from_utf8(&raw).unwrap());
    for (b, t) in tokens.iter().take(256).enumerate() {
        assert_eq!(t.len(), 1, "ids 0..256 are the single bytes (id {b})");
    }
    let spec: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(specials).unwrap()).unwrap();
    assert_eq!(spec["pattern"].as_str(), Some(PATTERN_QWEN3_5));
    assert_eq!(spec["normalizer"].as_str(), Some("NFC"));
    assert_eq!(spec["base_vocab"].as_u64(), Some(tokens.len() as u64));
    let merges = derive_merges(&tokens);
    let unreachable: Vec<usize> = (256..tokens.len())
        .filter(|&id| merges[id].is_none())
        .collect();
    let n_merges = tokens.len() - 256 - unreachable.len();
    // Merged tokens that merge-based BPE of their own bytes does not give back: their merge
    // only ever builds larger tokens, and BPE never emits them.
    let mut byte_id = [0u32; 256];
    for (id, t) in tokens.iter().take(256).enumerate() {
        byte_id[t[0] as usize] = id as u32;
    }
    let pairs: HashMap<(u32, u32), u32> = merges
        .iter()
        .enumerate()
        .filter_map(|(id, m)| m.map(|lr| (lr, id as u32)))
        .collect();
    let never_emitted: Vec<u32> = (256..tokens.len())
        .filter(|&id| merges[id].is_some())
        .filter(|&id| {
            let mut ids: Vec<u32> = tokens[id].iter().map(|&b| byte_id[b as usize]).collect();
            while let Some((at, merged)) = ids
                .windows(2)
                .enumerate()
                .filter_map(|(i, w)| pairs.get(&(w[0], w[1])).map(|&m| (i, m)))
                .min_by_key(|&(i, m)| (m, i))
            {
                ids[at] = merged;
                ids.remove(at + 1);
            }
            ids != [id as u32]
        })
        .map(|id| id as u32)
        .collect();
    eprintln!(
        "{} tokens, {n_merges} derived merges, {} tokens no merge produces, {} merged tokens BPE never emits",
        tokens.len(),
        unreachable.len(),
        never_emitted.len()
    );
    // Format QMV3: QMV2 (see `vocab`), where a token that no merge produces has the left and
    // right ids 0xFFFFFF, then a u32 LE count of such tokens and, for each in id order, its
    // length (one byte) and its bytes; then a u32 LE count and the ids (u32 LE, ascending) of
    // the merged tokens that BPE never emits.
    const RAW: u32 = 0xFF_FFFF;
    let mut buf = b"QMV3".to_vec();
    buf.extend_from_slice(&(tokens.len() as u32).to_le_bytes());
    buf.extend(tokens.iter().take(256).map(|t| t[0]));
    for side in 0..2 {
        let ids: Vec<u32> = merges[256..]
            .iter()
            .map(|m| m.map_or(RAW, |(l, r)| if side == 0 { l } else { r }))
            .collect();
        for shift in [0, 8, 16] {
            buf.extend(ids.iter().map(|&id| (id >> shift) as u8));
        }
    }
    buf.extend_from_slice(&(unreachable.len() as u32).to_le_bytes());
    for &id in &unreachable {
        let t = &tokens[id];
        assert!(t.len() < 256);
        buf.push(t.len() as u8);
        buf.extend_from_slice(t);
    }
    buf.extend_from_slice(&(never_emitted.len() as u32).to_le_bytes());
    for id in &never_emitted {
        buf.extend_from_slice(&id.to_le_bytes());
    }
    fs::write(out_vocab, &buf).unwrap();
    eprintln!("wrote {out_vocab}: {} bytes", buf.len());

    // The reference tokenizer.json: Qwen3's pipeline (NFC, split, byte-level BPE) with the
    // Qwen3.5 pattern, the derived merges in rank order (merge priority = rank) and the 33
    // added tokens. Written by hand so that the vocabulary comes in id order.
    let enc: HashMap<u8, char> = byte_level_decoder()
        .into_iter()
        .map(|(c, b)| (b, c))
        .collect();
    let js = |s: &str| serde_json::to_string(s).unwrap();
    // Which added tokens Qwen3's file marks `special: false`; the new ones are special.
    let not_special = [
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
    let mut j = String::with_capacity(16 << 20);
    j.push_str("{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": [");
    let added = spec["special_tokens"].as_array().unwrap();
    for (i, t) in added.iter().enumerate() {
        let id = t["id"].as_u64().unwrap();
        assert_eq!(
            id,
            (tokens.len() + i) as u64,
            "added ids follow the vocabulary"
        );
        let content = t["content"].as_str().unwrap();
        j.push_str(&format!(
            "{}\n    {{\"id\": {id}, \"content\": {}, \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": {}}}",
            if i == 0 { "" } else { "," },
            js(content),
            !not_special.contains(&content)
        ));
    }
    j.push_str("\n  ],\n  \"normalizer\": {\"type\": \"NFC\"},\n");
    j.push_str(&format!(
        "  \"pre_tokenizer\": {{\"type\": \"Sequence\", \"pretokenizers\": [{{\"type\": \"Split\", \"pattern\": {{\"Regex\": {}}}, \"behavior\": \"Isolated\", \"invert\": false}}, {{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": false, \"use_regex\": false}}]}},\n",
        js(PATTERN_QWEN3_5)
    ));
    let bl = "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": false, \"use_regex\": false}";
    j.push_str(&format!(
        "  \"post_processor\": {bl},\n  \"decoder\": {bl},\n"
    ));
    j.push_str("  \"model\": {\"type\": \"BPE\", \"dropout\": null, \"unk_token\": null, \"continuing_subword_prefix\": \"\", \"end_of_word_suffix\": \"\", \"fuse_unk\": false, \"byte_fallback\": false, \"ignore_merges\": false,\n    \"vocab\": {");
    for (id, t) in tokens.iter().enumerate() {
        j.push_str(&format!(
            "{}\n      {}: {id}",
            if id == 0 { "" } else { "," },
            js(&level(t, &enc))
        ));
    }
    j.push_str("\n    },\n    \"merges\": [");
    let mut first = true;
    for (l, r) in merges.iter().flatten() {
        j.push_str(&format!(
            "{}\n      [{}, {}]",
            if first { "" } else { "," },
            js(&level(&tokens[*l as usize], &enc)),
            js(&level(&tokens[*r as usize], &enc))
        ));
        first = false;
    }
    j.push_str("\n    ]\n  }\n}\n");
    fs::write(out_json, &j).unwrap();
    let digest: String = Sha256::digest(j.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    eprintln!("wrote {out_json}: {} bytes, sha256 {digest}", j.len());
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

/// The table byte of `c` under one split pattern (see the generated file's doc).
fn char_byte(probe: &Probe, c: char) -> u8 {
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
    v
}

fn unicode(out: &str) {
    let split = |pattern: &str| {
        Probe(
            Split::new(
                SplitPattern::Regex(pattern.into()),
                SplitDelimiterBehavior::Isolated,
                false,
            )
            .unwrap(),
        )
    };
    let (probe, probe35) = (split(PATTERN), split(PATTERN_QWEN3_5));
    let mut class = vec![0u8; 0x110000];
    let mut class35 = vec![0u8; 0x110000];
    let mut counts = [0usize; 8];
    let mut joined = 0;
    for cp in 0..0x110000u32 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let v = char_byte(&probe, c);
        let v35 = char_byte(&probe35, c);
        // The Qwen3.5 pattern differs only in where marks go: the class bits of some
        // characters (all "other" before, letters now), never the flags.
        assert_eq!(
            v & !3,
            v35 & !3,
            "U+{cp:04X}: flags differ between the patterns"
        );
        if v != v35 {
            assert_eq!((v & 3, v35 & 3), (0, 1), "U+{cp:04X}: other -> letter");
            joined += 1;
        }
        class[cp as usize] = v;
        class35[cp as usize] = v35;
        counts[(v & 3) as usize] += 1;
        if v & 4 != 0 {
            counts[4] += 1;
        }
    }
    eprintln!("characters that join letter runs under the Qwen3.5 pattern: {joined}");
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
    // Two-stage tables, one index per pattern over one list of deduplicated blocks of 256
    // code points (most blocks are the same under both patterns).
    let mut blocks: Vec<&[u8]> = Vec::new();
    let mut indexes = [Vec::new(), Vec::new()];
    for (k, table) in [&class, &class35].into_iter().enumerate() {
        for chunk in table.chunks(256) {
            let i = blocks.iter().position(|b| *b == chunk).unwrap_or_else(|| {
                blocks.push(chunk);
                blocks.len() - 1
            });
            indexes[k].push(i as u8);
        }
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
    src.push_str(
        "//! `BLOCK_INDEX` serves the Qwen split pattern, `BLOCK_INDEX_QWEN3_5` the Qwen3.5 one\n",
    );
    src.push_str(
        "//! (`[\\p{L}\\p{M}]+`: there marks have the letter class); the blocks are shared.\n\n",
    );
    for (name, index) in [
        ("BLOCK_INDEX", &indexes[0]),
        ("BLOCK_INDEX_QWEN3_5", &indexes[1]),
    ] {
        src.push_str(&format!(
            "pub(crate) static {name}: [u8; {}] = {:?};\n\n",
            index.len(),
            index
        ));
    }
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
