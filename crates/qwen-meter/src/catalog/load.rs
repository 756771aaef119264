//! Reading a catalog from JSON, applying overrides, and the errors that name what and where.
//!
//! Each model is deserialised on its own (through `serde_path_to_error`) so that a malformed
//! file is reported as "model X, field regions.international.tiers[1].input: ..." rather than
//! as a bare line and column.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use super::{Catalog, Model, validate};

/// A catalog file that could not be read or broke a catalog rule.
///
/// ```
/// use qwen_meter::{Catalog, CatalogError};
/// let err = Catalog::from_json("{ not json").unwrap_err();
/// assert!(matches!(err, CatalogError::Syntax { line: 1, .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogError {
    /// The text is not JSON.
    Syntax {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the JSON parser expected.
        message: String,
    },
    /// A field is missing, unknown or of the wrong type.
    Field {
        /// The model id (or `models[i]` when the entry has no id); `None` outside the models.
        model: Option<String>,
        /// The path of the field inside the model (or the file), such as `regions.us.tiers[0].input`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// A well-formed value breaks a catalog rule (tiers not contiguous, negative price, ...).
    Invalid {
        /// The model id, or `None` for a catalog-level field.
        model: Option<String>,
        /// The path of the field.
        field: String,
        /// The rule it breaks.
        message: String,
    },
    /// One id (id, alias or snapshot) names two entries.
    DuplicateId {
        /// The id claimed twice.
        id: String,
        /// The entry that claimed it first.
        first: String,
        /// The entry that claimed it again.
        second: String,
    },
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogError::Syntax {
                line,
                column,
                message,
            } => write!(
                f,
                "catalog is not valid JSON at line {line}, column {column}: {message}"
            ),
            CatalogError::Field {
                model: Some(model),
                field,
                message,
            }
            | CatalogError::Invalid {
                model: Some(model),
                field,
                message,
            } => write!(f, "catalog model {model}, field {field}: {message}"),
            CatalogError::Field {
                model: None,
                field,
                message,
            }
            | CatalogError::Invalid {
                model: None,
                field,
                message,
            } => write!(f, "catalog field {field}: {message}"),
            CatalogError::DuplicateId { id, first, second } => write!(
                f,
                "catalog id {id:?} is claimed by model {first} and again by model {second}"
            ),
        }
    }
}

impl std::error::Error for CatalogError {}

fn syntax(e: &serde_json::Error) -> CatalogError {
    CatalogError::Syntax {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

fn field_error(model: Option<String>, path: String, message: String) -> CatalogError {
    CatalogError::Field {
        model,
        field: if path.is_empty() || path == "." {
            "(whole entry)".to_string()
        } else {
            path
        },
        message,
    }
}

/// The label of a raw model entry for errors: its id if it has one.
fn label(value: &Value, index: usize) -> String {
    value
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("models[{index}]"))
}

/// Deserialises one model entry, naming the field on error.
fn model_from_value(value: &Value, index: usize) -> Result<Model, CatalogError> {
    serde_path_to_error::deserialize::<_, Model>(value).map_err(|e| {
        field_error(
            Some(label(value, index)),
            e.path().to_string(),
            e.inner().to_string(),
        )
    })
}

/// The catalog-level fields, with the models kept raw so each can be read on its own.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawCatalog {
    #[serde(default)]
    about: Option<String>,
    as_of: String,
    sources: BTreeMap<String, String>,
    models: Vec<Value>,
}

/// An override file: either a list of models or an object with `models` (and optionally
/// extra `sources`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawOverrides {
    #[serde(default)]
    sources: BTreeMap<String, String>,
    models: Vec<Value>,
}

