//! Sensitive appeals for priority control: a lexicon of terms per topic, matched on the
//! normalised text, plus categories that are sensitive whatever the words. The lexicon is data
//! (administrators maintain it); the rules around it are `rules/sensitive.toml`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;

use crate::appeal::text_enum;

text_enum!(
    /// The sensitive issues the Concept of Public Administration 2030 names for priority control.
    Topic {
        /// Threats to life and health.
        LifeHealth = "life_health",
        /// Children in danger.
        Children = "children",
        /// Heating, water or power cut off in the heating season.
        UtilitiesWinter = "utilities_winter",
        Corruption = "corruption",
        /// Mass gatherings, unrest, collective protests.
        MassEvents = "mass_events",
    }
);

pub const RULES_TOML: &str = include_str!("../rules/sensitive.toml");

/// The rules around the lexicon (`rules/sensitive.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensitiveRules {
    pub heating_season_months: Vec<u32>,
    pub max_gap_words: usize,
    /// Category id → topic.
    pub categories: BTreeMap<String, Topic>,
}

impl Default for SensitiveRules {
    fn default() -> Self {
        toml::from_str(RULES_TOML).expect("built-in rules/sensitive.toml is valid")
    }
}

/// Why a term cannot be in the lexicon.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    #[error("the term has no words")]
    Empty,
    #[error(
        "a term needs a word of at least three letters, and every word at least two (each matches \
         words that start with it)"
    )]
    TooShort,
    #[error("a term has at most five words of at most 40 letters each")]
    TooLong,
}

/// A term as the matcher holds it: the stems of its words, each matching any word that starts
/// with it (Russian and Kazakh inflect: "угроз" matches "угроза", "угрозы", "угрозой").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub topic: Topic,
    pub stems: Vec<String>,
}

impl Term {
    /// Normalises and checks a term as an administrator typed it.
    pub fn parse(topic: Topic, text: &str) -> Result<Term, TermError> {
        let norm = crate::text::normalize(text).replace('ё', "е");
        let stems: Vec<String> = norm
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        if stems.is_empty() {
            return Err(TermError::Empty);
        }
        // No word of any language runs past 40 letters; a longer one is a paste gone wrong.
        if stems.len() > 5 || stems.iter().any(|s| s.chars().count() > 40) {
            return Err(TermError::TooLong);
        }
        // Two-letter words are common in Kazakh phrases ("су жоқ", no water); one of at least
        // three letters keeps a term from matching nearly any text, and from being digits alone.
        let letters = |s: &String| s.chars().filter(|c| c.is_alphabetic()).count();
        if stems.iter().any(|s| s.chars().count() < 2) || !stems.iter().any(|s| letters(s) >= 3) {
            return Err(TermError::TooShort);
        }
        Ok(Term { topic, stems })
    }

    /// The stored, normalised spelling.
    pub fn text(&self) -> String {
        self.stems.join(" ")
    }
}

/// One reason an appeal was flagged.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Flag {
    pub topic: Topic,
    /// The term that matched, or `category:<id>` when the category alone flagged it.
    pub because: String,
}

/// The compiled lexicon.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    rules: SensitiveRules,
    /// First three letters of the first stem → indexes into `terms`, so a word costs one look-up.
    index: HashMap<String, Vec<usize>>,
    terms: Vec<Term>,
}

/// The first three letters (two for a two-letter stem): a word is looked up by both its keys.
fn key(stem: &str, len: usize) -> String {
    stem.chars().take(len).collect()
}

