//! The pages' three languages: Fluent message files compiled into the binary
//! (`crates/web/locales/{kk,ru,en}/main.ftl`), the choice of language (remembered cookie, then
//! Accept-Language), and dates and numbers written the way each language writes them.

use chrono::{Datelike, NaiveDate};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;
use tyndau_core::notify::UiLang;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around arguments confuse copy-paste of registration numbers.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static KK: LanguageIdentifier = langid!("kk");
static RU: LanguageIdentifier = langid!("ru");
static EN: LanguageIdentifier = langid!("en");

pub const LANGS: [UiLang; 3] = [UiLang::Kk, UiLang::Ru, UiLang::En];

fn id(lang: UiLang) -> &'static LanguageIdentifier {
    match lang {
        UiLang::Kk => &KK,
        UiLang::Ru => &RU,
        UiLang::En => &EN,
    }
}

/// The page language: the remembered choice, else the first supported language the browser
/// asks for, else Kazakh (the state language).
pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> UiLang {
    if let Some(l) = cookie.and_then(UiLang::parse) {
        return l;
    }
    let mut best: Option<(f32, usize, UiLang)> = None;
    for (i, part) in accept_language.unwrap_or("").split(',').enumerate() {
        let mut it = part.trim().split(';');
        let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = it
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|v| v.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        let Some(lang) = UiLang::parse(primary) else {
            continue;
        };
        if q > 0.0 && best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
            best = Some((q, i, lang));
        }
    }
    best.map(|b| b.2).unwrap_or(UiLang::Kk)
}

/// Translations for one page.
#[derive(Clone, Copy)]
pub struct Tr {
    pub lang: UiLang,
}

impl Tr {
    pub fn t(&self, key: &str) -> String {
        LOCALES
            .try_lookup(id(self.lang), key)
            .unwrap_or_else(|| key.to_string())
    }

    /// A message that exists in this language, if any (for optional texts such as error codes).
    pub fn try_t(&self, key: &str) -> Option<String> {
        LOCALES.try_lookup(id(self.lang), key)
    }