impl Catalog {
    /// Reads and validates a catalog in the format of the built-in `data/catalog.json`.
    ///
    /// Errors name the model and the field: a wrong type, a missing or unknown field,
    /// tiers that are not contiguous, a negative price, an unknown source id, a duplicate id.
    ///
    /// ```
    /// use qwen_meter::{Catalog, CatalogError};
    /// let json = r#"{"asOf": "2026-01-01", "sources": {"S1": "my notes"}, "models": [{
    ///   "id": "my-model", "family": "test", "generation": "qwen3", "status": "stable",
    ///   "asOf": "2026-01-01", "sources": ["S1"],
    ///   "modes": {"nonThinking": {"contextWindow": 32768, "maxOutputTokens": 8192, "sources": ["S1"]}},
    ///   "regions": {"international": {"currency": "USD", "asOf": "2026-01", "sources": ["S1"],
    ///     "tiers": [{"above": 0, "upTo": null, "input": "1", "output": "2"}]}}}]}"#;
    /// let catalog = Catalog::from_json(json)?;
    /// assert_eq!(catalog.model("my-model").unwrap().id, "my-model");
    ///
    /// let broken = json.replace(r#""input": "1""#, r#""input": "one""#);
    /// let err = Catalog::from_json(&broken).unwrap_err();
    /// assert!(err.to_string().contains("my-model"));
    /// assert!(err.to_string().contains("regions.international.tiers[0].input"));
    /// # Ok::<(), CatalogError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Catalog, CatalogError> {
        let value: Value = serde_json::from_str(json).map_err(|e| syntax(&e))?;
        let raw: RawCatalog = serde_path_to_error::deserialize(&value)
            .map_err(|e| field_error(None, e.path().to_string(), e.inner().to_string()))?;
        let models = raw
            .models
            .iter()
            .enumerate()
            .map(|(i, v)| model_from_value(v, i))
            .collect::<Result<Vec<_>, _>>()?;
        Catalog::assemble(raw.about, raw.as_of, raw.sources, models)
    }

    /// A copy of this catalog with some models replaced, patched or added.
    ///
    /// `json` is a list of model entries, or `{"sources": {...}, "models": [...]}` to cite
    /// new sources. An entry whose `id` names an existing model (by id, alias or snapshot)
    /// is merged into it as a JSON merge patch (RFC 7396: objects merge key by key, arrays
    /// and values replace, `null` removes), so a few fields are enough; an entry with a new
    /// id must be complete. The result is validated like a loaded catalog.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Region, RateLimits};
    /// // My account has higher limits than the catalog's advisory default.
    /// let mine = Catalog::builtin().with_overrides(r#"[{"id": "qwen3-max", "regions": {
    ///   "chineseMainland": {"rateLimits": [{"ids": ["qwen3-max"], "rpm": 1200, "tpm": 2000000,
    ///                                      "scope": "my account", "sources": ["S1"]}]}}}]"#)?;
    /// let model = mine.model("qwen3-max").unwrap();
    /// assert_eq!(model.rate_limits(Region::ChineseMainland), Some(RateLimits { rpm: 1200, tpm: 2_000_000 }));
    /// # Ok::<(), qwen_meter::CatalogError>(())
    /// ```
    pub fn with_overrides(&self, json: &str) -> Result<Catalog, CatalogError> {
        let value: Value = serde_json::from_str(json).map_err(|e| syntax(&e))?;
        let raw = if value.is_array() {
            RawOverrides {
                sources: BTreeMap::new(),
                models: match value {
                    Value::Array(items) => items,
                    _ => Vec::new(),
                },
            }
        } else {
            serde_path_to_error::deserialize(&value)
                .map_err(|e| field_error(None, e.path().to_string(), e.inner().to_string()))?
        };
        let mut sources = self.sources.clone();
        sources.extend(raw.sources);
        let mut models = self.models.clone();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (i, patch) in raw.models.iter().enumerate() {
            let Some(id) = patch.get("id").and_then(Value::as_str) else {
                return Err(field_error(
                    Some(format!("models[{i}]")),
                    "id".to_string(),
                    "an override needs the id of the model it replaces or adds".to_string(),
                ));
            };
            if let Some(previous) = seen.insert(id.to_ascii_lowercase(), id.to_string()) {
                return Err(CatalogError::DuplicateId {
                    id: id.to_string(),
                    first: previous,
                    second: id.to_string(),
                });
            }
            match self.index.get(&id.trim().to_ascii_lowercase()) {
                Some(&at) => {
                    let mut base = serde_json::to_value(&self.models[at]).map_err(|e| {
                        field_error(Some(id.to_string()), String::new(), e.to_string())
                    })?;
                    // The patch may name the entry by an alias: keep the entry's own id.
                    let mut patch = patch.clone();
                    if let Value::Object(fields) = &mut patch {
                        fields.remove("id");
                    }
                    merge_patch(&mut base, &patch);
                    models[at] = model_from_value(&base, i)?;
                }
                None => models.push(model_from_value(patch, i)?),
            }
        }
        Catalog::assemble(self.about.clone(), self.as_of.clone(), sources, models)
    }

    /// A copy of this catalog with `model` added, or replacing the entry with the same id.
    ///
    /// ```
    /// use qwen_meter::Catalog;
    /// let mut model = Catalog::builtin().model("qwen-max")?.clone();
    /// model.id = "my-qwen-max-deployment".to_string();
    /// model.aliases.clear();
    /// model.snapshots.clear();
    /// model.regions.values_mut().for_each(|offer| offer.rate_limits.clear());
    /// let catalog = Catalog::builtin().with_model(model).unwrap();
    /// assert!(catalog.model("my-qwen-max-deployment").is_ok());
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn with_model(&self, model: Model) -> Result<Catalog, CatalogError> {
        let mut models = self.models.clone();
        match models.iter().position(|m| m.id == model.id) {
            Some(at) => models[at] = model,
            None => models.push(model),
        }
        Catalog::assemble(
            self.about.clone(),
            self.as_of.clone(),
            self.sources.clone(),
            models,
        )
    }

    /// Validates the parts and builds the id index.
    fn assemble(
        about: Option<String>,
        as_of: String,
        sources: BTreeMap<String, String>,
        models: Vec<Model>,
    ) -> Result<Catalog, CatalogError> {
        validate::catalog(&as_of, &sources, &models)?;
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, model) in models.iter().enumerate() {
            for id in model.ids() {
                if let Some(&first) = index.get(&id.to_ascii_lowercase()) {
                    return Err(CatalogError::DuplicateId {
                        id: id.to_string(),
                        first: models[first].id.clone(),
                        second: model.id.clone(),
                    });
                }
                index.insert(id.to_ascii_lowercase(), i);
            }
        }
        Ok(Catalog {
            about,
            as_of,
            sources,
            models,
            index,
        })
    }
}

/// RFC 7396 JSON merge patch.
fn merge_patch(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                } else {
                    merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

impl<'de> Deserialize<'de> for Catalog {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Going through `from_json`'s checks keeps every Catalog value validated and indexed.
        let value = Value::deserialize(deserializer)?;
        Catalog::from_json(&value.to_string()).map_err(serde::de::Error::custom)
    }
}