impl Lexicon {
    pub fn new(rules: SensitiveRules, terms: Vec<Term>) -> Lexicon {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, t) in terms.iter().enumerate() {
            index.entry(key(&t.stems[0], 3)).or_default().push(i);
        }
        Lexicon {
            rules,
            index,
            terms,
        }
    }

    pub fn rules(&self) -> &SensitiveRules {
        &self.rules
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The flags of an appeal: its normalised text, its category, and the month (1–12) of its
    /// local receipt date. One flag per topic (the first term found), sorted by topic.
    pub fn flags(&self, text_norm: &str, category_id: &str, month: u32) -> Vec<Flag> {
        let mut found: BTreeMap<Topic, String> = BTreeMap::new();
        if let Some(&topic) = self.rules.categories.get(category_id).or_else(|| {
            category_id
                .split_once('.')
                .and_then(|(top, _)| self.rules.categories.get(top))
        }) {
            found.insert(topic, format!("category:{category_id}"));
        }
        let winter = self.rules.heating_season_months.contains(&month);
        // "ребёнок" and "ребенок" are one word; terms are stored with "е".
        let folded;
        let text_norm = if text_norm.contains('ё') {
            folded = text_norm.replace('ё', "е");
            folded.as_str()
        } else {
            text_norm
        };
        let words: Vec<&str> = text_norm.split(' ').filter(|w| !w.is_empty()).collect();
        for (i, w) in words.iter().enumerate() {
            let (k3, k2) = (key(w, 3), key(w, 2));
            if k2.chars().count() < 2 {
                continue;
            }
            let short = if k2 != k3 { self.index.get(&k2) } else { None };
            let candidates = self.index.get(&k3).into_iter().chain(short).flatten();
            for &ti in candidates {
                let t = &self.terms[ti];
                if found.contains_key(&t.topic) || (t.topic == Topic::UtilitiesWinter && !winter) {
                    continue;
                }
                if self.matches_at(&words, i, t) {
                    found.insert(t.topic, t.text());
                }
            }
        }
        found
            .into_iter()
            .map(|(topic, because)| Flag { topic, because })
            .collect()
    }

    /// Whether the term's stems start words in order from `i`, each within `max_gap_words`
    /// words of the one before.
    fn matches_at(&self, words: &[&str], i: usize, t: &Term) -> bool {
        if !words[i].starts_with(t.stems[0].as_str()) {
            return false;
        }
        let mut at = i;
        for stem in &t.stems[1..] {
            let end = (at + 2 + self.rules.max_gap_words).min(words.len());
            match (at + 1..end).find(|&j| words[j].starts_with(stem.as_str())) {
                Some(j) => at = j,
                None => return false,
            }
        }
        true
    }
}

