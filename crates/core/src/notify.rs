//! Notices to applicants about stages of their appeal, in their language.

use serde::{Deserialize, Serialize};

crate::appeal::text_enum!(
    /// Languages of the interface and of notices.
    UiLang { Kk = "kk", Ru = "ru", En = "en" }
);

crate::appeal::text_enum!(
    NoticeKind {
        Registered = "registered",
        Forwarded = "forwarded",
        Extended = "extended",
        Answered = "answered",
        Overdue = "overdue",
        NotConsidered = "not_considered",
        LeftWithoutConsideration = "left_without_consideration",
    }
);

/// What a notice says; the fields a kind does not use stay empty.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NoticeFacts {
    pub reg_no: String,
    pub ticket: String,
    pub due: String,
    pub org: String,
    pub reason: String,
}

/// The notice language: the appeal's own language when it is Kazakh or Russian, otherwise the
/// applicant's chosen interface language, otherwise Russian.
pub fn notice_language(appeal_lang: crate::appeal::Language, preferred: Option<UiLang>) -> UiLang {
    match appeal_lang {
        crate::appeal::Language::Kk => UiLang::Kk,
        crate::appeal::Language::Ru => UiLang::Ru,
        crate::appeal::Language::Other => preferred.unwrap_or(UiLang::Ru),
    }
}

/// Subject and body of a notice.
pub fn render(kind: NoticeKind, lang: UiLang, f: &NoticeFacts) -> (String, String) {
    use NoticeKind as K;
    use UiLang as L;
    let (reg, ticket, due, org, reason) = (&f.reg_no, &f.ticket, &f.due, &f.org, &f.reason);
    let body = match (kind, lang) {
        (K::Registered, L::Kk) => {
            format!("Өтінішіңіз тіркелді. Нөмірі {reg}, талон {ticket}. Жауап мерзімі: {due}.")
        }
        (K::Registered, L::Ru) => format!(
            "Ваше обращение зарегистрировано. Номер {reg}, талон {ticket}. Срок ответа: {due}."
        ),
        (K::Registered, L::En) => format!(
            "Your appeal is registered. Number {reg}, ticket {ticket}. Answer due by {due}."
        ),
        (K::Forwarded, L::Kk) => format!(
            "{reg} өтінішіңіз құзыретті органға жіберілді: {org}. Себебі: {reason}. Жауап мерзімі: {due}."
        ),
        (K::Forwarded, L::Ru) => format!(
            "Ваше обращение {reg} направлено в компетентный орган: {org}. Причина: {reason}. Срок ответа: {due}."
        ),
        (K::Forwarded, L::En) => format!(
            "Your appeal {reg} was forwarded to the competent body: {org}. Reason: {reason}. Answer due by {due}."
        ),
        (K::Extended, L::Kk) => {
            format!("{reg} өтінішіңізді қарау мерзімі {due} дейін ұзартылды. Себебі: {reason}.")
        }
        (K::Extended, L::Ru) => {
            format!("Срок рассмотрения вашего обращения {reg} продлён до {due}. Причина: {reason}.")
        }
        (K::Extended, L::En) => {
            format!("The term for your appeal {reg} is extended to {due}. Reason: {reason}.")
        }
        (K::Answered, L::Kk) => format!(
            "{reg} өтінішіңізге жауап берілді. Жауапты бағалай аласыз немесе оған шағым бере аласыз."
        ),
        (K::Answered, L::Ru) => format!(
            "На ваше обращение {reg} дан ответ. Вы можете оценить ответ или обжаловать его."
        ),
        (K::Answered, L::En) => format!(
            "Your appeal {reg} has been answered. You may rate the answer or complain about it."
        ),
        (K::Overdue, L::Kk) => format!(
            "{reg} өтінішіңізді қарау мерзімі ({due}) өтті. Жоғары тұрған органға шағым беруге құқығыңыз бар."
        ),
        (K::Overdue, L::Ru) => format!(
            "Срок рассмотрения вашего обращения {reg} ({due}) истёк. Вы вправе обжаловать бездействие в вышестоящий орган."
        ),
        (K::Overdue, L::En) => format!(
            "The term for your appeal {reg} ({due}) has passed. You may complain to the superior body."
        ),
        (K::NotConsidered, L::Kk) => {
            format!("{reg} өтініш қаралмайды: авторы анықталмаған (анонимді өтініш).")
        }
        (K::NotConsidered, L::Ru) => format!(
            "Обращение {reg} не подлежит рассмотрению: автор не установлен (анонимное обращение)."
        ),
        (K::NotConsidered, L::En) => format!(
            "Appeal {reg} will not be considered: its author cannot be established (anonymous appeal)."
        ),
        (K::LeftWithoutConsideration, L::Kk) => {
            format!("{reg} өтініш қараусыз қалдырылды. Себебі: {reason}.")
        }
        (K::LeftWithoutConsideration, L::Ru) => {
            format!("Обращение {reg} оставлено без рассмотрения. Причина: {reason}.")
        }
        (K::LeftWithoutConsideration, L::En) => {
            format!("Appeal {reg} was left without consideration. Reason: {reason}.")
        }
    };
    let subject = match lang {
        L::Kk => format!("Tyndau: {reg} өтініш"),
        L::Ru => format!("Tyndau: обращение {reg}"),
        L::En => format!("Tyndau: appeal {reg}"),
    };
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appeal::Language;

    #[test]
    fn notices_are_in_the_language_of_the_appeal() {
        assert_eq!(notice_language(Language::Kk, Some(UiLang::En)), UiLang::Kk);
        assert_eq!(notice_language(Language::Ru, None), UiLang::Ru);
        assert_eq!(
            notice_language(Language::Other, Some(UiLang::En)),
            UiLang::En
        );
        let f = NoticeFacts {
            reg_no: "MZ/2026/000001".into(),
            ..Default::default()
        };
        let (_, kk) = render(NoticeKind::Answered, UiLang::Kk, &f);
        assert!(kk.contains("жауап берілді") && kk.contains("MZ/2026/000001"));
    }

    #[test]
    fn every_kind_renders_in_every_language_with_the_number() {
        let f = NoticeFacts {
            reg_no: "X/2026/1".into(),
            ..Default::default()
        };
        for k in NoticeKind::ALL {
            for l in UiLang::ALL {
                let (s, b) = render(*k, *l, &f);
                assert!(s.contains("X/2026/1") && b.contains("X/2026/1"), "{k} {l}");
            }
        }
    }
}
