//! A tiny deterministic random source for the unit tests: reproducible runs, no dependency.

/// Xorshift64 from `seed` (not zero): each call gives the next value.
pub(crate) fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
