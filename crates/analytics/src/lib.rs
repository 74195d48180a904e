//! Analytics over appeal texts: language identification (`lang`), a linear text classifier
//! (`features`, `classifier`), its metrics (`metrics`) and the fixed evaluation (`eval`).
//!
//! Everything but `eval` is pure computation: no files, no network, no clock, so models can be
//! trained and used inline in the server, in a background worker, or on another node.

pub mod classifier;
pub mod eval;
pub mod features;
pub mod lang;
pub mod metrics;
pub mod minhash;
pub mod topics;

pub use classifier::{Classifier, CombinedClassifier, ModelError, Prediction, TrainConfig};
pub use features::{FeatureConfig, Input};
pub use lang::{Lang, detect};
