//! The organisations' transparency index (issue 5, item 10): the methodology as data
//! (`rules/transparency.toml`: window, minimum of appeals, each component's weight and bounds)
//! and the pure scoring of a body's handling metrics into a score from 0 to 100.
//!
//! The metrics themselves are counted by the storage layer from the appeals and the journal;
//! this module only says what they are worth, so that the published methodology and the
//! arithmetic that applies it are one thing.

use crate::appeal::text_enum;
use serde::{Deserialize, Serialize};

text_enum!(
    /// One measured aspect of a body's handling of appeals.
    Component {
        /// Share answered on or before the due date (among answered and open-overdue appeals).
        OnTime = "on_time",
        /// Median working days from registration to the answer.
        MedianWorkingDays = "median_working_days",
        /// Share of appeals whose term was extended.
        Extended = "extended",
        /// Share of appeals the body forwarded after the statutory 3 working days.
        ForwardedLate = "forwarded_late",
        /// Citizens' average rating of the answers (1..5).
        Rating = "rating",
        /// Share of appeals complained about to the superior body.
        Complaints = "complaints",
        /// Share of repeated appeals.
        Repeated = "repeated",
    }
);

/// A component's weight and the values that normalise to 1 (`best`) and to 0 (`worst`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentRule {
    pub key: Component,
    pub weight: f64,
    pub best: f64,
    pub worst: f64,
}

impl ComponentRule {
    /// The value mapped linearly onto 0 (at `worst`) .. 1 (at `best`), clamped; works in either
    /// direction, so "fewer is better" components simply have `best < worst`.
    pub fn normalise(&self, value: f64) -> f64 {
        ((value - self.worst) / (self.best - self.worst)).clamp(0.0, 1.0)
    }
}

/// The published methodology of the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Methodology {
    /// A fingerprint of the data file's text: results computed under another methodology are
    /// recognisable (and recomputed) without comparing every number.
    #[serde(skip_deserializing)]
    pub version: String,
    /// Appeals registered in the last `window_days` days (the day computed included).
    pub window_days: u32,
    /// Fewer appeals than this in the window: the body is not ranked.
    pub min_appeals: u64,
    /// Every `Component` exactly once, in the order the page shows them.
    pub components: Vec<ComponentRule>,
}

pub const METHODOLOGY_TOML: &str = include_str!("../rules/transparency.toml");

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MethodologyError {
    #[error("the methodology does not parse: {0}")]
    Parse(String),
    #[error("component {0} is missing")]
    Missing(Component),
    #[error("component {0} appears more than once")]
    Duplicate(Component),
    #[error("component {0} has a negative or non-finite weight")]
    BadWeight(Component),
    #[error("the weights sum to {0}, not 1")]
    WeightsSum(f64),
    #[error("component {0} has equal or non-finite bounds")]
    BadBounds(Component),
    #[error("the window must be at least one day")]
    EmptyWindow,
}

/// A body's handling figures over the window; `None` where there is nothing to measure (no
/// answered appeal has no median, no rated appeal no average rating).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Appeals the body received in the window (those it handles and those it forwarded on).
    pub appeals: u64,
    pub on_time_share: Option<f64>,
    pub median_working_days: Option<f64>,
    pub extended_share: Option<f64>,
    pub forwarded_late_share: Option<f64>,
    pub avg_rating: Option<f64>,
    pub complaint_share: Option<f64>,
    pub repeated_share: Option<f64>,
}

impl Metrics {
    pub fn value(&self, c: Component) -> Option<f64> {
        match c {
            Component::OnTime => self.on_time_share,
            Component::MedianWorkingDays => self.median_working_days,
            Component::Extended => self.extended_share,
            Component::ForwardedLate => self.forwarded_late_share,
            Component::Rating => self.avg_rating,
            Component::Complaints => self.complaint_share,
            Component::Repeated => self.repeated_share,
        }
        .filter(|v| v.is_finite())
    }
}

