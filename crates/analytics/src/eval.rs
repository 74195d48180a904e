//! The fixed evaluation: train on one JSONL file of labelled appeals, predict another, report
//! accuracy, macro-F1 and speed. The only module of the crate that reads files.

use crate::classifier::{Classifier, CombinedClassifier, ModelError, PredictScratch, TrainConfig};
use crate::features::{FeatureConfig, Input};
use crate::metrics;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

/// Which field of an appeal is predicted.
///
/// The dev figures in the comments of its settings were measured while the models still read
/// the shape of the address as well; without it (docs/PERFORMANCE.md, third pass) each is lower.
/// The combined models' weights were rechecked without it (0.3–0.7): 0.5 still does best.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelField {
    Category,
    Topic,
    ResponsibleOrg,
}

impl LabelField {
    pub fn name(self) -> &'static str {
        match self {
            LabelField::Category => "category",
            LabelField::Topic => "topic",
            LabelField::ResponsibleOrg => "responsible_org",
        }
    }

    /// Training settings for the label. Routing also reads the place of the appeal: the same
    /// complaint goes to a different body in a different district.
    ///
    /// Topic and routing average the weights of the last four of six epochs: with the nearly
    /// constant learning rate the last weights jump around the optimum, and their mean sits
    /// closer to it (dev: topic +1.2, routing +0.4 points). The category model alone does better
    /// without it (macro-F1 0.856 against 0.849).
    pub fn train_config(self) -> TrainConfig {
        let base = TrainConfig::default();
        let averaged = TrainConfig {
            epochs: 6,
            averaged_epochs: 4,
            ..base.clone()
        };
        match self {
            LabelField::Category => base,
            LabelField::Topic => averaged,
            LabelField::ResponsibleOrg => TrainConfig {
                features: FeatureConfig {
                    use_place: true,
                    ..base.features.clone()
                },
                ..averaged
            },
        }
    }

    /// For category and routing, the topic model that is combined with the label's own model:
    /// its settings, its weight and whether its table is per district. None for topic.
    pub fn fine_model(self) -> Option<FineModel> {
        match self {
            LabelField::Category => Some(FineModel {
                config: LabelField::Topic.train_config(),
                weight: CATEGORY_FROM_TOPIC,
                by_district: false,
            }),
            // With routing's features, so that one featurization serves both models.
            LabelField::ResponsibleOrg => Some(FineModel {
                config: TrainConfig {
                    features: LabelField::ResponsibleOrg.train_config().features,
                    ..LabelField::Topic.train_config()
                },
                weight: ROUTING_FROM_TOPIC,
                by_district: true,
            }),
            LabelField::Topic => None,
        }
    }
}

/// How much the topic model's probabilities, summed per category, weigh in the category
/// prediction (the category model's weigh the rest). Topic determines category (26 of 30,739
/// training appeals disagree), and the topic model's finer distinctions carry over to the rare
/// categories (dev: 0.950 / 0.856 → 0.954 / 0.865; weight 0.7 did a little less, 1.0, the topic
/// model alone, worse: 0.951 / 0.852).
pub const CATEGORY_FROM_TOPIC: f32 = 0.5;

/// How much the topic model, through the share of each topic's appeals that went to each body in
/// the appeal's district, weighs in routing. The counted shares say outright which body serves a
/// subject in a district, which the routing model has to learn from words and district
/// features side by side (dev: 0.788 → 0.807; a table over all districts: 0.794;
/// weights 0.4 and 0.6 within 0.3 points; smoothing the per-district shares towards the
/// city-wide ones did not help).
pub const ROUTING_FROM_TOPIC: f32 = 0.5;

/// The topic model combined with a label's own model ([`CombinedClassifier`]).
#[derive(Debug, Clone)]
pub struct FineModel {
    pub config: TrainConfig,
    pub weight: f32,
    pub by_district: bool,
}

/// The model under evaluation.
enum Model {
    Single(Classifier),
    Combined(CombinedClassifier),
}

impl Model {
    fn labels(&self) -> &[String] {
        match self {
            Model::Single(m) => m.labels(),
            Model::Combined(m) => m.labels(),
        }
    }

    fn predict_with(&self, input: &Input<'_>, scratch: &mut PredictScratch) -> (usize, f32) {
        let p = match self {
            Model::Single(m) => m.predict_with(input, scratch),
            Model::Combined(m) => m.predict_with(input, scratch),
        };
        (p.index, p.confidence)
    }
}

