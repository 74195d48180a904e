//! Language identification of appeal texts: Kazakh, Russian, English or other.
//!
//! Rules over letters and a few function words rather than a trained model: appeals are short,
//! and the one distinction that matters most — Kazakh against Russian — is carried by letters that
//! Russian never uses (ә ғ қ ң ө ұ ү һ і). A statistical model trained mostly on Russian would file
//! code-switched Kazakh/Russian text as Russian; the law wants the answer in the citizen's language,
//! so a text with a meaningful share of Kazakh words is Kazakh.

/// A language an appeal can be answered in, or `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Kk,
    Ru,
    En,
    Other,
}

impl Lang {
    /// ISO 639-1 code (`other` for anything else).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
            Lang::Other => "other",
        }
    }
}

/// Letters of the Kazakh Cyrillic alphabet that Russian lacks, except `і` (shared with Ukrainian
/// and Belarusian, so on its own it is only weak evidence).
const KK_CYR_STRONG: &[char] = &['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ'];
/// Letters of Ukrainian and Belarusian that Kazakh lacks.
const UK_BE_CYR: &[char] = &['ї', 'є', 'ґ', 'ў'];
/// Kazakh Latin letters of the 2018 and 2021 alphabets that no large neighbour language uses.
const KK_LAT_STRONG: &[char] = &['ǵ', 'ń', 'ý', 'ū', 'ı'];

/// Frequent Kazakh words written without the Kazakh-specific letters (function words, and the
/// spellings people type on a Russian keyboard). None of them is a Russian word.
const KK_CYR_WORDS: &[&str] = &[
    "мен",
    "емес",
    "бе",
    "ма",
    "ме",
    "деп",
    "бойынша",
    "туралы",
    "керек",
    "жылы",
    "олар",
    "мына",
    "маган",
    "жане",
    "жок",
    "рахмет",
    "салем",
    "ушин",
    "кошеси",
    "кошесинде",
    "отиниш",
];

/// Frequent Kazakh words in Latin script (2018 and 2021 alphabets, and keyboard spellings).
const KK_LAT_WORDS: &[&str] = &[
    "jáne",
    "jane",
    "jäne",
    "men",
    "úshin",
    "ushin",
    "üşin",
    "bul",
    "joq",
    "emes",
    "kóshe",
    "köşe",
    "koshe",
    "kóshesinde",
    "köşesinde",
    "qala",
    "jol",
    "úı",
    "üy",
    "ótinish",
    "ötiniş",
    "kómek",
    "kömek",
    "sálem",
    "rahmet",
    "raqmet",
    "bizdiń",
    "turǵyn",
    "turğyn",
    "qoqys",
    "aýla",
    "aula",
    "jóndeý",
    "jöndeu",
    "kerek",
    "týraly",
    "turaly",
    "boıynsha",
    "boiynşa",
];

const EN_WORDS: &[&str] = &[
    "the", "and", "of", "to", "in", "is", "are", "on", "at", "for", "with", "this", "that", "it",
    "there", "please", "street", "road", "not", "from", "my", "our", "we", "has", "have", "been",
    "be", "by", "near", "an", "was", "were", "you", "they", "no", "since", "broken", "house",
];

/// Stop words of other Latin-script languages (German, French, Spanish, Italian, Turkish), so that
/// they are not taken for English.
const OTHER_LAT_WORDS: &[&str] = &[
    "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "le", "la", "les", "et", "est",
    "des", "une", "dans", "pour", "el", "los", "las", "que", "y", "en", "por", "con", "una", "il",
    "che", "di", "non", "per", "ve", "bir", "bu", "ile", "için", "çok",
];

#[derive(Default)]
struct Tally {
    words: u32,
    cyr_letters: u32,
    lat_letters: u32,
    other_letters: u32,
    /// Words with a strong Kazakh signal (letter or word list), in either script.
    kk_strong: u32,
    /// Cyrillic words whose only Kazakh signal is `і`, or Latin words with diacritics that Kazakh
    /// shares with Turkish or German: Kazakh only if the text has strong evidence too.
    kk_weak: u32,
    uk_be: u32,
    en: u32,
    other_lat: u32,
    /// Latin words with diacritics that neither English nor Kazakh uses.
    foreign_diacritics: u32,
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

impl Tally {
    fn add_word(&mut self, word: &str) {
        let (mut cyr, mut lat, mut other) = (0u32, 0u32, 0u32);
        for c in word.chars() {
            if is_cyrillic(c) {
                cyr += 1;
            } else if is_latin(c) {
                lat += 1;
            } else {
                other += 1;
            }
        }
        self.words += 1;
        self.cyr_letters += cyr;
        self.lat_letters += lat;
        self.other_letters += other;
        if cyr >= lat && cyr > 0 {
            if word.chars().any(|c| KK_CYR_STRONG.contains(&c)) || KK_CYR_WORDS.contains(&word) {
                self.kk_strong += 1;
            } else if word.chars().any(|c| UK_BE_CYR.contains(&c)) {
                self.uk_be += 1;
            } else if word.contains('і') {
                self.kk_weak += 1;
            }
        } else if lat > 0 {
            if word.chars().any(|c| KK_LAT_STRONG.contains(&c)) || KK_LAT_WORDS.contains(&word) {
                self.kk_strong += 1;
            } else if EN_WORDS.contains(&word) {
                self.en += 1;
            } else if OTHER_LAT_WORDS.contains(&word) {
                self.other_lat += 1;
            } else if word
                .chars()
                .any(|c| matches!(c, 'ä' | 'ö' | 'ü' | 'ş' | 'ğ' | 'ñ' | 'á' | 'ó' | 'ú'))
            {
                self.kk_weak += 1;
            } else if !word.is_ascii() {
                self.foreign_diacritics += 1;
            }
        }
    }