impl Lexicon {
    /// The two stored columns of an appeal's flags: topics and why (`None` when not flagged).
    pub fn columns(
        &self,
        text_norm: &str,
        category_id: &str,
        month: u32,
    ) -> (Option<String>, Option<String>) {
        let flags = self.flags(text_norm, category_id, month);
        let because = (!flags.is_empty()).then(|| {
            flags
                .iter()
                .map(|f| f.because.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        });
        (topics_column(&flags), because)
    }
}

/// The stored form of a set of flags: the topics in the order of `Topic`, comma-separated (NULL
/// when none).
pub fn topics_column(flags: &[Flag]) -> Option<String> {
    if flags.is_empty() {
        return None;
    }
    let topics: BTreeSet<Topic> = flags.iter().map(|f| f.topic).collect();
    Some(
        topics
            .into_iter()
            .map(Topic::as_str)
            .collect::<Vec<_>>()
            .join(","),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(terms: &[(Topic, &str)]) -> Lexicon {
        Lexicon::new(
            SensitiveRules::default(),
            terms
                .iter()
                .map(|(t, s)| Term::parse(*t, s).unwrap())
                .collect(),
        )
    }

    fn flags(l: &Lexicon, text: &str, category: &str, month: u32) -> Vec<(Topic, String)> {
        l.flags(&crate::text::normalize(text), category, month)
            .into_iter()
            .map(|f| (f.topic, f.because))
            .collect()
    }

    #[test]
    fn sensitive_term_matches_inflected_words_and_phrases_with_a_gap() {
        let l = lexicon(&[
            (Topic::LifeHealth, "угроз жизн"),
            (Topic::Corruption, "взятк"),
        ]);
        assert_eq!(
            flags(
                &l,
                "Существует угроза для жизни жильцов",
                "housing.maintenance",
                6
            ),
            vec![(Topic::LifeHealth, "угроз жизн".to_string())]
        );
        assert_eq!(
            flags(&l, "Начальник требовал ВЗЯТКУ", "land.permits", 6),
            vec![(Topic::Corruption, "взятк".to_string())]
        );
        // The words are too far apart, or in the wrong order: no flag.
        assert!(flags(&l, "угроза того что в этом году жизнь", "other.other", 6).is_empty());
        assert!(flags(&l, "жизнь под угрозой", "other.other", 6).is_empty());
        assert!(flags(&l, "прошу отремонтировать дорогу", "roads.repair", 6).is_empty());
    }

    #[test]
    fn a_term_may_start_with_a_two_letter_word() {
        let l = lexicon(&[(Topic::UtilitiesWinter, "су жоқ")]);
        for text in [
            "Үйде су жоқ, балалар сусыз отыр",
            "Үйдің суы жоқ үшінші күн",
        ] {
            assert_eq!(
                flags(&l, text, "housing.water", 1),
                vec![(Topic::UtilitiesWinter, "су жоқ".to_string())],
                "{text}"
            );
        }
        assert!(flags(&l, "Жол жоқ, су бар", "roads.repair", 1).is_empty());
        assert!(flags(&l, "Су", "housing.water", 1).is_empty());
    }

    #[test]
    fn sensitive_utilities_outage_counts_only_in_the_heating_season() {
        let l = lexicon(&[(Topic::UtilitiesWinter, "нет отоплен")]);
        let text = "В доме нет отопления третий день";
        assert_eq!(flags(&l, text, "housing.heating", 1).len(), 1);
        assert_eq!(flags(&l, text, "housing.heating", 11).len(), 1);
        assert!(flags(&l, text, "housing.heating", 7).is_empty());
    }

    #[test]
    fn sensitive_categories_flag_whatever_the_words() {
        let l = lexicon(&[]);
        assert_eq!(
            flags(&l, "прошу проверить", "law.corruption", 5),
            vec![(Topic::Corruption, "category:law.corruption".to_string())]
        );
        assert!(flags(&l, "прошу проверить", "roads.repair", 5).is_empty());
    }

    #[test]
    fn one_flag_per_topic_and_the_column_lists_topics() {
        let l = lexicon(&[
            (Topic::Children, "ребён"),
            (Topic::Children, "бала"),
            (Topic::LifeHealth, "избива"),
        ]);
        let f = l.flags(
            &crate::text::normalize("Ребенка избивают, бала қорқады"),
            "social.benefits",
            3,
        );
        assert_eq!(f.len(), 2);
        assert_eq!(topics_column(&f).as_deref(), Some("life_health,children"));
        assert_eq!(topics_column(&[]), None);
    }

    #[test]
    fn terms_are_normalised_and_checked() {
        assert_eq!(
            Term::parse(Topic::Children, "  Жестокое  обращение! ")
                .unwrap()
                .text(),
            "жестокое обращение"
        );
        assert_eq!(Term::parse(Topic::Children, " !! "), Err(TermError::Empty));
        // Two-letter words only beside one of three letters or more, and never digits alone.
        assert_eq!(
            Term::parse(Topic::Children, "на").unwrap_err(),
            TermError::TooShort
        );
        assert_eq!(
            Term::parse(Topic::Children, "на у").unwrap_err(),
            TermError::TooShort
        );
        assert_eq!(
            Term::parse(Topic::Children, "123 456").unwrap_err(),
            TermError::TooShort
        );
        assert_eq!(
            Term::parse(Topic::UtilitiesWinter, "Су жоқ")
                .unwrap()
                .text(),
            "су жоқ"
        );
        assert_eq!(
            Term::parse(Topic::Children, "один два три четыре пять шесть"),
            Err(TermError::TooLong)
        );
        assert_eq!(
            Term::parse(Topic::Children, &"ш".repeat(41)),
            Err(TermError::TooLong)
        );
        assert!(Term::parse(Topic::Children, &"ш".repeat(40)).is_ok());
    }

    #[test]
    fn the_rules_file_names_real_topics_and_months() {
        let r = SensitiveRules::default();
        assert!(r.heating_season_months.iter().all(|m| (1..=12).contains(m)));
        assert!(!r.categories.is_empty());
    }
}
