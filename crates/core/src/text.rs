//! Text normalisation and similarity, for repeated-appeal detection and case-folded search.

use std::collections::HashSet;

/// Lower-cases (Unicode, so Cyrillic and Kazakh letters fold too) and keeps letters and digits.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The set of meaningful words (three or more letters) of a normalised text.
pub fn word_set(normalized: &str) -> HashSet<&str> {
    normalized
        .split(' ')
        .filter(|w| w.chars().count() >= 3)
        .collect()
}

/// Jaccard similarity of the word sets of two normalised texts.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (wa, wb) = (word_set(a), word_set(b));
    if wa.is_empty() && wb.is_empty() {
        return 1.0;
    }
    let inter = wa.intersection(&wb).count();
    let union = wa.len() + wb.len() - inter;
    inter as f64 / union as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_cyrillic_and_kazakh_letters() {
        assert_eq!(normalize("  ҚАЛА, Жолдар!! Улица "), "қала жолдар улица");
    }

    #[test]
    fn similarity_is_one_for_same_words_and_zero_for_disjoint() {
        let a = normalize("Яма на дороге по улице Абая");
        let b = normalize("по улице Абая яма на дороге!");
        assert!((similarity(&a, &b) - 1.0).abs() < 1e-9);
        assert_eq!(
            similarity(
                &normalize("свет не горит"),
                &normalize("қоқыс шығарылмайды")
            ),
            0.0
        );
    }
}
