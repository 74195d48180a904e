//! Topics of a set of appeals: clusters of texts that ask for the same thing, labelled by their
//! characteristic word stems. Used to find "hidden" public services — recurring applications
//! that no registered service covers.
//!
//! Method: each text becomes a binary vector of word stems (words of four or more letters cut
//! to six, so Russian and Kazakh endings fold; common request words dropped); within one category,
//! a single pass puts each text into the most similar cluster whose centroid is within the
//! cosine threshold, else starts a new cluster (leader clustering: one pass, each text compared
//! with the clusters of its category; the same input in the same order gives the same clusters).

use std::collections::{BTreeMap, HashMap, HashSet};

/// Words of petitions and applications that say nothing about their subject.
const STOP: &[&str] = &[
    "прошу",
    "просим",
    "просьба",
    "пожалу",
    "котор",
    "также",
    "очень",
    "может",
    "нужно",
    "необхо",
    "данный",
    "данном",
    "этого",
    "этому",
    "чтобы",
    "вопрос",
    "решить",
    "помочь",
    "помоги",
    "связи",
    "уважае",
    "здравс",
    "сообща",
    "имеетс",
    "являет",
    "было",
    "были",
    "будет",
    "более",
    "менее",
    "сейчас",
    "когда",
    "после",
    "перед",
    "всего",
    "году",
    "года",
    "улица",
    "улице",
    "город",
    "района",
    "район",
    "меня",
    "моей",
    "моего",
    "наших",
    "сіздер",
    "сізден",
    "өтіні",
    "сұрай",
    "сұраймы",
    "көмек",
    "туралы",
    "бойынш",
    "үшін",
    "please",
    "would",
    "could",
    "about",
    "there",
    "their",
    "which",
];

/// The stem of a normalised word, or None for short and empty words.
pub fn stem(word: &str) -> Option<String> {
    if word.chars().count() < 4 || word.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let s: String = word.chars().take(6).collect();
    if STOP
        .iter()
        .any(|w| s.starts_with(w) || w.starts_with(s.as_str()))
    {
        return None;
    }
    Some(s)
}

/// The distinct stems of a normalised text.
pub fn stems(text_norm: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    text_norm
        .split(' ')
        .filter_map(stem)
        .filter(|s| seen.insert(s.clone()))
        .collect()
}

/// Each stem's commonest word among `texts` (ties: the shorter, then the first in alphabetical
/// order), so that a topic reads as words ("справку", "составе"), not as cut stems.
fn word_forms<'a>(stems: &[&str], texts: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut counts: Vec<HashMap<&'a str, usize>> = vec![HashMap::new(); stems.len()];
    for t in texts {
        for w in t.split(' ') {
            if let Some(s) = stem(w)
                && let Some(k) = stems.iter().position(|x| *x == s)
            {
                *counts[k].entry(w).or_default() += 1;
            }
        }
    }
    stems
        .iter()
        .zip(counts)
        .map(|(s, c)| {
            c.into_iter()
                .max_by(|a, b| {
                    a.1.cmp(&b.1)
                        .then(b.0.chars().count().cmp(&a.0.chars().count()))
                        .then(b.0.cmp(a.0))
                })
                .map_or_else(|| s.to_string(), |(w, _)| w.to_string())
        })
        .collect()
}

/// One text to cluster.
pub struct Doc<'a> {
    pub id: &'a str,
    pub group: &'a str,
    pub text_norm: &'a str,
}

/// A cluster: its group (category), its members (ids, in input order) and its label.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Topic {
    pub group: String,
    pub members: Vec<String>,
    /// The stems that weigh most in the centroid, heaviest first, each as its commonest word
    /// among the members.
    pub terms: Vec<String>,
}

type Vector = HashMap<u32, f32>;

