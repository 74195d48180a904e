//! Near-duplicate detection: MinHash signatures of word shingles, LSH band keys, and the Jaccard
//! estimate between two signatures.
//!
//! Mass campaigns are one template filled in by many people: the texts differ in a name, an
//! address, a word here and there. Signatures are stored in the database and compared with
//! signatures computed years later, so everything here is fixed: the shingling, the hash, the
//! seeds and the byte layout. A change to any of them must bump `SCHEME`, which makes stored
//! signatures of the old scheme unreadable (and so re-indexed) rather than silently incomparable.
//!
//! Choices, with the numbers behind them:
//! - **Shingles are word pairs** (`SHINGLE_WORDS = 2`), over the normalised text with numbers
//!   dropped. One changed word changes `k` shingles; in a 40-word template where variants differ
//!   in a two-word name and one other word, 3-word shingles give a true Jaccard of about 0.7
//!   between two variants (right at the threshold), word pairs about 0.8. Numbers (house,
//!   flat, dates) are the most common variation and say nothing about the subject. A text
//!   of a single word falls back to that word.
//! - **64 hashes** (`HASHES`): the estimate's standard error is √(J(1−J)/64) ≈ 0.05 at J = 0.75.
//! - **16 bands × 4 rows** (`BANDS`, `ROWS`): two texts become candidates with probability
//!   1 − (1 − J⁴)¹⁶: 0.99 at J = 0.7, 0.89 at 0.6, 0.64 at 0.5, 0.12 at 0.3, 0.03 at 0.2. The
//!   S-curve's midpoint, (1/16)^(1/4) = 0.5, sits below the verification threshold (~0.7), so
//!   pairs that verify are almost never lost at the candidate stage, while unrelated texts rarely
//!   cost a verification.

use std::collections::HashSet;

/// Number of MinHash functions (signature length).
pub const HASHES: usize = 64;
/// LSH bands; `BANDS * ROWS == HASHES`.
pub const BANDS: usize = 16;
/// Signature rows per band.
pub const ROWS: usize = 4;
/// Words per shingle.
pub const SHINGLE_WORDS: usize = 2;
/// Version of the whole scheme, the first byte of `Signature::to_bytes`.
pub const SCHEME: u8 = 1;

const _: () = assert!(BANDS * ROWS == HASHES);

/// A MinHash signature: the minimum of each of `HASHES` hash functions over the shingles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; HASHES]);

/// The finaliser of MurmurHash3 (64-bit): a bijective mix with full avalanche, so seeds XORed
/// into an input give independent-looking hash functions.
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// FNV-1a over bytes, then mixed: the same value on every platform and every run (unlike
/// `std`'s randomly keyed hasher).
fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325 ^ seed;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    fmix64(h)
}

/// The per-function seeds: a SplitMix64 sequence from a fixed start.
const fn seeds() -> [u64; HASHES] {
    let mut out = [0u64; HASHES];
    let mut x: u64 = 0x7479_6e64_6175_0001; // "tyndau" 1
    let mut i = 0;
    while i < HASHES {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        out[i] = z ^ (z >> 31);
        i += 1;
    }
    out
}

const SEEDS: [u64; HASHES] = seeds();

/// The shingle hashes of a normalised text (lower-case words separated by single spaces, as
/// `tyndau_core::text::normalize` makes them). Empty when the text has no words.
pub fn shingles(normalized: &str) -> HashSet<u64> {
    let words: Vec<&str> = normalized
        .split(' ')
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_numeric()))
        .collect();
    let mut out = HashSet::new();
    if words.len() < SHINGLE_WORDS {
        out.extend(words.iter().map(|w| hash_bytes(0, w.as_bytes())));
        return out;
    }
    let mut buf = Vec::with_capacity(64);
    for win in words.windows(SHINGLE_WORDS) {
        buf.clear();
        for (i, w) in win.iter().enumerate() {
            if i > 0 {
                // A separator no word contains: "ab c" and "a bc" stay different shingles.
                buf.push(0);
            }
            buf.extend_from_slice(w.as_bytes());
        }
        out.insert(hash_bytes(0, &buf));
    }
    out
}

impl Signature {
    /// The signature of a normalised text; `None` when it has no words to compare.
    pub fn of(normalized: &str) -> Option<Signature> {
        let sh = shingles(normalized);
        if sh.is_empty() {
            return None;
        }
        let mut mins = [u32::MAX; HASHES];
        for s in sh {
            for (m, seed) in mins.iter_mut().zip(SEEDS.iter()) {
                // The upper half of a full-avalanche mix: uniformly distributed 32-bit values.
                let v = (fmix64(s ^ seed) >> 32) as u32;
                if v < *m {
                    *m = v;
                }
            }
        }
        Some(Signature(mins))
    }

    /// The estimated Jaccard similarity of the two shingle sets: the share of equal minima.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        let same = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / HASHES as f64
    }

    /// One key per band: texts that share a key are candidates for comparison. The band's index
    /// is hashed in, so equal rows in different bands do not collide.
    pub fn band_keys(&self) -> [i64; BANDS] {
        let mut keys = [0i64; BANDS];
        let mut buf = [0u8; 1 + ROWS * 4];
        for (b, key) in keys.iter_mut().enumerate() {
            buf[0] = b as u8;
            for r in 0..ROWS {
                let v = self.0[b * ROWS + r];
                buf[1 + r * 4..1 + r * 4 + 4].copy_from_slice(&v.to_le_bytes());
            }
            *key = hash_bytes(0x6c73_685f_6261_6e64, &buf) as i64;
        }
        keys
    }

    /// `SCHEME`, then the minima as little-endian u32: 257 bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + HASHES * 4);
        out.push(SCHEME);
        for v in self.0 {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// The inverse of `to_bytes`; `None` for another scheme or a damaged value.
    pub fn from_bytes(b: &[u8]) -> Option<Signature> {
        if b.len() != 1 + HASHES * 4 || b[0] != SCHEME {
            return None;
        }
        let mut mins = [0u32; HASHES];
        for (i, m) in mins.iter_mut().enumerate() {
            let at = 1 + i * 4;
            *m = u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
        }
        Some(Signature(mins))
    }
}