impl FromStr for LabelField {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "category" => Ok(LabelField::Category),
            "topic" => Ok(LabelField::Topic),
            "responsible_org" => Ok(LabelField::ResponsibleOrg),
            other => Err(format!(
                "unknown label {other:?}: expected category, topic or responsible_org"
            )),
        }
    }
}

/// One appeal of the data set; fields not needed here are ignored.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Record {
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub responsible_org: Option<String>,
    #[serde(default)]
    pub district: Option<String>,
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    /// When the appeal arrived (local time, ISO 8601 without offset).
    #[serde(default)]
    pub created_at: Option<String>,
}

impl Record {
    pub fn label(&self, field: LabelField) -> Option<&str> {
        match field {
            LabelField::Category => self.category.as_deref(),
            LabelField::Topic => self.topic.as_deref(),
            LabelField::ResponsibleOrg => self.responsible_org.as_deref(),
        }
    }

    /// What a model for `field` may read of the appeal, as the issue fixes it: category and topic
    /// are told from the text alone; routing may also read the district, the municipality and
    /// the point. The other fields (the address, the dates, the statuses) are never read: the
    /// server has no such address to give, and a model leaning on one fails on files without it.
    pub fn input(&self, field: LabelField) -> Input<'_> {
        let text = self.text.as_deref().unwrap_or("");
        match field {
            LabelField::Category | LabelField::Topic => Input::text(text),
            LabelField::ResponsibleOrg => Input {
                text,
                district: self.district.as_deref(),
                municipality: self.municipality.as_deref(),
                lat: self.lat,
                lon: self.lon,
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("reading {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}, line {line}: {source}")]
    Json {
        path: PathBuf,
        line: usize,
        source: serde_json::Error,
    },
    #[error("{path}: no appeal has the label {label}")]
    NoLabelled { path: PathBuf, label: &'static str },
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// Reads the appeals of a JSONL file (gzip-compressed or plain, told by its first bytes) that
/// have `label`; the others are skipped.
pub fn read_records(path: &Path, label: LabelField) -> Result<Vec<Record>, EvalError> {
    let io = |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = BufReader::new(File::open(path).map_err(io)?);
    let gzip = file.fill_buf().map_err(io)?.starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn BufRead> = if gzip {
        Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(file)))
    } else {
        Box::new(file)
    };
    parse_records(reader, label).map_err(|e| match e {
        ParseError::Io(source) => io(source),
        ParseError::Json(line, source) => EvalError::Json {
            path: path.to_path_buf(),
            line,
            source,
        },
    })
}

enum ParseError {
    Io(std::io::Error),
    Json(usize, serde_json::Error),
}

fn parse_records(reader: impl BufRead, label: LabelField) -> Result<Vec<Record>, ParseError> {
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(ParseError::Io)?;
        if line.trim().is_empty() {
            continue;
        }
        let r: Record = serde_json::from_str(&line).map_err(|e| ParseError::Json(i + 1, e))?;
        if r.label(label).is_some() {
            out.push(r);
        }
    }
    Ok(out)
}

/// The result line of `tyndau analytics evaluate`; the field order is the documented interface.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub label: &'static str,
    pub n_train: usize,
    pub n_test: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub train_seconds: f64,
    pub predict_per_second: f64,
}

/// Trains on `train`, predicts `test`, measures. Progress goes to `log`.
pub fn evaluate(
    train: &[Record],
    test: &[Record],
    label: LabelField,
    config: &TrainConfig,
    log: &mut dyn Write,
) -> Result<Report, ModelError> {
    evaluate_with(train, test, label, config, label.fine_model().as_ref(), log)
}