/// One component of a body's score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ComponentScore {
    pub key: Component,
    /// The measured value (a share 0..1, working days, or a rating).
    pub value: Option<f64>,
    /// The value normalised to 0..1, 1 the best.
    pub normalised: Option<f64>,
    /// The weight of the methodology.
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// 0..100, higher is better.
    pub score: f64,
    pub components: Vec<ComponentScore>,
}

impl Default for Methodology {
    fn default() -> Self {
        Methodology::parse(METHODOLOGY_TOML).expect("built-in rules/transparency.toml is valid")
    }
}

/// The methodology shipped in `rules/transparency.toml`, parsed once.
pub fn published() -> &'static Methodology {
    static M: std::sync::LazyLock<Methodology> = std::sync::LazyLock::new(Methodology::default);
    &M
}

impl Methodology {
    /// Parses and checks a methodology: every component once, weights ≥ 0 summing to 1,
    /// distinct bounds.
    pub fn parse(text: &str) -> Result<Methodology, MethodologyError> {
        let mut m: Methodology =
            toml::from_str(text).map_err(|e| MethodologyError::Parse(e.to_string()))?;
        if m.window_days == 0 {
            return Err(MethodologyError::EmptyWindow);
        }
        for c in Component::ALL {
            match m.components.iter().filter(|r| r.key == *c).count() {
                0 => return Err(MethodologyError::Missing(*c)),
                1 => {}
                _ => return Err(MethodologyError::Duplicate(*c)),
            }
        }
        for r in &m.components {
            if !r.weight.is_finite() || r.weight < 0.0 {
                return Err(MethodologyError::BadWeight(r.key));
            }
            if !r.best.is_finite() || !r.worst.is_finite() || r.best == r.worst {
                return Err(MethodologyError::BadBounds(r.key));
            }
        }
        let sum: f64 = m.components.iter().map(|r| r.weight).sum();
        if (sum - 1.0).abs() > 1e-9 {
            return Err(MethodologyError::WeightsSum(sum));
        }
        m.version = fingerprint(text);
        Ok(m)
    }

    pub fn rule(&self, c: Component) -> &ComponentRule {
        self.components
            .iter()
            .find(|r| r.key == c)
            .expect("parse checks every component is present")
    }

    /// The body's score, or `None` when it is not ranked: fewer appeals than `min_appeals`, or
    /// no component with data. Components without data are left out and the weights of the
    /// others scaled up, so a body is neither rewarded nor punished for what cannot be measured.
    pub fn score(&self, m: &Metrics) -> Option<Score> {
        if m.appeals < self.min_appeals {
            return None;
        }
        let components: Vec<ComponentScore> = self
            .components
            .iter()
            .map(|r| {
                let value = m.value(r.key);
                ComponentScore {
                    key: r.key,
                    value,
                    normalised: value.map(|v| r.normalise(v)),
                    weight: r.weight,
                }
            })
            .collect();
        let weight: f64 = components
            .iter()
            .filter(|c| c.normalised.is_some())
            .map(|c| c.weight)
            .sum();
        if weight <= 0.0 {
            return None;
        }
        let sum: f64 = components
            .iter()
            .filter_map(|c| c.normalised.map(|n| n * c.weight))
            .sum();
        Some(Score {
            score: (100.0 * sum / weight).clamp(0.0, 100.0),
            components,
        })
    }
}

/// FNV-1a over the text, as 16 hex digits: stable across builds and platforms.
fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The median of values given with their multiplicities (`(value, count)`); the mean of the
/// two middle values when the total count is even. `None` for no values.
pub fn weighted_median(values: &mut [(u32, u64)]) -> Option<f64> {
    values.sort_unstable_by_key(|v| v.0);
    let total: u64 = values.iter().map(|v| v.1).sum();
    if total == 0 {
        return None;
    }
    let nth = |k: u64| {
        let mut seen = 0;
        for (v, n) in values.iter() {
            seen += n;
            if seen > k {
                return f64::from(*v);
            }
        }
        unreachable!("k < total")
    };
    Some(if total % 2 == 1 {
        nth(total / 2)
    } else {
        (nth(total / 2 - 1) + nth(total / 2)) / 2.0
    })
}

