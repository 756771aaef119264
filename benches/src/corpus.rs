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