    /// Kazakh if Kazakh words are a meaningful share of the text: two or more making at least a
    /// tenth of it, or one making a quarter (short texts). A lone Kazakh name or street in a long
    /// Russian complaint stays Russian.
    fn is_kazakh(&self) -> bool {
        let kk = if self.kk_strong > 0 {
            self.kk_strong + self.kk_weak
        } else {
            0
        };
        let words = self.words.max(1) as f32;
        (kk >= 2 && kk as f32 / words >= 0.10) || (kk >= 1 && kk as f32 / words >= 0.25)
    }

    fn decide(&self) -> Lang {
        let letters = self.cyr_letters + self.lat_letters + self.other_letters;
        if letters == 0 || self.other_letters * 2 > letters {
            return Lang::Other;
        }
        if self.is_kazakh() {
            return Lang::Kk;
        }
        if self.cyr_letters >= self.lat_letters {
            // `і` without any strong Kazakh letter, or ї/є/ґ/ў: Ukrainian or Belarusian.
            if self.uk_be > 0 || self.kk_weak * 5 >= self.words.max(1) {
                Lang::Other
            } else {
                Lang::Ru
            }
        } else if self.en > self.other_lat && self.en > 0 {
            Lang::En
        } else if self.other_lat > 0 || self.foreign_diacritics > 0 || self.kk_weak > 0 {
            Lang::Other
        } else {
            // Plain ASCII words without any stop word ("Pothole", "Broken streetlight"): English
            // is by far the likeliest Latin-script language of an appeal here.
            Lang::En
        }
    }
}

/// The language of an appeal text. Texts without letters (empty, digits, punctuation) are `Other`.
pub fn detect(text: &str) -> Lang {
    let mut tally = Tally::default();
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_alphabetic() || (c == '\'' && !word.is_empty()) {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            tally.add_word(word.trim_end_matches('\''));
            word.clear();
        }
    }
    tally.decide()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_cyrillic() {
        assert_eq!(
            detect("Абай көшесінде жол бұзылған, жөндеуді сұраймын"),
            Lang::Kk
        );
        assert_eq!(detect("Ауламызда қоқыс шығарылмайды"), Lang::Kk);
        assert_eq!(detect("Сәлем"), Lang::Kk);
    }

    #[test]
    fn kazakh_typed_on_a_russian_keyboard() {
        assert_eq!(detect("Салем, кошеде жарык жок, рахмет"), Lang::Kk);
    }

    #[test]
    fn russian() {
        assert_eq!(
            detect("Во дворе дома 5 на улице Абая не вывозят мусор уже неделю"),
            Lang::Ru
        );
        assert_eq!(detect("Яма на дороге!"), Lang::Ru);
    }

    #[test]
    fn code_switched_kazakh_russian_is_kazakh() {
        assert_eq!(
            detect(
                "Сәлеметсіз бе! У нас во дворе уже месяц не вывозят мусор, өтінемін көмектесіңіз"
            ),
            Lang::Kk
        );
        assert_eq!(
            detect("Қайырлы күн, подъезд не убирают, өтінемін"),
            Lang::Kk
        );
    }

    #[test]
    fn a_kazakh_name_in_a_long_russian_text_stays_russian() {
        assert_eq!(
            detect(
                "Прошу принять меры: на улице Сәтбаева возле дома номер двенадцать уже третью \
                 неделю не работает уличное освещение, вечером во дворе совершенно темно и \
                 опасно ходить детям и пожилым людям"
            ),
            Lang::Ru
        );
    }

    #[test]
    fn english() {
        assert_eq!(
            detect("The streetlight near my house has been broken for two weeks"),
            Lang::En
        );
        assert_eq!(detect("Pothole"), Lang::En);
    }

    #[test]
    fn kazakh_latin() {
        assert_eq!(
            detect("Abai kóshesinde jol buzylǵan, jóndeýdi suraımyn"),
            Lang::Kk
        );
        assert_eq!(detect("Aulada qoqys bar, kömek kerek"), Lang::Kk);
    }

    #[test]
    fn nothing_to_identify_is_other() {
        for t in ["", "   ", "12345 678", "!!! ???", "№ 5/7-2"] {
            assert_eq!(detect(t), Lang::Other, "{t:?}");
        }
    }

    #[test]
    fn other_languages() {
        assert_eq!(detect("Привіт, у нашому дворі є сміття"), Lang::Other);
        assert_eq!(detect("Привіт, у нашому дворі сміття і бруд"), Lang::Other);
        assert_eq!(detect("Die Straße ist nicht beleuchtet"), Lang::Other);
        assert_eq!(detect("我们的街道没有路灯"), Lang::Other);
    }

    #[test]
    fn codes() {
        let codes: Vec<_> = [Lang::Kk, Lang::Ru, Lang::En, Lang::Other]
            .iter()
            .map(|l| l.code())
            .collect();
        assert_eq!(codes, ["kk", "ru", "en", "other"]);
    }
}
