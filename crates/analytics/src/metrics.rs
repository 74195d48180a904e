//! Accuracy and macro-averaged F1 of a classification.

/// Share of predictions equal to the truth; 0 for no items.
pub fn accuracy(truth: &[usize], predicted: &[usize]) -> f64 {
    assert_eq!(truth.len(), predicted.len());
    if truth.is_empty() {
        return 0.0;
    }
    let right = truth.iter().zip(predicted).filter(|(t, p)| t == p).count();
    right as f64 / truth.len() as f64
}

/// The unweighted mean of the per-class F1 over every class that occurs in the truth or the
/// predictions (as scikit-learn does): rare classes count as much as frequent ones, which is the
/// point. A class never predicted correctly has F1 = 0.
pub fn macro_f1(truth: &[usize], predicted: &[usize]) -> f64 {
    assert_eq!(truth.len(), predicted.len());
    let n = truth.iter().chain(predicted).max().map_or(0, |m| m + 1);
    let (mut tp, mut fp, mut fn_) = (vec![0u64; n], vec![0u64; n], vec![0u64; n]);
    for (&t, &p) in truth.iter().zip(predicted) {
        if t == p {
            tp[t] += 1;
        } else {
            fp[p] += 1;
            fn_[t] += 1;
        }
    }
    let mut sum = 0.0;
    let mut classes = 0;
    for c in 0..n {
        if tp[c] + fp[c] + fn_[c] == 0 {
            continue;
        }
        classes += 1;
        // F1 = 2TP / (2TP + FP + FN): the same as the harmonic mean of precision and recall,
        // and defined (0) when either is.
        sum += 2.0 * tp[c] as f64 / (2 * tp[c] + fp[c] + fn_[c]) as f64;
    }
    if classes == 0 {
        0.0
    } else {
        sum / f64::from(classes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_checked_example() {
        // truth:     0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2
        // class 0: tp 2, fp 0, fn 1 → P 1, R 2/3, F1 0.8
        // class 1: tp 1, fp 1, fn 1 → P 1/2, R 1/2, F1 0.5
        // class 2: tp 1, fp 1, fn 0 → P 1/2, R 1, F1 2/3
        // macro = (0.8 + 0.5 + 0.6667) / 3 = 0.65556
        let truth = [0, 0, 0, 1, 1, 2];
        let pred = [0, 0, 1, 1, 2, 2];
        assert!((macro_f1(&truth, &pred) - 0.655_555_6).abs() < 1e-6);
        assert!((accuracy(&truth, &pred) - 4.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn absent_classes_do_not_count_and_missed_ones_count_as_zero() {
        // Class 1 never occurs; class 3 occurs but is never predicted: F1 0.
        let truth = [0, 0, 2, 3];
        let pred = [0, 0, 2, 2];
        // class 0: 1; class 2: tp 1 fp 1 fn 0 → 2/3; class 3: 0.
        assert!((macro_f1(&truth, &pred) - (1.0 + 2.0 / 3.0) / 3.0).abs() < 1e-9);
    }

    #[test]
    fn perfect_and_empty() {
        assert_eq!(macro_f1(&[1, 2, 2], &[1, 2, 2]), 1.0);
        assert_eq!(accuracy(&[1, 2, 2], &[1, 2, 2]), 1.0);
        assert_eq!(macro_f1(&[], &[]), 0.0);
        assert_eq!(accuracy(&[], &[]), 0.0);
    }
}
