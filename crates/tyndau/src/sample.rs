//! `tyndau load-sample`: fills a database with appeals resampled from a JSONL file of real
//! appeals (the St Petersburg portal's format), through the real registration path, for
//! benchmarks at volume (bench/stats_page). The texts are the real ones; category, territory,
//! form, channel and language are mapped deterministically onto the Kazakh reference (only pairs
//! that route), and the arrival times keep the file's own rhythm, shifted to end now.

use futures::future::join_all;
use std::path::Path;
use std::time::Instant;
use tyndau_analytics::eval::{LabelField, read_records};
use tyndau_core::appeal::{Channel, Form, Language};
use tyndau_core::ids::Kato;
use tyndau_storage::appeals::{self, Actor, Applicant, NewAppeal, Registered};
use tyndau_storage::db::now_ms;
use tyndau_web::state::AppState;

const CHUNK: usize = 1_000;

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// Registers `count` appeals; returns how many were registered and their rate per second.
pub async fn load(state: &AppState, path: &Path, count: usize) -> anyhow::Result<(usize, f64)> {
    let records = read_records(path, LabelField::Category)?;
    anyhow::ensure!(!records.is_empty(), "no appeals in {}", path.display());
    let times: Vec<i64> = records
        .iter()
        .map(|r| {
            chrono::NaiveDateTime::parse_from_str(
                r.created_at.as_deref().unwrap_or(""),
                "%Y-%m-%dT%H:%M:%S%.f",
            )
            .map(|t| t.and_utc().timestamp_millis())
            .unwrap_or(0)
        })
        .collect();
    let newest = times.iter().copied().max().unwrap_or(0);
    let oldest = times
        .iter()
        .copied()
        .filter(|&t| t > 0)
        .min()
        .unwrap_or(newest);
    let span = (newest - oldest).max(1);
    let reference = state.reference();
    let accepted_by = Actor {
        id: None,
        role: "official".into(),
        name: "Sample loader".into(),
        position: "benchmark".into(),
    };
    let template = |category_id: &str, kato: Kato, received_at: i64, text: String| NewAppeal {
        category_suggested: None,
        form: Form::Application,
        channel: Channel::Paper,
        language: Some(Language::Ru),
        applicant: Applicant::Individual {
            user_id: None,
            name: "Sample".into(),
            iin: None,
            email: None,
            phone: None,
            address: None,
            language: None,
        },
        addressee_org_id: None,
        category_id: category_id.into(),
        kato: Some(kato),
        lat: None,
        lon: None,
        text,
        attachments: vec![],
        reports_crime: false,
        received_at,
        submitted_by: None,
        accepted_by: accepted_by.clone(),
        parent_appeal_id: None,
        idempotency: None,
    };
    // The (category, territory) pairs that some body is competent for.
    let mut cats: Vec<&String> = reference
        .categories
        .values()
        .filter(|c| c.parent_id.is_some())
        .map(|c| &c.id)
        .collect();
    cats.sort();
    let mut places: Vec<Kato> = reference
        .territories
        .values()
        .filter(|t| t.level == "district" || t.level == "city")
        .map(|t| t.kato)
        .collect();
    places.sort_by_key(|k| k.code());
    let now = now_ms();
    let mut pairs = Vec::new();
    for c in &cats {
        for k in &places {
            if appeals::prepare(
                &reference,
                &state.settings,
                template(c, *k, now, "x".into()),
            )
            .is_ok()
            {
                pairs.push(((*c).clone(), *k));
            }
        }
    }
    anyhow::ensure!(!pairs.is_empty(), "no category routes anywhere");
    let forms = Form::values();
    let channels = [
        Channel::Paper,
        Channel::Web,
        Channel::CallCentre1414,
        Channel::ReceptionCentre,
    ];
    let started = Instant::now();
    let mut done = 0usize;
    let mut i = 0usize;
    while i < count {
        let end = (i + CHUNK).min(count);
        let mut batch = Vec::with_capacity(end - i);
        for j in i..end {
            let r = &records[j % records.len()];
            let t = times[j % records.len()];
            // Later copies of the file land on other pairs, so volumes are not just repeated.
            let pair = &pairs[(fnv(r.category.as_deref().unwrap_or(""))
                .wrapping_add(fnv(r.district.as_deref().unwrap_or("")))
                .wrapping_add((j / records.len()) as u64)
                % pairs.len() as u64) as usize];
            // Two years of arrivals, in the file's rhythm, ending now.
            let received = now - (newest - t.max(oldest)) * (2 * 365 * 86_400_000) / span - 60_000;
            let mut a = template(
                &pair.0,
                pair.1,
                received,
                r.text.clone().unwrap_or_default(),
            );
            // The real points (in St Petersburg): the hotspot grid gets a real density.
            a.lat = r.lat;
            a.lon = r.lon;
            a.form = Form::parse(forms[j % 7 % forms.len()]).unwrap_or(Form::Application);
            a.channel = channels[j % 5 % channels.len()];
            a.language = Some(if j % 3 == 0 {
                Language::Kk
            } else {
                Language::Ru
            });
            if a.text.trim().is_empty() {
                a.text = "—".into();
            }
            batch.push(appeals::prepare(&reference, &state.settings, a)?);
        }
        let results = join_all(batch.into_iter().map(|p| state.registrar.register(p))).await;
        for r in results {
            if let Registered::New(_) = r? {
                done += 1;
            }
        }
        i = end;
        if i % 100_000 < CHUNK {
            tracing::info!(appeals = i, "loaded");
        }
    }
    Ok((done, done as f64 / started.elapsed().as_secs_f64()))
}
