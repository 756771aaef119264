//! `Amount`: an exact decimal sum of money (or a price per 1M tokens).
//!
//! Prices such as 0.861 or ratios such as 1.25 have no exact binary floating-point form, so
//! money is kept as a decimal (96-bit mantissa, up to 28 fractional digits). `Display` and the
//! serialised form are the exact value with trailing zeros trimmed; the serialised form is a
//! JSON *string* so that JavaScript never turns it into a float.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An exact, non-float decimal amount: a cost, or a price per 1M tokens.
///
/// ```
/// use qwen_meter::Amount;
/// let price: Amount = "0.8610".parse()?;
/// assert_eq!(price.to_string(), "0.861"); // trailing zeros trimmed
/// assert_eq!(Amount::ZERO.to_string(), "0");
/// # Ok::<(), qwen_meter::ParseAmountError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(Decimal);

impl Amount {
    /// Zero.
    ///
    /// ```
    /// assert!(qwen_meter::Amount::ZERO.is_zero());
    /// ```
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// Whether the amount is zero.
    ///
    /// ```
    /// use qwen_meter::Amount;
    /// assert!(!"0.001".parse::<Amount>().unwrap().is_zero());
    /// ```
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Whether the amount is below zero (never true for catalog prices; see the validation).
    ///
    /// ```
    /// use qwen_meter::Amount;
    /// assert!("-1".parse::<Amount>().unwrap().is_negative());
    /// ```
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// A float approximation, for charts and sorting only: never for arithmetic.
    ///
    /// ```
    /// use qwen_meter::Amount;
    /// assert_eq!("0.144".parse::<Amount>().unwrap().to_f64(), 0.144);
    /// ```
    pub fn to_f64(self) -> f64 {
        // Going through the exact decimal string gives the closest float.
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// The exact sum, or `None` if it does not fit in 28 significant digits.
    ///
    /// ```
    /// use qwen_meter::Amount;
    /// let a: Amount = "0.1".parse().unwrap();
    /// let b: Amount = "0.2".parse().unwrap();
    /// assert_eq!(a.checked_add(b).unwrap().to_string(), "0.3"); // no float artefact
    /// ```
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }

    /// The exact product, or `None` if it does not fit in 28 significant digits.
    ///
    /// ```
    /// use qwen_meter::Amount;
    /// let price: Amount = "2.5".parse().unwrap();
    /// let ratio: Amount = "1.25".parse().unwrap();
    /// assert_eq!(price.checked_mul(ratio).unwrap().to_string(), "3.125");
    /// ```
    pub fn checked_mul(self, other: Amount) -> Option<Amount> {
        // `checked_mul` of rust_decimal rounds when the scale would pass 28 digits; prices
        // have at most a handful of decimals, so the products met here are exact.
        self.0.checked_mul(other.0).map(Amount)
    }

    /// The cost of `tokens` tokens at this price per 1M tokens, exactly; `None` on overflow.
    ///
    /// ```
    /// use qwen_meter::Amount;
    /// let per_million: Amount = "2.4".parse().unwrap();
    /// assert_eq!(per_million.for_tokens(50_000).unwrap().to_string(), "0.12");
    /// ```
    pub fn for_tokens(self, tokens: u64) -> Option<Amount> {
        // Division by 10^6 only moves the decimal point, so it is exact.
        let product = Decimal::from(tokens).checked_mul(self.0)?;
        product.checked_div(Decimal::from(1_000_000u32)).map(Amount)
    }

    pub(crate) fn from_decimal(d: Decimal) -> Amount {
        Amount(d)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `normalize` trims trailing zeros (0.14400 -> 0.144, 3.0 -> 3) and turns -0 into 0.
        fmt::Display::fmt(&self.0.normalize(), f)
    }
}

/// Text that is not a plain decimal number (`"0.861"`, `"12"`, `"-1.5"`).
///
/// ```
/// assert!("1e3".parse::<qwen_meter::Amount>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseAmountError {
    /// The text that could not be read.
    pub text: String,
}

impl fmt::Display for ParseAmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a decimal amount (expected digits with an optional '.', such as \"0.861\")",
            self.text
        )
    }
}

impl std::error::Error for ParseAmountError {}

impl FromStr for Amount {
    type Err = ParseAmountError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseAmountError {
            text: s.to_string(),
        };
        let t = s.trim();
        // Only plain decimals: rust_decimal would also take "1_000" or other spellings that
        // a catalog author most likely did not mean.
        let digits = t.strip_prefix('-').unwrap_or(t);
        let mut parts = digits.splitn(2, '.');
        let int = parts.next().unwrap_or("");
        let frac = parts.next();
        let ok_int = !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit());
        let ok_frac = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
        if !ok_int || !ok_frac {
            return Err(err());
        }
        Decimal::from_str_exact(t).map(Amount).map_err(|_| err())
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AmountVisitor)
    }
}

struct AmountVisitor;

impl serde::de::Visitor<'_> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal amount as a string (\"0.861\") or a number")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
        v.parse().map_err(E::custom)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
        Ok(Amount(Decimal::from(v)))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
        Ok(Amount(Decimal::from(v)))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Amount, E> {
        // A JSON number such as 0.861 arrives as the nearest f64. Rust prints the shortest
        // text that reads back to the same f64, which is the text the author wrote for any
        // value with up to 15 significant digits, so the decimal is exact.
        if !v.is_finite() {
            return Err(E::custom("amount is not a finite number"));
        }
        let text = format!("{v}");
        if text.contains(['e', 'E']) {
            return Err(E::custom(format!(
                "amount {text} is out of range; write it as a decimal string"
            )));
        }
        text.parse().map_err(E::custom)
    }
}