/// [`evaluate`] with the topic model to combine given. The combined model is used only if some
/// training appeal has a topic.
pub fn evaluate_with(
    train: &[Record],
    test: &[Record],
    label: LabelField,
    config: &TrainConfig,
    fine: Option<&FineModel>,
    log: &mut dyn Write,
) -> Result<Report, ModelError> {
    let inputs: Vec<Input<'_>> = train.iter().map(|r| r.input(label)).collect();
    let labels: Vec<&str> = train
        .iter()
        .map(|r| r.label(label).unwrap_or_default())
        .collect();
    let started = Instant::now();
    let topics: Vec<Option<&str>> = train.iter().map(|r| r.topic.as_deref()).collect();
    let model = match fine {
        Some(fine) if fine.weight > 0.0 && topics.iter().any(Option::is_some) => {
            Model::Combined(CombinedClassifier::train(
                &inputs,
                &labels,
                &topics,
                config,
                &fine.config,
                fine.weight,
                fine.by_district,
            )?)
        }
        _ => Model::Single(Classifier::train(&inputs, &labels, config)?),
    };
    let train_seconds = started.elapsed().as_secs_f64();
    let _ = writeln!(
        log,
        "trained on {} appeals, {} classes, in {train_seconds:.2} s",
        train.len(),
        model.labels().len()
    );

    // Labels unseen in training get indices after the model's, so they count as misses.
    let mut index: HashMap<&str, usize> = model
        .labels()
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let truth: Vec<usize> = test
        .iter()
        .map(|r| {
            let next = index.len();
            *index
                .entry(r.label(label).unwrap_or_default())
                .or_insert(next)
        })
        .collect();
    let test_inputs: Vec<Input<'_>> = test.iter().map(|r| r.input(label)).collect();

    let mut scratch = PredictScratch::default();
    let mut predicted = Vec::with_capacity(test.len());
    let mut confidence = Vec::with_capacity(test.len());
    let started = Instant::now();
    for input in &test_inputs {
        let (index, p) = model.predict_with(input, &mut scratch);
        predicted.push(index);
        confidence.push(p);
    }
    let predict_seconds = started.elapsed().as_secs_f64();

    report_confidence(&truth, &predicted, &confidence, log);
    Ok(Report {
        label: label.name(),
        n_train: train.len(),
        n_test: test.len(),
        accuracy: metrics::accuracy(&truth, &predicted),
        macro_f1: metrics::macro_f1(&truth, &predicted),
        train_seconds,
        predict_per_second: if predict_seconds > 0.0 {
            test.len() as f64 / predict_seconds
        } else {
            0.0
        },
    })
}

/// How accuracy and coverage trade off when predictions below a confidence threshold are left to
/// a person: the figure the server's threshold will be chosen from.
fn report_confidence(
    truth: &[usize],
    predicted: &[usize],
    confidence: &[f32],
    log: &mut dyn Write,
) {
    for threshold in [0.5f32, 0.7, 0.9] {
        let kept: Vec<usize> = (0..truth.len())
            .filter(|&i| confidence[i] >= threshold)
            .collect();
        let right = kept.iter().filter(|&&i| truth[i] == predicted[i]).count();
        let _ = writeln!(
            log,
            "confidence >= {threshold}: {:.1} % of appeals, accuracy {:.4}",
            100.0 * kept.len() as f64 / truth.len().max(1) as f64,
            right as f64 / kept.len().max(1) as f64
        );
    }
}