/// The probability that two texts of true Jaccard similarity `j` share at least one band key.
pub fn candidate_probability(j: f64) -> f64 {
    1.0 - (1.0 - j.powi(ROWS as i32)).powi(BANDS as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(t: &str) -> Signature {
        Signature::of(t).expect("words")
    }

    fn exact_jaccard(a: &str, b: &str) -> f64 {
        let (x, y) = (shingles(a), shingles(b));
        x.intersection(&y).count() as f64 / x.union(&y).count() as f64
    }

    const BASE: &str = "просим акимат района срочно отремонтировать дорогу по улице абая которая \
        после весенних паводков превратилась в сплошные ямы и лужи дети не могут дойти до школы \
        машины скорой помощи не проезжают а обращения жителей остаются без ответа уже третий год \
        просим включить ремонт в план этого года и сообщить сроки работ";

    #[test]
    fn identical_texts_estimate_one() {
        assert_eq!(sig(BASE).jaccard(&sig(BASE)), 1.0);
        assert_eq!(sig(BASE).band_keys(), sig(BASE).band_keys());
    }

    #[test]
    fn a_few_changed_words_stay_similar() {
        let a = format!("{BASE} с уважением иванов петр дом 12");
        let b = format!(
            "{} с уважением сейткали нурлан дом 47",
            BASE.replace("срочно", "немедленно")
        );
        let est = sig(&a).jaccard(&sig(&b));
        assert!(exact_jaccard(&a, &b) > 0.8, "{}", exact_jaccard(&a, &b));
        assert!(est >= 0.7, "estimate {est}");
        // Numbers are not part of the text's subject: house numbers do not count.
        assert_eq!(
            sig(&format!("{BASE} дом 1")),
            sig(&format!("{BASE} дом 99"))
        );
    }

    #[test]
    fn unrelated_texts_are_far_apart() {
        let other = "в нашем селе третью неделю нет питьевой воды водовоз приезжает раз в \
            неделю и воды хватает не всем старики и многодетные семьи вынуждены покупать воду \
            в магазине прошу разобраться с работой водоканала";
        let est = sig(BASE).jaccard(&sig(other));
        assert!(est < 0.2, "estimate {est}");
        let shared = sig(BASE)
            .band_keys()
            .iter()
            .filter(|k| sig(other).band_keys().contains(k))
            .count();
        assert_eq!(shared, 0);
    }

    #[test]
    fn the_estimate_tracks_the_true_jaccard() {
        // Texts built from a shared prefix of words and private suffixes: the true Jaccard
        // varies from 0 to 1; the 64-hash estimate stays within four standard errors.
        let words: Vec<String> = (0..200).map(|i| format!("w{i}x")).collect();
        for shared in [0usize, 20, 50, 80, 100] {
            let common = words[..shared].join(" ");
            let a = format!("{common} {}", words[100..100 + (100 - shared)].join(" "));
            let b = format!(
                "{common} {}",
                words[150..150 + (100 - shared).min(50)].join(" ")
            );
            let (j, est) = (exact_jaccard(&a, &b), sig(&a).jaccard(&sig(&b)));
            let se = (j * (1.0 - j) / HASHES as f64).sqrt().max(0.02);
            assert!(
                (est - j).abs() <= 4.0 * se,
                "shared {shared}: true {j}, estimate {est}"
            );
        }
    }

    #[test]
    fn short_texts_fall_back_to_words_and_empty_texts_have_no_signature() {
        assert!(Signature::of("").is_none());
        assert!(Signature::of("12 34").is_none());
        assert_eq!(shingles("яма").len(), 1);
        assert_eq!(sig("яма").jaccard(&sig("яма")), 1.0);
        assert!(sig("яма").jaccard(&sig("свет")) < 0.1);
    }

    /// Stored signatures are compared with ones computed by later builds on other machines: the
    /// values themselves are pinned, not only their properties.
    #[test]
    fn signatures_and_band_keys_are_stable_across_runs_and_platforms() {
        let s = sig("свет не горит на улице абая");
        assert_eq!(&s.0[..4], &PINNED_MINS);
        assert_eq!(s.band_keys()[0], PINNED_BAND0);
        let bytes = s.to_bytes();
        assert_eq!(bytes.len(), 257);
        assert_eq!(bytes[0], SCHEME);
        assert_eq!(Signature::from_bytes(&bytes), Some(s));
        assert_eq!(Signature::from_bytes(&bytes[1..]), None);
        let mut other = bytes.clone();
        other[0] = SCHEME + 1;
        assert_eq!(Signature::from_bytes(&other), None);
    }

    const PINNED_MINS: [u32; 4] = [502_706_591, 1_301_939_897, 356_391_150, 620_071_501];
    const PINNED_BAND0: i64 = 8_749_206_095_124_115_802;

    #[test]
    fn lsh_parameters_catch_similar_pairs_and_skip_unrelated_ones() {
        assert!(candidate_probability(0.7) > 0.98);
        assert!(candidate_probability(0.6) > 0.85);
        assert!(candidate_probability(0.2) < 0.05);
    }
}