/// Clusters the texts of each group; `threshold` is the least cosine similarity of a text to a
/// cluster's centroid for it to join.
pub fn cluster(docs: &[Doc<'_>], threshold: f32) -> Vec<Topic> {
    // The vocabulary of stems.
    let mut vocab: HashMap<String, u32> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let doc_stems: Vec<Vec<u32>> = docs
        .iter()
        .map(|d| {
            stems(d.text_norm)
                .into_iter()
                .map(|s| {
                    let next = vocab.len() as u32;
                    *vocab.entry(s.clone()).or_insert_with(|| {
                        names.push(s);
                        next
                    })
                })
                .collect()
        })
        .collect();

    struct Cluster {
        sum: Vector,
        /// Sum of the squares of `sum`: its norm without a pass over it.
        sq: f32,
        members: Vec<usize>,
    }
    struct Group {
        clusters: Vec<Cluster>,
        /// Stem → the clusters whose centroid has it: a text is compared only with clusters
        /// that share a stem with it, not with every cluster of its category.
        postings: HashMap<u32, Vec<usize>>,
    }
    let mut by_group: BTreeMap<&str, Group> = BTreeMap::new();
    let mut dots: HashMap<usize, f32> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if doc_stems[i].is_empty() {
            continue;
        }
        // Binary weights: the words a group of requests shares are what make it a topic, so
        // frequent words must not be discounted as inverse document frequency would.
        let w = 1.0 / (doc_stems[i].len() as f32).sqrt();
        let g = by_group.entry(d.group).or_insert_with(|| Group {
            clusters: Vec::new(),
            postings: HashMap::new(),
        });
        dots.clear();
        for t in &doc_stems[i] {
            if let Some(cs) = g.postings.get(t) {
                for &ci in cs {
                    *dots.entry(ci).or_default() += w * g.clusters[ci].sum[t];
                }
            }
        }
        let best = dots
            .iter()
            .map(|(&ci, &dot)| (ci, dot / g.clusters[ci].sq.sqrt()))
            .filter(|(_, s)| *s >= threshold)
            // Ties go to the older cluster, so the result does not depend on hash order.
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let ci = match best {
            Some((ci, _)) => ci,
            None => {
                g.clusters.push(Cluster {
                    sum: Vector::new(),
                    sq: 0.0,
                    members: Vec::new(),
                });
                g.clusters.len() - 1
            }
        };
        let c = &mut g.clusters[ci];
        for &t in &doc_stems[i] {
            let x = c.sum.entry(t).or_default();
            if *x == 0.0 {
                g.postings.entry(t).or_default().push(ci);
            }
            c.sq += 2.0 * *x * w + w * w;
            *x += w;
        }
        c.members.push(i);
    }
    let mut out = Vec::new();
    for (group, g) in by_group {
        for c in g.clusters {
            let mut terms: Vec<(u32, f32)> = c.sum.into_iter().collect();
            terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let top: Vec<&str> = terms
                .iter()
                .take(5)
                .map(|&(t, _)| names[t as usize].as_str())
                .collect();
            out.push(Topic {
                group: group.to_string(),
                terms: word_forms(&top, c.members.iter().map(|&i| docs[i].text_norm)),
                members: c.members.iter().map(|&i| docs[i].id.to_string()).collect(),
            });
        }
    }
    out.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.group.cmp(&b.group))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tyndau_core::text::normalize;

    #[test]
    fn stems_fold_endings_and_drop_request_words() {
        assert_eq!(
            stems(&normalize(
                "Прошу выдать справку о составе семьи, справки нет"
            )),
            vec!["выдать", "справк", "состав", "семьи"]
        );
    }

    #[test]
    fn the_same_request_in_other_words_is_one_topic_and_others_stay_apart() {
        let texts = [
            ("1", "Прошу выдать справку о составе семьи для школы"),
            ("2", "Нужна справка о составе семьи, где её получить"),
            ("3", "Как получить справку о составе семьи онлайн"),
            (
                "4",
                "Прошу заменить удостоверение личности, старое испорчено",
            ),
            ("5", "Замена удостоверения личности после смены фамилии"),
            ("6", "Яма на дороге возле школы"),
        ];
        let norms: Vec<String> = texts.iter().map(|(_, t)| normalize(t)).collect();
        let docs: Vec<Doc> = texts
            .iter()
            .zip(&norms)
            .map(|((id, _), n)| Doc {
                id,
                group: "public.egov",
                text_norm: n,
            })
            .collect();
        let topics = cluster(&docs, 0.35);
        let of = |id: &str| {
            topics
                .iter()
                .position(|t| t.members.iter().any(|m| m == id))
                .unwrap()
        };
        assert_eq!(of("1"), of("2"));
        assert_eq!(of("1"), of("3"));
        assert_eq!(of("4"), of("5"));
        assert_ne!(of("1"), of("4"));
        assert_ne!(of("6"), of("1"));
        assert_ne!(of("6"), of("4"));
        let t = &topics[of("1")];
        // Words, each stem's commonest form ("справку" twice, "справка" once).
        assert!(t.terms.contains(&"справку".to_string()), "{t:?}");
        assert!(t.terms.contains(&"составе".to_string()), "{t:?}");
    }

    #[test]
    fn groups_never_mix() {
        let n = normalize("справка о составе семьи");
        let docs = [
            Doc {
                id: "a",
                group: "public",
                text_norm: &n,
            },
            Doc {
                id: "b",
                group: "social",
                text_norm: &n,
            },
        ];
        assert_eq!(cluster(&docs, 0.35).len(), 2);
    }
}
