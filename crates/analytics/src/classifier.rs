//! A linear text classifier: multinomial logistic regression over hashed features, trained by
//! stochastic gradient descent. Predicts a label with a softmax probability as its confidence, so
//! the caller can leave low-confidence appeals to a person.
//!
//! Multinomial rather than one-vs-rest: with 124 classes the one-vs-rest problems are very
//! imbalanced and their scores are not comparable; softmax scores are, and they sum to one.

use crate::features::{Counts, FeatureConfig, Featurizer, Input, Scratch, SparseVec};

/// Settings of training. Deterministic: the same data and settings give the same model.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub features: FeatureConfig,
    pub epochs: usize,
    /// Initial learning rate; it decays as `eta0 / (1 + eta0 · lambda · t)`.
    pub eta0: f32,
    /// L2 regularisation strength.
    pub lambda: f32,
    /// Logit adjustment: `tau · ln(prior)` is taken off each class's bias after training, which
    /// moves decisions towards rare classes (recall of rare classes, hence macro-F1, up). 0: none.
    /// Re-weighting the loss by class frequency was tried instead and cost more accuracy.
    pub prior_correction: f32,
    /// The model is the mean of the weights after each of the last `averaged_epochs` epochs
    /// (0 or 1: the last weights).
    pub averaged_epochs: usize,
    pub seed: u64,
    /// Threads used to featurize the training set; the model does not depend on it.
    pub threads: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            features: FeatureConfig::default(),
            epochs: 4,
            eta0: 0.5,
            lambda: 1e-6,
            prior_correction: 0.2,
            averaged_epochs: 0,
            seed: 0x7479_6e64_6175,
            threads: 2,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ModelError {
    #[error("no training examples")]
    NoExamples,
    #[error("{0} inputs but {1} labels")]
    LengthMismatch(usize, usize),
    #[error("not a Tyndau classifier model (bad magic or version)")]
    BadMagic,
    #[error("model bytes are truncated or malformed: {0}")]
    Malformed(&'static str),
}

/// A prediction: the label, its index in [`Classifier::labels`], and the model's probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction<'a> {
    pub label: &'a str,
    pub index: usize,
    pub confidence: f32,
}

/// A trained classifier.
#[derive(Debug, Clone, PartialEq)]
pub struct Classifier {
    featurizer: Featurizer,
    labels: Vec<String>,
    /// Bucket-major: the `labels.len()` weights of bucket `b` are contiguous, so scoring reads one
    /// short row per feature.
    weights: Vec<f32>,
    bias: Vec<f32>,
}

/// Buffers reused across predictions.
#[derive(Debug, Default)]
pub struct PredictScratch {
    features: Scratch,
    vector: SparseVec,
    scores: Vec<f32>,
    fine: Vec<f32>,
}

/// SplitMix64: a tiny, fixed pseudo-random generator, so training does not depend on the
/// version of a random-number crate.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Featurizes `inputs` on `threads` threads, keeping their order.
fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T, &mut Scratch) -> R + Sync,
) -> Vec<R> {
    let chunk = items.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let f = &f;
                s.spawn(move || {
                    let mut scratch = Scratch::default();
                    part.iter().map(|x| f(x, &mut scratch)).collect::<Vec<R>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("featurizing thread panicked"))
            .collect()
    })
}

/// How many features ahead the weight rows are prefetched. Rows are a few cache lines each and
/// scattered over tens of megabytes, so scoring waits on memory, not arithmetic; asking for the
/// rows a few features early lets the loads overlap.
const PREFETCH_AHEAD: usize = 4;

