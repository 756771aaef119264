//! The committed bench corpus (`benches/corpus/`, sources and licenses in
//! `benches/corpus/SOURCES.md`), embedded at compile time.
//!
//! One [`Kind`] per kind of text; its files are concatenated in the order listed (each file
//! ends with a newline). A test checks that this list matches the directory.

/// One kind of text: a name and its files.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// Short name, used in bench ids and report rows.
    pub name: &'static str,
    /// What the kind holds.
    pub description: &'static str,
    /// `(path relative to benches/corpus, contents)`.
    pub files: &'static [(&'static str, &'static str)],
}

impl Kind {
    /// All files of the kind, concatenated.
    pub fn text(&self) -> String {
        self.files.iter().map(|(_, t)| *t).collect()
    }

    /// Total size in bytes.
    pub fn len(&self) -> usize {
        self.files.iter().map(|(_, t)| t.len()).sum()
    }

    /// True if the kind has no text (never, for the committed corpus).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

macro_rules! files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../corpus/", $path)))),*]
    };
}

/// The corpus, by kind.
pub const KINDS: &[Kind] = &[
    Kind {
        name: "english",
        description: "English prose",
        files: files!["english/rust-book.txt",],
    },
    Kind {
        name: "code",
        description: "Source code (Rust, Python, JavaScript)",
        files: files![
            "code/javascript.js.txt",
            "code/python.py.txt",
            "code/rust.rs.txt",
        ],
    },
    Kind {
        name: "european",
        description: "European languages (Latin, Greek and Cyrillic scripts)",
        files: files![
            "european/django-de.txt",
            "european/django-es.txt",
            "european/django-fr.txt",
            "european/django-ru.txt",
            "european/udhr-de.txt",
            "european/udhr-el.txt",
            "european/udhr-es.txt",
            "european/udhr-fr.txt",
            "european/udhr-it.txt",
            "european/udhr-pl.txt",
            "european/udhr-pt.txt",
            "european/udhr-ru.txt",
            "european/udhr-uk.txt",
        ],
    },
    Kind {
        name: "cjk",
        description: "Chinese, Japanese, Korean",
        files: files![
            "cjk/debian-reference-ja.txt",
            "cjk/debian-reference-zh-cn.txt",
            "cjk/django-ja.txt",
            "cjk/django-ko.txt",
            "cjk/django-zh-hans.txt",
            "cjk/django-zh-hant.txt",
            "cjk/udhr-ja.txt",
            "cjk/udhr-ko.txt",
            "cjk/udhr-yue.txt",
            "cjk/udhr-zh-hans.txt",
            "cjk/udhr-zh-hant.txt",
        ],
    },
    Kind {
        name: "other",
        description: "Other scripts (Arabic, Hebrew, Indic, Thai, Georgian, ...)",
        files: files![
            "other/udhr-am.txt",
            "other/udhr-ar.txt",
            "other/udhr-bn.txt",
            "other/udhr-fa.txt",
            "other/udhr-he.txt",
            "other/udhr-hi.txt",
            "other/udhr-hy.txt",
            "other/udhr-ka.txt",
            "other/udhr-km.txt",
            "other/udhr-my.txt",
            "other/udhr-si.txt",
            "other/udhr-ta.txt",
            "other/udhr-th.txt",
            "other/udhr-ur.txt",
        ],
    },
];

/// Size of [`adversarial`], in bytes (at least).
pub const ADVERSARIAL_BYTES: usize = 256 * 1024;