/// `tyndau analytics evaluate`: reads both files, evaluates, returns the report.
pub fn run(
    train_path: &Path,
    test_path: &Path,
    label: LabelField,
    log: &mut dyn Write,
) -> Result<Report, EvalError> {
    let train = read_records(train_path, label)?;
    let test = read_records(test_path, label)?;
    let _ = writeln!(
        log,
        "read {} training and {} test appeals labelled with {}",
        train.len(),
        test.len(),
        label.name()
    );
    if train.is_empty() {
        return Err(EvalError::NoLabelled {
            path: train_path.to_path_buf(),
            label: label.name(),
        });
    }
    Ok(evaluate(&train, &test, label, &label.train_config(), log)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};

    const LINES: &str = concat!(
        r#"{"text":"Яма на дороге","category":"Дороги","topic":"Ямы","district":"Невский","municipality":"Рыбацкое","lat":59.8,"lon":30.5,"address":"ул. 1","responsible_org":"ЖА Невского","created_at":"2020-01-01T00:00:00","expected_answer_at":null,"first_answer_at":null,"statuses":[]}"#,
        "\n",
        r#"{"text":"Мусор во дворе","category":"Благоустройство","topic":"Мусор","district":null,"municipality":null,"lat":null,"lon":null,"address":null,"responsible_org":null,"created_at":null,"expected_answer_at":null,"first_answer_at":null,"statuses":[]}"#,
        "\n\n",
        r#"{"text":"Нет света","category":null,"topic":"Освещение","responsible_org":"Ленсвет"}"#,
        "\n"
    );

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn reads_plain_and_gzip_and_skips_missing_labels() {
        let dir = tempfile::tempdir().unwrap();
        let plain = write(dir.path(), "a.jsonl", LINES.as_bytes());
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(LINES.as_bytes()).unwrap();
        // The name says nothing: the magic bytes decide.
        let zipped = write(dir.path(), "b.jsonl", &gz.finish().unwrap());
        for path in [&plain, &zipped] {
            let cats = read_records(path, LabelField::Category).unwrap();
            assert_eq!(cats.len(), 2);
            assert_eq!(cats[0].label(LabelField::Category), Some("Дороги"));
            assert_eq!(cats[0].district.as_deref(), Some("Невский"));
            assert_eq!(cats[1].lat, None);
            let orgs = read_records(path, LabelField::ResponsibleOrg).unwrap();
            let names: Vec<_> = orgs
                .iter()
                .map(|r| r.label(LabelField::ResponsibleOrg))
                .collect();
            assert_eq!(names, [Some("ЖА Невского"), Some("Ленсвет")]);
            assert_eq!(read_records(path, LabelField::Topic).unwrap().len(), 3);
        }
    }

    #[test]
    fn category_and_topic_read_the_text_alone_and_routing_adds_only_the_place() {
        let r: Record = serde_json::from_str(LINES.lines().next().unwrap()).unwrap();
        for field in [LabelField::Category, LabelField::Topic] {
            let x = r.input(field);
            assert_eq!(x.text, "Яма на дороге");
            assert_eq!(
                (x.district, x.municipality, x.lat, x.lon),
                (None, None, None, None)
            );
        }
        let x = r.input(LabelField::ResponsibleOrg);
        assert_eq!(x.text, "Яма на дороге");
        assert_eq!(
            (x.district, x.municipality, x.lat, x.lon),
            (Some("Невский"), Some("Рыбацкое"), Some(59.8), Some(30.5))
        );
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "bad.jsonl",
            b"{\"text\":\"a\",\"topic\":\"b\"}\n{oops\n",
        );
        match read_records(&p, LabelField::Topic) {
            Err(EvalError::Json { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read_records(&dir.path().join("missing"), LabelField::Topic),
            Err(EvalError::Io { .. })
        ));
    }

    #[test]
    fn labels_parse() {
        assert_eq!("topic".parse::<LabelField>(), Ok(LabelField::Topic));
        assert_eq!(
            "responsible_org".parse::<LabelField>(),
            Ok(LabelField::ResponsibleOrg)
        );
        assert!("org".parse::<LabelField>().is_err());
    }

    fn record(text: &str, category: &str) -> Record {
        Record {
            text: Some(text.into()),
            category: Some(category.into()),
            topic: None,
            responsible_org: None,
            district: None,
            municipality: None,
            lat: None,
            lon: None,
            created_at: None,
        }
    }

    #[test]
    fn end_to_end_report() {
        let train: Vec<Record> = (0..60)
            .map(|i| match i % 2 {
                0 => record(&format!("яма на дороге {i}"), "roads"),
                _ => record(&format!("мусор во дворе {i}"), "waste"),
            })
            .collect();
        // One test label the model has never seen: always a miss, and it counts in macro-F1.
        let test = vec![
            record("глубокая яма", "roads"),
            record("мусор", "waste"),
            record("яма", "parks"),
        ];
        let mut log = Vec::new();
        let config = TrainConfig {
            features: FeatureConfig {
                bits: 12,
                ..FeatureConfig::default()
            },
            ..TrainConfig::default()
        };
        let r = evaluate(&train, &test, LabelField::Category, &config, &mut log).unwrap();
        assert_eq!((r.n_train, r.n_test), (60, 3));
        assert!((r.accuracy - 2.0 / 3.0).abs() < 1e-9, "{r:?}");
        // roads: tp 1, fp 1 → 2/3; waste: 1; parks: 0.
        assert!((r.macro_f1 - (2.0 / 3.0 + 1.0) / 3.0).abs() < 1e-9, "{r:?}");
        assert!(r.predict_per_second > 0.0);
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.starts_with(r#"{"label":"category","n_train":60,"n_test":3,"accuracy":"#));
        assert!(
            String::from_utf8(log)
                .unwrap()
                .contains("trained on 60 appeals")
        );
    }
}