#[inline(always)]
fn prefetch_row(weights: &[f32], start: usize, len: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let row = &weights[start..start + len];
        // One prefetch per 64-byte line (16 floats).
        for line in row.chunks(16) {
            // SAFETY: a prefetch is only a hint: it never faults and changes no memory, and SSE
            // is part of the x86_64 baseline. The pointer is in bounds anyway.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(line.as_ptr().cast()) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (weights, start, len);
}

/// `scores += Σ x_f · scale · weights[f]`, prefetching rows ahead.
#[inline(always)]
fn accumulate(scores: &mut [f32], x: &SparseVec, weights: &[f32], scale: f32) {
    let k = scores.len();
    for &b in x.idx.iter().take(PREFETCH_AHEAD) {
        prefetch_row(weights, b as usize * k, k);
    }
    for (j, (&b, &v)) in x.idx.iter().zip(&x.val).enumerate() {
        if let Some(&next) = x.idx.get(j + PREFETCH_AHEAD) {
            prefetch_row(weights, next as usize * k, k);
        }
        let sv = scale * v;
        let row = &weights[b as usize * k..][..k];
        for (s, &w) in scores.iter_mut().zip(row) {
            *s += sv * w;
        }
    }
}

fn softmax_in_place(scores: &mut [f32]) {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    for s in scores.iter_mut() {
        *s /= sum;
    }
}

impl Classifier {
    /// Trains on `inputs` labelled by `labels` (same length).
    pub fn train(
        inputs: &[Input<'_>],
        labels: &[&str],
        config: &TrainConfig,
    ) -> Result<Classifier, ModelError> {
        if inputs.len() != labels.len() {
            return Err(ModelError::LengthMismatch(inputs.len(), labels.len()));
        }
        if inputs.is_empty() {
            return Err(ModelError::NoExamples);
        }
        let (featurizer, vectors) = featurize(inputs, config);
        Ok(fit(featurizer, &vectors, labels, config))
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn feature_config(&self) -> &FeatureConfig {
        &self.featurizer.config
    }

    /// Class probabilities of `input`, in the order of [`Classifier::labels`], left in
    /// `scratch` and returned.
    pub fn probabilities<'s>(
        &self,
        input: &Input<'_>,
        scratch: &'s mut PredictScratch,
    ) -> &'s [f32] {
        self.featurizer
            .vectorize(input, &mut scratch.features, &mut scratch.vector);
        self.probabilities_of(&scratch.vector, &mut scratch.scores);
        &scratch.scores
    }

    /// Class probabilities of an already featurized appeal, into `out`.
    fn probabilities_of(&self, vector: &SparseVec, out: &mut Vec<f32>) {
        out.clear();
        out.extend_from_slice(&self.bias);
        accumulate(out, vector, &self.weights, 1.0);
        softmax_in_place(out);
    }

    /// The most probable label, reusing `scratch` (the fast path for many predictions).
    pub fn predict_with(&self, input: &Input<'_>, scratch: &mut PredictScratch) -> Prediction<'_> {
        let p = self.probabilities(input, scratch);
        best(&self.labels, p)
    }

    /// The most probable label of `input`.
    pub fn predict(&self, input: &Input<'_>) -> Prediction<'_> {
        self.predict_with(input, &mut PredictScratch::default())
    }
}

/// The most probable of `labels` under `p` (the first one on ties).
fn best<'a>(labels: &'a [String], p: &[f32]) -> Prediction<'a> {
    let (index, &confidence) = p
        .iter()
        .enumerate()
        .fold((0, &f32::NEG_INFINITY), |best, cur| {
            if cur.1 > best.1 { cur } else { best }
        });
    Prediction {
        label: &labels[index],
        index,
        confidence,
    }
}

/// A label predicted by its own model together with a model of a finer label (topics):
/// the probability of a label is a mix of its model's and of `Σ_topic P(topic | text) ·
/// P(label | topic, district)`, the second factor counted in training.
///
/// For category the table is all but a mapping, as topic determines category: a rare category
/// is often the sum of a few well-separated topics, which lifts its recall (macro-F1). For
/// routing, the body a topic goes to depends on the district (a district is served by its own
/// housing agency, administration, …), so the table is counted per district, with the counts
/// over all districts for pairs not seen in training.
#[derive(Debug, Clone, PartialEq)]
pub struct CombinedClassifier {
    coarse: Classifier,
    fine: Classifier,
    /// Weight of the fine model's part; the coarse model's is `1 - fine_weight`.
    fine_weight: f32,
    /// The districts the table is split by, sorted; empty if it is not.
    contexts: Vec<String>,
    /// `P(coarse | fine, context)`: blocks of `fine × coarse` rows, the first over all contexts,
    /// then one per context. A row of zeros: not seen in training.
    table: Vec<f32>,
    /// Whether both models featurize alike (same settings and IDF), so one vector serves both.
    shared: bool,
}

const COMBINED_MAGIC: &[u8; 8] = b"TYNDCMB1";

/// Fine-model probabilities below this are left out of the mix: they cannot change it, and
/// skipping them saves most of the table reads.
const MIN_FINE: f32 = 1e-3;

impl CombinedClassifier {
    /// Trains both models on `inputs`: the coarse one on `coarse_labels`, the fine one on the
    /// inputs that have a fine label. When both configurations featurize alike, featurizing is
    /// done once. `by_district`: whether the table is counted per district of the input.
    pub fn train(
        inputs: &[Input<'_>],
        coarse_labels: &[&str],
        fine_labels: &[Option<&str>],
        coarse_config: &TrainConfig,
        fine_config: &TrainConfig,
        fine_weight: f32,
        by_district: bool,
    ) -> Result<CombinedClassifier, ModelError> {
        if inputs.len() != coarse_labels.len() {
            return Err(ModelError::LengthMismatch(
                inputs.len(),
                coarse_labels.len(),
            ));
        }
        if inputs.len() != fine_labels.len() {
            return Err(ModelError::LengthMismatch(inputs.len(), fine_labels.len()));
        }
        let with_fine: Vec<usize> = (0..inputs.len())
            .filter(|&i| fine_labels[i].is_some())
            .collect();
        if inputs.is_empty() || with_fine.is_empty() {
            return Err(ModelError::NoExamples);
        }
        let fine_y: Vec<&str> = with_fine.iter().filter_map(|&i| fine_labels[i]).collect();
        let (featurizer, vectors) = featurize(inputs, coarse_config);
        let fine = if coarse_config.features == fine_config.features {
            if with_fine.len() == inputs.len() {
                fit(featurizer.clone(), &vectors, &fine_y, fine_config)
            } else {
                let xs: Vec<SparseVec> = with_fine.iter().map(|&i| vectors[i].clone()).collect();
                fit(featurizer.clone(), &xs, &fine_y, fine_config)
            }
        } else {
            let fine_inputs: Vec<Input<'_>> = with_fine.iter().map(|&i| inputs[i]).collect();
            let (f, xs) = featurize(&fine_inputs, fine_config);
            fit(f, &xs, &fine_y, fine_config)
        };
        let coarse = fit(featurizer, &vectors, coarse_labels, coarse_config);

        let mut contexts: Vec<String> = if by_district {
            inputs
                .iter()
                .filter_map(|x| x.district.map(str::to_string))
                .collect()
        } else {
            Vec::new()
        };
        contexts.sort_unstable();
        contexts.dedup();
        let (kf, kc) = (fine.labels.len(), coarse.labels.len());
        let mut table = vec![0.0f32; (contexts.len() + 1) * kf * kc];
        for &i in &with_fine {
            let f = index_of(&fine.labels, fine_labels[i].unwrap());
            let c = index_of(&coarse.labels, coarse_labels[i]);
            table[f * kc + c] += 1.0;
            if let Some(ctx) = context_of(&contexts, &inputs[i]) {
                table[((ctx + 1) * kf + f) * kc + c] += 1.0;
            }
        }
        for row in table.chunks_mut(kc) {
            let n: f32 = row.iter().sum();
            if n > 0.0 {
                for v in row {
                    *v /= n;
                }
            }
        }
        Ok(Self::from_parts(coarse, fine, fine_weight, contexts, table))
    }

    fn from_parts(
        coarse: Classifier,
        fine: Classifier,
        fine_weight: f32,
        contexts: Vec<String>,
        table: Vec<f32>,
    ) -> CombinedClassifier {
        let shared = coarse.featurizer == fine.featurizer;
        CombinedClassifier {
            coarse,
            fine,
            fine_weight,
            contexts,
            table,
            shared,
        }
    }

    /// The coarse labels, which [`CombinedClassifier::predict`] chooses from.
    pub fn labels(&self) -> &[String] {
        &self.coarse.labels
    }

    pub fn coarse(&self) -> &Classifier {
        &self.coarse
    }

    pub fn fine(&self) -> &Classifier {
        &self.fine
    }

    /// Probabilities of the coarse labels, in the order of [`CombinedClassifier::labels`].
    pub fn probabilities<'s>(
        &self,
        input: &Input<'_>,
        scratch: &'s mut PredictScratch,
    ) -> &'s [f32] {
        let s = scratch;
        self.coarse
            .featurizer
            .vectorize(input, &mut s.features, &mut s.vector);
        self.coarse.probabilities_of(&s.vector, &mut s.scores);
        if !self.shared {
            self.fine
                .featurizer
                .vectorize(input, &mut s.features, &mut s.vector);
        }
        self.fine.probabilities_of(&s.vector, &mut s.fine);
        let w = self.fine_weight;
        for p in &mut s.scores {
            *p *= 1.0 - w;
        }
        let (kf, kc) = (self.fine.labels.len(), self.coarse.labels.len());
        let ctx = context_of(&self.contexts, input);
        for (f, &p) in s.fine.iter().enumerate() {
            if p < MIN_FINE {
                continue;
            }
            let general = &self.table[f * kc..][..kc];
            let row = match ctx {
                Some(c) => {
                    let row = &self.table[((c + 1) * kf + f) * kc..][..kc];
                    if row.iter().any(|&v| v > 0.0) {
                        row
                    } else {
                        general
                    }
                }
                None => general,
            };
            for (out, &q) in s.scores.iter_mut().zip(row) {
                *out += w * p * q;
            }
        }
        &s.scores
    }

    /// The most probable coarse label, reusing `scratch`.
    pub fn predict_with(&self, input: &Input<'_>, scratch: &mut PredictScratch) -> Prediction<'_> {
        let p = self.probabilities(input, scratch);
        best(&self.coarse.labels, p)
    }

    pub fn predict(&self, input: &Input<'_>) -> Prediction<'_> {
        self.predict_with(input, &mut PredictScratch::default())
    }

    /// Both models, the contexts and the table as bytes; each model as [`Classifier::to_bytes`],
    /// prefixed by its length.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::from(&COMBINED_MAGIC[..]);
        out.extend_from_slice(&self.fine_weight.to_le_bytes());
        for m in [&self.coarse, &self.fine] {
            let b = m.to_bytes();
            out.extend_from_slice(&(b.len() as u64).to_le_bytes());
            out.extend_from_slice(&b);
        }
        out.extend_from_slice(&(self.contexts.len() as u32).to_le_bytes());
        for c in &self.contexts {
            out.extend_from_slice(&(c.len() as u32).to_le_bytes());
            out.extend_from_slice(c.as_bytes());
        }
        for v in &self.table {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// A model from [`CombinedClassifier::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<CombinedClassifier, ModelError> {
        let mut r = Reader { bytes };
        if r.take(COMBINED_MAGIC.len(), "magic")
            .map_err(|_| ModelError::BadMagic)?
            != COMBINED_MAGIC
        {
            return Err(ModelError::BadMagic);
        }
        let fine_weight = r.f32("fine weight")?;
        let mut model = || -> Result<Classifier, ModelError> {
            let n = u64::from_le_bytes(r.take(8, "model length")?.try_into().unwrap());
            let n = usize::try_from(n).map_err(|_| ModelError::Malformed("model length"))?;
            Classifier::from_bytes(r.take(n, "model")?)
        };
        let coarse = model()?;
        let fine = model()?;
        let n = r.u32("context count")? as usize;
        let mut contexts = Vec::new();
        for _ in 0..n {
            let len = r.u32("context length")? as usize;
            let c = std::str::from_utf8(r.take(len, "context")?)
                .map_err(|_| ModelError::Malformed("context"))?;
            contexts.push(c.to_string());
        }
        if !contexts.is_sorted() {
            return Err(ModelError::Malformed("context order"));
        }
        let cells = (n + 1)
            .checked_mul(fine.labels.len() * coarse.labels.len())
            .ok_or(ModelError::Malformed("table"))?;
        let table = r.f32s(cells, "table")?;
        if !r.bytes.is_empty() {
            return Err(ModelError::Malformed("trailing bytes"));
        }
        Ok(Self::from_parts(coarse, fine, fine_weight, contexts, table))
    }
}

/// Index of `label` among the sorted `labels` (it must be there).
fn index_of(labels: &[String], label: &str) -> usize {
    labels
        .binary_search_by(|n| n.as_str().cmp(label))
        .expect("a label of the training set")
}

/// Index of the input's district among `contexts`, if it is one.
fn context_of(contexts: &[String], input: &Input<'_>) -> Option<usize> {
    let d = input.district?;
    contexts.binary_search_by(|c| c.as_str().cmp(d)).ok()
}

/// The featurizer fitted to `inputs` (its IDF) and their weighted vectors.
fn featurize(inputs: &[Input<'_>], config: &TrainConfig) -> (Featurizer, Vec<SparseVec>) {
    let mut featurizer = Featurizer::new(config.features.clone());
    let shared = featurizer.fit_points(inputs);
    let counts: Vec<Counts> = parallel_map(inputs, config.threads, |x, s| {
        featurizer.training_counts(x, s, &shared)
    });
    featurizer.fit_idf(&counts);
    let vectors: Vec<SparseVec> = parallel_map(&counts, config.threads, |c, _| {
        let mut v = SparseVec::default();
        featurizer.weigh(c, &mut v);
        v
    });
    (featurizer, vectors)
}

/// Label names, sorted, and each example's index among them.
fn targets_of(labels: &[&str]) -> (Vec<String>, Vec<u32>) {
    let mut names: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
    names.sort_unstable();
    names.dedup();
    let targets: Vec<u32> = labels
        .iter()
        .map(|l| names.binary_search_by(|n| n.as_str().cmp(l)).unwrap() as u32)
        .collect();
    (names, targets)
}

/// Trains the weights over already weighted vectors (non-empty, as long as `labels`).
fn fit(
    featurizer: Featurizer,
    vectors: &[SparseVec],
    labels: &[&str],
    config: &TrainConfig,
) -> Classifier {
    let (names, targets) = targets_of(labels);

    let k = names.len();
    let mut weights = vec![0.0f32; featurizer.config.dims() * k];
    let mut bias = vec![0.0f32; k];
    train_weights(vectors, &targets, config, &mut weights, &mut bias);
    if config.prior_correction != 0.0 {
        let mut counts = vec![0usize; k];
        for &t in &targets {
            counts[t as usize] += 1;
        }
        for (b, &n) in bias.iter_mut().zip(&counts) {
            *b -= config.prior_correction * (n as f32 / targets.len() as f32).ln();
        }
    }
    Classifier {
        featurizer,
        labels: names,
        weights,
        bias,
    }
}

/// Multinomial logistic regression by SGD over the examples, shuffled anew each epoch.
///
/// Sequential on purpose: parallel SGD by iterative parameter mixing (each core trains on half
/// the examples, the weights are averaged every epoch) was tried, and on this data it needed
/// half as many epochs again to match the sequential model's accuracy, which ate the gain of a
/// second core. Lock-free parallel SGD would make training depend on timing.
fn train_weights(
    xs: &[SparseVec],
    ys: &[u32],
    config: &TrainConfig,
    weights: &mut [f32],
    bias: &mut [f32],
) {
    let mut rng = SplitMix64(config.seed);
    let mut order: Vec<u32> = (0..xs.len() as u32).collect();
    let first_averaged = config.epochs - config.averaged_epochs.min(config.epochs);
    let mut sum_w: Vec<f32> = Vec::new();
    let mut sum_b = vec![0.0f32; bias.len()];
    let mut n_avg = 0u32;
    for epoch in 0..config.epochs {
        rng.shuffle(&mut order);
        let t0 = (epoch * order.len()) as u64;
        sgd_pass(xs, ys, &order, config, t0, weights, bias);
        if config.averaged_epochs > 1 && epoch >= first_averaged {
            if sum_w.is_empty() {
                sum_w = weights.to_vec();
                sum_b.copy_from_slice(bias);
            } else {
                for (s, &w) in sum_w.iter_mut().zip(weights.iter()) {
                    *s += w;
                }
                for (s, &b) in sum_b.iter_mut().zip(bias.iter()) {
                    *s += b;
                }
            }
            n_avg += 1;
        }
    }
    if n_avg > 1 {
        let inv = 1.0 / n_avg as f32;
        for (w, s) in weights.iter_mut().zip(&sum_w) {
            *w = s * inv;
        }
        for (b, s) in bias.iter_mut().zip(&sum_b) {
            *b = s * inv;
        }
    }
}

/// One pass of SGD over `order`, L2 by the scaling trick (the weights are `scale · w`, so
/// decaying every weight is one multiplication). `t0` is the step count the learning rate
/// decays from.
fn sgd_pass(
    xs: &[SparseVec],
    ys: &[u32],
    order: &[u32],
    config: &TrainConfig,
    t0: u64,
    weights: &mut [f32],
    bias: &mut [f32],
) {
    let k = bias.len();
    let mut scores = vec![0.0f32; k];
    let mut active: Vec<(usize, f32)> = Vec::with_capacity(k);
    let mut scale = 1.0f64;
    let (eta0, lambda) = (f64::from(config.eta0), f64::from(config.lambda));
    for (t, &i) in (t0..).zip(order) {
        let x = &xs[i as usize];
        let y = ys[i as usize] as usize;
        let eta = eta0 / (1.0 + eta0 * lambda * t as f64);
        scores.copy_from_slice(bias);
        accumulate(&mut scores, x, weights, scale as f32);
        softmax_in_place(&mut scores);
        // Classes the model already gives almost no probability contribute almost no
        // gradient; skipping them makes an update touch a handful of classes instead of all.
        active.clear();
        for (c, &p) in scores.iter().enumerate() {
            let g = if c == y { p - 1.0 } else { p };
            if g.abs() > 1e-4 {
                active.push((c, g));
            }
        }
        scale *= 1.0 - eta * lambda;
        if scale < 1e-6 {
            for w in weights.iter_mut() {
                *w *= scale as f32;
            }
            scale = 1.0;
        }
        let step = (eta / scale) as f32;
        for (&b, &v) in x.idx.iter().zip(&x.val) {
            let row = &mut weights[b as usize * k..][..k];
            for &(c, g) in &active {
                row[c] -= step * v * g;
            }
        }
        for &(c, g) in &active {
            bias[c] -= eta as f32 * g;
        }
    }
    for w in weights.iter_mut() {
        *w *= scale as f32;
    }
}

/// Version 2: the shape of an address is no longer a feature, and the training points are kept
/// (version 1 models are refused, and the server retrains them).
const MAGIC: &[u8; 8] = b"TYNDCLF2";

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ModelError> {
        if self.bytes.len() < n {
            return Err(ModelError::Malformed(what));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn u8(&mut self, what: &'static str) -> Result<u8, ModelError> {
        Ok(self.take(1, what)?[0])
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }

    fn f32(&mut self, what: &'static str) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }

    fn f32s(&mut self, n: usize, what: &'static str) -> Result<Vec<f32>, ModelError> {
        let bytes = self.take(n.checked_mul(4).ok_or(ModelError::Malformed(what))?, what)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect())
    }
}

impl Classifier {
    /// The model as bytes (little-endian, versioned by the magic), for storing in a database.
    pub fn to_bytes(&self) -> Vec<u8> {
        let c = &self.featurizer.config;
        let mut out = Vec::with_capacity(64 + 4 * (self.weights.len() + self.featurizer.idf.len()));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&[c.bits, c.char_min, c.char_max, u8::from(c.use_place)]);
        for w in [c.word_weight, c.char_weight, c.place_weight] {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        for l in &self.labels {
            out.extend_from_slice(&(l.len() as u32).to_le_bytes());
            out.extend_from_slice(l.as_bytes());
        }
        let points = &self.featurizer.known_points;
        out.extend_from_slice(&(points.len() as u32).to_le_bytes());
        for p in points {
            out.extend_from_slice(&p.to_le_bytes());
        }
        for v in self
            .featurizer
            .idf
            .iter()
            .chain(&self.bias)
            .chain(&self.weights)
        {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// A model from [`Classifier::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Classifier, ModelError> {
        let mut r = Reader { bytes };
        if r.take(MAGIC.len(), "magic")
            .map_err(|_| ModelError::BadMagic)?
            != MAGIC
        {
            return Err(ModelError::BadMagic);
        }
        let bits = r.u8("bits")?;
        if !(1..=28).contains(&bits) {
            return Err(ModelError::Malformed("bits"));
        }
        let config = FeatureConfig {
            bits,
            char_min: r.u8("char_min")?,
            char_max: r.u8("char_max")?,
            use_place: r.u8("use_place")? != 0,
            word_weight: r.f32("word_weight")?,
            char_weight: r.f32("char_weight")?,
            place_weight: r.f32("place_weight")?,
        };
        let k = r.u32("label count")? as usize;
        if k == 0 {
            return Err(ModelError::Malformed("label count"));
        }
        let mut labels = Vec::new();
        for _ in 0..k {
            let n = r.u32("label length")? as usize;
            let s = std::str::from_utf8(r.take(n, "label")?)
                .map_err(|_| ModelError::Malformed("label"))?;
            labels.push(s.to_string());
        }
        let n = r.u32("point count")? as usize;
        let known_points: Vec<u64> = r
            .take(
                n.checked_mul(8).ok_or(ModelError::Malformed("points"))?,
                "points",
            )?
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        if !known_points.is_sorted() {
            return Err(ModelError::Malformed("points"));
        }
        let dims = config.dims();
        let idf = r.f32s(dims, "idf")?;
        let bias = r.f32s(k, "bias")?;
        let weights = r.f32s(
            dims.checked_mul(k)
                .ok_or(ModelError::Malformed("weights"))?,
            "weights",
        )?;
        if !r.bytes.is_empty() {
            return Err(ModelError::Malformed("trailing bytes"));
        }
        Ok(Classifier {
            featurizer: Featurizer {
                config,
                idf,
                known_points,
            },
            labels,
            weights,
            bias,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three separable classes of constructed appeals, with shared filler words so that the
    /// classifier must find the distinguishing ones.
    fn corpus() -> (Vec<String>, Vec<&'static str>) {
        let topics: [(&str, &[&str]); 3] = [
            ("roads", &["яма", "асфальт", "дорога", "выбоина", "колея"]),
            ("waste", &["мусор", "свалка", "контейнер", "отходы", "урна"]),
            (
                "light",
                &["фонарь", "освещение", "лампа", "темно", "светильник"],
            ),
        ];
        let fillers = [
            "во дворе",
            "около дома",
            "на улице",
            "уже неделю",
            "прошу помочь",
        ];
        let mut texts = Vec::new();
        let mut labels = Vec::new();
        for i in 0..300 {
            let (label, words) = topics[i % 3];
            let text = format!(
                "{} {} {} {}",
                fillers[i % 5],
                words[i % 5],
                fillers[(i / 5) % 5],
                words[(i / 7) % 5]
            );
            texts.push(text);
            labels.push(label);
        }
        (texts, labels)
    }

    fn small() -> TrainConfig {
        TrainConfig {
            features: FeatureConfig {
                bits: 14,
                ..FeatureConfig::default()
            },
            // 300 examples need more passes than tens of thousands.
            epochs: 15,
            ..TrainConfig::default()
        }
    }

    fn trained() -> Classifier {
        let (texts, labels) = corpus();
        let inputs: Vec<Input<'_>> = texts.iter().map(|t| Input::text(t)).collect();
        Classifier::train(&inputs, &labels, &small()).unwrap()
    }

    #[test]
    fn learns_separable_classes() {
        let m = trained();
        assert_eq!(m.labels(), ["light", "roads", "waste"]);
        // Unseen combinations of the distinguishing words.
        for (text, want) in [
            ("на улице большая яма и разбитый асфальт", "roads"),
            ("переполнен контейнер, мусор везде", "waste"),
            ("не горит фонарь, темно", "light"),
        ] {
            let p = m.predict(&Input::text(text));
            assert_eq!(p.label, want, "{text}");
            assert!(p.confidence > 0.8, "{text}: {}", p.confidence);
        }
    }

    #[test]
    fn confidence_is_low_when_the_text_says_nothing_distinctive() {
        let m = trained();
        let sure = m.predict(&Input::text("яма на дороге")).confidence;
        let unsure = m.predict(&Input::text("прошу помочь")).confidence;
        assert!(unsure < 0.6, "{unsure}");
        assert!(sure > unsure);
        let mut scratch = PredictScratch::default();
        let p = m.probabilities(&Input::text("мусор"), &mut scratch);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }

    #[test]
    fn training_is_deterministic() {
        assert_eq!(trained(), trained());
    }

    #[test]
    fn threads_do_not_change_the_model() {
        let (texts, labels) = corpus();
        let inputs: Vec<Input<'_>> = texts.iter().map(|t| Input::text(t)).collect();
        let one = Classifier::train(
            &inputs,
            &labels,
            &TrainConfig {
                threads: 1,
                ..small()
            },
        )
        .unwrap();
        let two = Classifier::train(
            &inputs,
            &labels,
            &TrainConfig {
                threads: 2,
                ..small()
            },
        )
        .unwrap();
        assert_eq!(one, two);
    }

    #[test]
    fn serialization_round_trips_and_predicts_the_same() {
        let m = trained();
        let bytes = m.to_bytes();
        let back = Classifier::from_bytes(&bytes).unwrap();
        assert_eq!(back, m);
        for t in ["яма", "мусор у дома", "темно во дворе", ""] {
            assert_eq!(back.predict(&Input::text(t)), m.predict(&Input::text(t)));
        }
    }

    #[test]
    fn a_model_with_place_features_round_trips_with_its_points() {
        let (texts, labels) = corpus();
        let inputs: Vec<Input<'_>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Input {
                lat: Some(59.9 + (i % 7) as f64 * 1e-3),
                lon: Some(30.3),
                district: Some(if i % 2 == 0 {
                    "Невский"
                } else {
                    "Кировский"
                }),
                ..Input::text(t)
            })
            .collect();
        let config = TrainConfig {
            features: FeatureConfig {
                use_place: true,
                ..small().features
            },
            ..small()
        };
        let m = Classifier::train(&inputs, &labels, &config).unwrap();
        assert_eq!(m.featurizer.known_points.len(), 7);
        let back = Classifier::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back, m);
        for x in &inputs[..10] {
            assert_eq!(back.predict(x), m.predict(x));
        }
    }

    #[test]
    fn averaging_epochs_is_deterministic_and_still_learns() {
        let (texts, labels) = corpus();
        let inputs: Vec<Input<'_>> = texts.iter().map(|t| Input::text(t)).collect();
        let config = TrainConfig {
            averaged_epochs: 5,
            ..small()
        };
        let m = Classifier::train(&inputs, &labels, &config).unwrap();
        assert_eq!(m, Classifier::train(&inputs, &labels, &config).unwrap());
        assert_ne!(m, trained());
        assert_eq!(m.predict(&Input::text("яма на дороге")).label, "roads");
    }

    /// The corpus with coarse labels (roads and waste are both "outdoor") and, as fine labels,
    /// the original ones; every third appeal is in district "A", the others in "B".
    fn combined(fine_weight: f32, by_district: bool) -> CombinedClassifier {
        let (texts, fine) = corpus();
        let inputs: Vec<Input<'_>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Input {
                district: Some(if i.is_multiple_of(3) { "A" } else { "B" }),
                ..Input::text(t)
            })
            .collect();
        let coarse: Vec<&str> = fine
            .iter()
            .map(|&l| if l == "light" { "light" } else { "outdoor" })
            .collect();
        let fine: Vec<Option<&str>> = fine.into_iter().map(Some).collect();
        CombinedClassifier::train(
            &inputs,
            &coarse,
            &fine,
            &small(),
            &small(),
            fine_weight,
            by_district,
        )
        .unwrap()
    }

    #[test]
    fn combined_model_predicts_the_coarse_label() {
        let m = combined(0.5, false);
        assert_eq!(m.labels(), ["light", "outdoor"]);
        assert_eq!(m.fine().labels(), ["light", "roads", "waste"]);
        for (text, want) in [("яма на дороге", "outdoor"), ("не горит фонарь", "light")]
        {
            let p = m.predict(&Input::text(text));
            assert_eq!(p.label, want, "{text}");
            assert!(p.confidence > 0.8, "{text}: {}", p.confidence);
        }
        let mut scratch = PredictScratch::default();
        let p = m.probabilities(&Input::text("мусор"), &mut scratch);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-3, "{p:?}");
        assert_eq!(m, combined(0.5, false));
    }

    #[test]
    fn combined_table_is_counted_per_district() {
        // Each subject goes to a different body in each district; the text cannot tell which.
        let (texts, fine) = corpus();
        let district = |i: usize| if (i / 3).is_multiple_of(3) { "A" } else { "B" };
        let inputs: Vec<Input<'_>> = texts.iter().map(|t| Input::text(t)).collect();
        let bodies: Vec<String> = fine
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{l}-{}", district(i)))
            .collect();
        let coarse: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let fine: Vec<Option<&str>> = fine.into_iter().map(Some).collect();
        let inputs: Vec<Input<'_>> = inputs
            .into_iter()
            .enumerate()
            .map(|(i, x)| Input {
                district: Some(district(i)),
                ..x
            })
            .collect();
        // The table alone decides (weight 1), so the district must pick the body.
        let m = CombinedClassifier::train(&inputs, &coarse, &fine, &small(), &small(), 1.0, true)
            .unwrap();
        // An unknown district falls back to the counts over all districts: B has two thirds.
        for (d, want) in [("A", "roads-A"), ("B", "roads-B"), ("C", "roads-B")] {
            let x = Input {
                district: Some(d),
                ..Input::text("яма на дороге")
            };
            assert_eq!(m.predict(&x).label, want, "{d}");
        }
    }

    #[test]
    fn combined_model_round_trips() {
        let m = combined(0.5, true);
        let bytes = m.to_bytes();
        let back = CombinedClassifier::from_bytes(&bytes).unwrap();
        assert_eq!(back, m);
        for t in ["яма", "мусор у дома", "темно во дворе", ""] {
            let x = Input {
                district: Some("A"),
                ..Input::text(t)
            };
            assert_eq!(back.predict(&x), m.predict(&x));
        }
        assert!(CombinedClassifier::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert_eq!(
            CombinedClassifier::from_bytes(&trained().to_bytes()).unwrap_err(),
            ModelError::BadMagic
        );
    }

    #[test]
    fn malformed_bytes_are_refused() {
        let bytes = trained().to_bytes();
        assert_eq!(
            Classifier::from_bytes(b"not a model").unwrap_err(),
            ModelError::BadMagic
        );
        assert!(matches!(
            Classifier::from_bytes(&bytes[..bytes.len() - 1]),
            Err(ModelError::Malformed(_))
        ));
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Classifier::from_bytes(&longer).is_err());
        // A version 1 model read the shape of the address: refused, so the server retrains it.
        let mut v1 = bytes.clone();
        v1[..8].copy_from_slice(b"TYNDCLF1");
        assert_eq!(
            Classifier::from_bytes(&v1).unwrap_err(),
            ModelError::BadMagic
        );
    }

    #[test]
    fn bad_training_input_is_an_error() {
        let cfg = small();
        assert_eq!(
            Classifier::train(&[], &[], &cfg).unwrap_err(),
            ModelError::NoExamples
        );
        assert_eq!(
            Classifier::train(&[Input::text("a")], &[], &cfg).unwrap_err(),
            ModelError::LengthMismatch(1, 0)
        );
    }
}