/// Standard competition ranks ("1, 2, 2, 4") of scores sorted from the best.
pub fn competition_ranks(sorted_scores: &[f64]) -> Vec<u32> {
    let mut out = Vec::with_capacity(sorted_scores.len());
    for (i, s) in sorted_scores.iter().enumerate() {
        let rank = if i > 0 && (sorted_scores[i - 1] - s).abs() < 1e-9 {
            out[i - 1]
        } else {
            i as u32 + 1
        };
        out.push(rank);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perfect(m: &Methodology) -> Metrics {
        let v = |c| Some(m.rule(c).best);
        Metrics {
            appeals: m.min_appeals,
            on_time_share: v(Component::OnTime),
            median_working_days: v(Component::MedianWorkingDays),
            extended_share: v(Component::Extended),
            forwarded_late_share: v(Component::ForwardedLate),
            avg_rating: v(Component::Rating),
            complaint_share: v(Component::Complaints),
            repeated_share: v(Component::Repeated),
        }
    }

    fn set(m: &mut Metrics, c: Component, v: Option<f64>) {
        let slot = match c {
            Component::OnTime => &mut m.on_time_share,
            Component::MedianWorkingDays => &mut m.median_working_days,
            Component::Extended => &mut m.extended_share,
            Component::ForwardedLate => &mut m.forwarded_late_share,
            Component::Rating => &mut m.avg_rating,
            Component::Complaints => &mut m.complaint_share,
            Component::Repeated => &mut m.repeated_share,
        };
        *slot = v;
    }

    #[test]
    fn the_published_methodology_parses_and_its_weights_sum_to_one() {
        let m = Methodology::default();
        let sum: f64 = m.components.iter().map(|r| r.weight).sum();
        assert!((sum - 1.0).abs() < 1e-12, "{sum}");
        assert_eq!(m.components.len(), Component::ALL.len());
        assert!(m.window_days >= 1 && m.min_appeals >= 1);
        assert_eq!(m.version.len(), 16);
        // The worst median is the statutory review term (АППК art. 76).
        let median = m.rule(Component::MedianWorkingDays);
        assert_eq!((median.best, median.worst), (0.0, 15.0));
    }

    #[test]
    fn a_perfect_body_scores_100_and_the_worst_0() {
        let m = Methodology::default();
        let best = perfect(&m);
        assert_eq!(m.score(&best).unwrap().score, 100.0);
        let mut worst = best;
        for c in Component::ALL {
            set(&mut worst, *c, Some(m.rule(*c).worst));
        }
        assert_eq!(m.score(&worst).unwrap().score, 0.0);
        // Beyond the bounds clamps: later than the term is no worse than the term.
        set(&mut worst, Component::MedianWorkingDays, Some(40.0));
        assert_eq!(m.score(&worst).unwrap().score, 0.0);
    }

    #[test]
    fn the_score_is_monotonic_in_each_component() {
        let m = Methodology::default();
        for c in Component::ALL {
            let r = m.rule(*c);
            // Start in the middle of the others' range, so no clamp hides a change.
            let mut base = perfect(&m);
            for o in Component::ALL {
                let ro = m.rule(*o);
                set(&mut base, *o, Some((ro.best + ro.worst) / 2.0));
            }
            let mut last = -1.0;
            for step in 0..=20 {
                let v = r.worst + (r.best - r.worst) * f64::from(step) / 20.0;
                let mut x = base;
                set(&mut x, *c, Some(v));
                let s = m.score(&x).unwrap().score;
                assert!(s > last, "{c}: {s} after {last} at {v}");
                last = s;
            }
        }
    }

    #[test]
    fn a_component_without_data_is_left_out_not_counted_as_zero() {
        let m = Methodology::default();
        let mut x = perfect(&m);
        set(&mut x, Component::Rating, None);
        set(&mut x, Component::MedianWorkingDays, None);
        let s = m.score(&x).unwrap();
        assert_eq!(s.score, 100.0);
        let rating = s
            .components
            .iter()
            .find(|c| c.key == Component::Rating)
            .unwrap();
        assert_eq!((rating.value, rating.normalised), (None, None));
        // Half the on-time share, everything else perfect: only the present weights count.
        set(&mut x, Component::OnTime, Some(0.5));
        let present: f64 = m
            .components
            .iter()
            .filter(|r| !matches!(r.key, Component::Rating | Component::MedianWorkingDays))
            .map(|r| r.weight)
            .sum();
        let want = 100.0 * (1.0 - 0.5 * m.rule(Component::OnTime).weight / present);
        assert!((m.score(&x).unwrap().score - want).abs() < 1e-9);
    }

    #[test]
    fn too_few_appeals_or_no_data_is_not_ranked() {
        let m = Methodology::default();
        let mut x = perfect(&m);
        x.appeals = m.min_appeals - 1;
        assert!(m.score(&x).is_none());
        let empty = Metrics {
            appeals: m.min_appeals,
            ..Metrics::default()
        };
        assert!(m.score(&empty).is_none());
        assert!(m.score(&Metrics::default()).is_none());
    }

    #[test]
    fn invalid_methodologies_are_refused() {
        let ok = METHODOLOGY_TOML;
        let heavier = ok.replacen("weight = 0.30", "weight = 0.40", 1);
        assert!(matches!(
            Methodology::parse(&heavier),
            Err(MethodologyError::WeightsSum(_))
        ));
        let no_window = ok.replacen("window_days = 365", "window_days = 0", 1);
        assert_eq!(
            Methodology::parse(&no_window),
            Err(MethodologyError::EmptyWindow)
        );
        let renamed = ok.replacen("key = \"repeated\"", "key = \"complaints\"", 1);
        assert_eq!(
            Methodology::parse(&renamed),
            Err(MethodologyError::Duplicate(Component::Complaints))
        );
        let without_last = &ok[..ok.rfind("[[components]]").unwrap()];
        assert_eq!(
            Methodology::parse(without_last),
            Err(MethodologyError::Missing(Component::Repeated))
        );
        let flat = ok.replacen("best = 5.0", "best = 1.0", 1);
        assert_eq!(
            Methodology::parse(&flat),
            Err(MethodologyError::BadBounds(Component::Rating))
        );
        let unknown = format!("{ok}\nbonus = 1\n");
        assert!(matches!(
            Methodology::parse(&unknown),
            Err(MethodologyError::Parse(_))
        ));
        assert_ne!(
            Methodology::parse(&ok.replace("min_appeals = 10", "min_appeals = 11"))
                .unwrap()
                .version,
            Methodology::default().version
        );
    }

    #[test]
    fn weighted_median_of_odd_even_and_no_values() {
        assert_eq!(weighted_median(&mut []), None);
        assert_eq!(weighted_median(&mut [(7, 0)]), None);
        assert_eq!(weighted_median(&mut [(9, 1), (2, 1), (5, 1)]), Some(5.0));
        assert_eq!(weighted_median(&mut [(4, 2), (10, 2)]), Some(7.0));
        assert_eq!(weighted_median(&mut [(3, 5), (20, 1)]), Some(3.0));
    }

    #[test]
    fn equal_scores_share_a_rank() {
        assert_eq!(
            competition_ranks(&[90.0, 80.0, 80.0, 70.0]),
            vec![1, 2, 2, 4]
        );
        assert!(competition_ranks(&[]).is_empty());
    }
}