/// Generated adversarial Unicode, the same on every run: short runs drawn from the inputs
/// that are hardest for a Qwen tokenizer (stacked combining marks in any order, emoji ZWJ
/// sequences and flags, code points from every plane including unassigned ones, every kind of
/// whitespace, digits of many scripts, contractions with case-folding letters such as `ſ`,
/// special-token text, CRLF), mixed with a little plain text.
pub fn adversarial() -> String {
    const MARKS: &[char] = &[
        '\u{301}', '\u{300}', '\u{323}', '\u{308}', '\u{334}', '\u{5B0}', '\u{93C}', '\u{E48}',
        '\u{302}', '\u{20D7}',
    ];
    const SPACES: &[char] = &[
        ' ', '\t', '\n', '\r', '\u{A0}', '\u{2003}', '\u{3000}', '\u{85}', '\u{2028}', '\u{B}',
    ];
    const PIECES: &[&str] = &[
        "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
        "\u{1F1E8}\u{1F1F3}",
        "\u{1F44B}\u{1F3FD}",
        "x'\u{17F}t",
        "'LL",
        "don't",
        "\u{212A}'s",
        "<|im_start|>",
        "<|endoftext|>",
        "<think>",
        "\r\n",
        "\u{663}\u{664}",
        "\u{967}\u{968}",
        "\u{FF11}\u{FF12}",
        "\u{2167}",
        "ﬁ",
        "\u{1E9B}\u{323}",
        "한국어",
        "\u{1100}\u{1161}\u{11A8}",
        "中文",
        "العربية",
        "the ",
        "   ",
        "!!!",
        "...\n",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::with_capacity(ADVERSARIAL_BYTES + 64);
    while out.len() < ADVERSARIAL_BYTES {
        let r = next();
        match r % 6 {
            0 => {
                // a base letter and a stack of marks in random order
                out.push(char::from(b'a' + (r >> 8) as u8 % 26));
                for _ in 0..(r >> 16) % 6 {
                    out.push(MARKS[(next() % MARKS.len() as u64) as usize]);
                }
            }
            1 => out.push(SPACES[((r >> 8) % SPACES.len() as u64) as usize]),
            2 => out.push_str(PIECES[((r >> 8) % PIECES.len() as u64) as usize]),
            3 => {
                // any scalar value of planes 0-3 and 14, assigned or not
                let plane = [0u32, 0, 1, 2, 3, 14][((r >> 8) % 6) as usize];
                let cp = (plane << 16) | ((r >> 16) as u32 & 0xFFFF);
                out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
            }
            _ => {
                for _ in 0..1 + (r >> 8) % 8 {
                    out.push(char::from(b'a' + (next() % 26) as u8));
                }
            }
        }
    }
    out
}

/// The whole corpus, all kinds concatenated.
pub fn all_text() -> String {
    KINDS.iter().map(Kind::text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_matches_directory() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
        let mut on_disk = Vec::new();
        for kind in std::fs::read_dir(root).unwrap() {
            let kind = kind.unwrap();
            // LICENSES/ holds the license texts of the sources, not bench input.
            if !kind.file_type().unwrap().is_dir() || kind.file_name() == "LICENSES" {
                continue;
            }
            for file in std::fs::read_dir(kind.path()).unwrap() {
                let file = file.unwrap();
                on_disk.push(format!(
                    "{}/{}",
                    kind.file_name().to_string_lossy(),
                    file.file_name().to_string_lossy()
                ));
            }
        }
        on_disk.sort();
        let mut listed: Vec<String> = KINDS
            .iter()
            .flat_map(|k| k.files.iter().map(|(p, _)| p.to_string()))
            .collect();
        listed.sort();
        assert_eq!(listed, on_disk);
    }

    #[test]
    fn adversarial_is_deterministic_and_mixed() {
        let text = adversarial();
        assert_eq!(text, adversarial());
        assert!(text.len() >= ADVERSARIAL_BYTES);
        assert!(text.contains('\u{301}') && text.contains("<|im_start|>"));
        assert!(text.chars().any(|c| c as u32 > 0xFFFF));
    }

    #[test]
    fn sizes() {
        let total: usize = KINDS.iter().map(Kind::len).sum();
        assert!(
            total >= 1_000_000,
            "corpus is {total} bytes, want at least 1 MB"
        );
        assert!(
            total < 3_000_000,
            "corpus is {total} bytes, keep it under 3 MB"
        );
        for k in KINDS {
            assert!(k.len() >= 150_000, "{}: {} bytes", k.name, k.len());
            for (path, text) in k.files {
                assert!(text.ends_with('\n'), "{path} must end with a newline");
            }
        }
    }
}