    /// A message with one counted argument `$n` (plural rules of the language apply); `$nf` is
    /// the number as the language writes it.
    pub fn tn(&self, key: &str, n: i64) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert("n".into(), FluentValue::from(n));
        args.insert("nf".into(), FluentValue::from(self.num(n)));
        LOCALES
            .try_lookup_with_args(id(self.lang), key, &args)
            .unwrap_or_else(|| key.to_string())
    }

    /// 12 345 (kk, ru: a no-break space groups thousands) or 12,345 (en).
    pub fn num(&self, n: i64) -> String {
        let sep = match self.lang {
            UiLang::En => ',',
            _ => '\u{a0}',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// A percentage with one decimal: 87,5 % (kk, ru) or 87.5% (en).
    pub fn pct(&self, part: i64, whole: i64) -> String {
        if whole == 0 {
            return "—".into();
        }
        let v = (part as f64) * 100.0 / (whole as f64);
        match self.lang {
            UiLang::En => format!("{v:.1}%"),
            _ => format!("{v:.1}\u{a0}%").replace('.', ","),
        }
    }

    /// 22.11.2026 (kk, ru) or 22 Nov 2026 (en).
    pub fn date(&self, d: NaiveDate) -> String {
        match self.lang {
            UiLang::En => {
                const M: [&str; 12] = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ];
                format!("{} {} {}", d.day(), M[d.month0() as usize], d.year())
            }
            _ => d.format("%d.%m.%Y").to_string(),
        }
    }

    /// A stored YYYY-MM-DD date in the language's form (unchanged when it does not parse).
    pub fn day(&self, iso: &str) -> String {
        NaiveDate::parse_from_str(iso, "%Y-%m-%d")
            .map(|d| self.date(d))
            .unwrap_or_else(|_| iso.to_string())
    }

    /// A month key YYYY-MM as "11.2026" (kk, ru) or "Nov 2026" (en).
    pub fn month(&self, ym: &str) -> String {
        match NaiveDate::parse_from_str(&format!("{ym}-01"), "%Y-%m-%d") {
            Ok(d) if self.lang == UiLang::En => d.format("%b %Y").to_string(),
            Ok(d) => d.format("%m.%Y").to_string(),
            Err(_) => ym.to_string(),
        }
    }

    /// A local date and time: the date as the language writes it, and hh:mm.
    pub fn at(&self, local: chrono::NaiveDateTime) -> String {
        format!("{} {}", self.date(local.date()), local.format("%H:%M"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(src: &str) -> BTreeSet<String> {
        src.lines()
            .filter(|l| {
                l.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '-')
            })
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
            .collect()
    }

    /// Every string exists in all three languages: no page shows an untranslated key.
    #[test]
    fn message_files_have_the_same_keys() {
        let en = keys(include_str!("../../locales/en/main.ftl"));
        let ru = keys(include_str!("../../locales/ru/main.ftl"));
        let kk = keys(include_str!("../../locales/kk/main.ftl"));
        assert!(en.len() > 100, "{} keys", en.len());
        let missing = |a: &BTreeSet<String>, b: &BTreeSet<String>| -> Vec<String> {
            a.difference(b).cloned().collect()
        };
        assert_eq!(missing(&en, &ru), Vec::<String>::new(), "missing in ru");
        assert_eq!(missing(&en, &kk), Vec::<String>::new(), "missing in kk");
        assert_eq!(
            missing(&ru, &en),
            Vec::<String>::new(),
            "missing in en (from ru)"
        );
        assert_eq!(
            missing(&kk, &en),
            Vec::<String>::new(),
            "missing in en (from kk)"
        );
    }

    #[test]
    fn every_message_resolves_in_every_language() {
        for key in keys(include_str!("../../locales/en/main.ftl")) {
            if key.starts_with('-') {
                continue;
            }
            for lang in LANGS {
                let tr = Tr { lang };
                assert!(
                    tr.try_t(&key).is_some() || tr.tn(&key, 1) != key,
                    "{key} does not resolve in {lang}"
                );
            }
        }
    }

    /// Every error code the services can answer has a message in each language, so a page never
    /// shows an English `detail` instead (codes are found in the source of web and storage).
    #[test]
    fn every_error_code_has_a_message_in_every_language() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let mut codes = BTreeSet::new();
        let mut files = vec![];
        for dir in ["web/src", "storage/src"] {
            let mut stack = vec![std::path::PathBuf::from(root).join(dir)];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).unwrap() {
                    let p = e.unwrap().path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "rs") {
                        files.push(p);
                    }
                }
            }
        }
        let starts = [
            "ApiError::invalid(",
            "ApiError::not_found(",
            "ServiceError::invalid(",
            "ServiceError::not_found(",
            "ServiceError::conflict(",
            "code: ",
        ];
        for f in files {
            let src: String = std::fs::read_to_string(&f)
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            for start in starts {
                for part in src.split(start).skip(1) {
                    if let Some(code) = part
                        .trim_start()
                        .strip_prefix('"')
                        .and_then(|r| r.split('"').next())
                        && !code.is_empty()
                        && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                    {
                        codes.insert(code.to_string());
                    }
                }
            }
            for part in src.split("ApiError::new( StatusCode::").skip(1) {
                if let Some(code) = part.split('"').nth(1)
                    && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                {
                    codes.insert(code.to_string());
                }
            }
        }
        assert!(codes.len() > 40, "found only {} codes", codes.len());
        for lang in LANGS {
            let tr = Tr { lang };
            let missing: Vec<&String> = codes
                .iter()
                .filter(|c| tr.try_t(&format!("err-{c}")).is_none())
                .collect();
            assert!(missing.is_empty(), "no message in {lang} for {missing:?}");
        }
    }

    #[test]
    fn plural_rules_of_russian_and_kazakh() {
        let ru = Tr { lang: UiLang::Ru };
        assert!(ru.tn("signatures-count", 1).contains("подпись"));
        assert!(ru.tn("signatures-count", 3).contains("подписи"));
        assert!(ru.tn("signatures-count", 5).contains("подписей"));
        assert!(ru.tn("signatures-count", 21).contains("подпись"));
        let en = Tr { lang: UiLang::En };
        assert!(en.tn("signatures-count", 1).ends_with("signature"));
        assert!(en.tn("signatures-count", 2).ends_with("signatures"));
        let kk = Tr { lang: UiLang::Kk };
        assert!(kk.tn("signatures-count", 2).contains("қолтаңба"));
    }

    #[test]
    fn numbers_and_dates_per_language() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(Tr { lang: UiLang::En }.date(d), "22 Nov 2026");
        assert_eq!(Tr { lang: UiLang::Ru }.date(d), "22.11.2026");
        assert_eq!(Tr { lang: UiLang::En }.num(1_234_567), "1,234,567");
        assert_eq!(Tr { lang: UiLang::Kk }.num(12_345), "12\u{a0}345");
        assert_eq!(Tr { lang: UiLang::Ru }.num(999), "999");
        assert_eq!(Tr { lang: UiLang::Ru }.pct(7, 8), "87,5\u{a0}%");
        assert_eq!(Tr { lang: UiLang::En }.pct(7, 8), "87.5%");
    }

    #[test]
    fn language_from_cookie_then_accept_language_then_kazakh() {
        assert_eq!(negotiate(Some("en"), Some("ru")), UiLang::En);
        assert_eq!(negotiate(None, Some("ru-RU,ru;q=0.9,en;q=0.8")), UiLang::Ru);
        assert_eq!(negotiate(None, Some("de-DE,en;q=0.5,kk;q=0.7")), UiLang::Kk);
        assert_eq!(negotiate(Some("xx"), Some("fr")), UiLang::Kk);
        assert_eq!(negotiate(None, None), UiLang::Kk);
    }
}
