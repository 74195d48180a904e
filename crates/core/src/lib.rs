//! Tyndau's core: the law of appeals and nothing else. No I/O, no async, no SQL, no HTTP.
//!
//! A lawyer looking for a rule should find it in one of these files:
//! - `ids`: IIN, BIN and KATO (KZ_RULES §6);
//! - `calendar`: working days, holidays and transfers (§7);
//! - `deadlines`: registration day, review term, extension, forwarding, complaint window (§1);
//! - `appeal`: forms, channels and the lifecycle state machine (§1);
//! - `access`: who may see and do what;
//! - `routing`: which body is competent;
//! - `notify`: what the applicant is told, in which language;
//! - `petition`: online petitions: lifecycle, thresholds, terms (§3);
//! - `sensitive`: sensitive appeals for priority control (lexicon matching, heating season);
//! - `text`: normalisation and similarity for repeated appeals;
//! - `transparency`: the organisations' transparency index: methodology as data, scoring.

pub mod access;
pub mod appeal;
pub mod calendar;
pub mod deadlines;
pub mod ids;
pub mod notify;
pub mod org;
pub mod petition;
pub mod routing;
pub mod sensitive;
pub mod text;
pub mod transparency;
