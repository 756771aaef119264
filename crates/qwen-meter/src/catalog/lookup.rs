//! Resolving a model id (id, alias or dated snapshot) and suggesting close matches.

use std::fmt;

use super::{Catalog, Model};

/// No model in the catalog has this id; `close_matches` lists the likeliest intended ids.
///
/// ```
/// use qwen_meter::Catalog;
/// let err = Catalog::builtin().model("qwen3max").unwrap_err();
/// assert_eq!(err.close_matches[0], "qwen3-max");
/// assert!(err.to_string().contains("did you mean qwen3-max"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownModel {
    /// The id that was asked for.
    pub id: String,
    /// Known ids close to it, best first (at most 5).
    pub close_matches: Vec<String>,
}

impl fmt::Display for UnknownModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown model id {:?}", self.id)?;
        if self.close_matches.is_empty() {
            write!(f, " (no close match in the catalog)")
        } else {
            write!(f, "; did you mean {}?", self.close_matches.join(", "))
        }
    }
}

impl std::error::Error for UnknownModel {}

impl Catalog {
    /// The model with this id, alias or dated snapshot (case-insensitive).
    ///
    /// ```
    /// use qwen_meter::Catalog;
    /// let catalog = Catalog::builtin();
    /// assert_eq!(catalog.model("qwen-plus-latest")?.id, "qwen-plus");
    /// assert_eq!(catalog.model("qwen-plus-2025-09-11")?.id, "qwen-plus");
    /// assert_eq!(catalog.model("QWEN3-MAX")?.id, "qwen3-max");
    /// assert!(catalog.model("gpt-4o").is_err());
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn model(&self, id: &str) -> Result<&Model, UnknownModel> {
        let key = id.trim().to_ascii_lowercase();
        match self.index.get(&key) {
            Some(&i) => Ok(&self.models[i]),
            None => Err(UnknownModel {
                id: id.to_string(),
                close_matches: self.close_matches(&key),
            }),
        }
    }

    /// Known ids that look like `key`: small edit distance, ignoring separators, or a
    /// shared prefix/containment (so `qwen3` suggests `qwen3-max`).
    fn close_matches(&self, key: &str) -> Vec<String> {
        let squash = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
        let key_squashed = squash(key);
        let mut scored: Vec<(usize, &str)> = self
            .index
            .keys()
            .filter_map(|known| {
                let distance = edit_distance(&key_squashed, &squash(known));
                let budget = (key_squashed.chars().count() / 3).max(2);
                let contains = key_squashed.len() >= 3 && squash(known).contains(&key_squashed);
                if distance <= budget || contains {
                    Some((distance, known.as_str()))
                } else {
                    None
                }
            })
            .collect();
        // Best first; shorter and alphabetical ids break ties so the answer is stable.
        scored.sort_by(|a, b| (a.0, a.1.len(), a.1).cmp(&(b.0, b.1.len(), b.1)));
        let mut out: Vec<String> = Vec::new();
        for (_, known) in scored {
            // Prefer the entry's own spelling of the id.
            let model = &self.models[self.index[known]];
            let spelled = model
                .ids()
                .find(|i| i.eq_ignore_ascii_case(known))
                .unwrap_or(known);
            if !out.iter().any(|o| o == spelled) {
                out.push(spelled.to_string());
            }
            if out.len() == 5 {
                break;
            }
        }
        out
    }
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}
