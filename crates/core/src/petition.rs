//! Online petitions (KZ_RULES.md §3; Law "On Public Control", АППК art. 90-1..90-5): the
//! lifecycle as a state machine, the signature thresholds, the statutory terms and the public form
//! of a signer's name.

use crate::appeal::text_enum;
use crate::calendar::{Calendar, WorkWeek};
use crate::org::OrgLevel;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

text_enum!(
    PetitionStatus {
        Draft = "draft",
        /// Filed; the authorised body must moderate it within 20 working days.
        Submitted = "submitted",
        InModeration = "in_moderation",
        Rejected = "rejected",
        /// Admitted: only those with the link may sign until the first 50 signatures.
        LinkOnly = "link_only",
        /// Fewer than the first signatures within the link-only term.
        Lapsed = "lapsed",
        /// Public collection.
        Collecting = "collecting",
        /// The threshold is reached: the body has accepted it and the review term runs.
        ThresholdReached = "threshold_reached",
        /// A working group (with the author) reviews it.
        UnderReview = "under_review",
        DecisionPublished = "decision_published",
        Closed = "closed",
        /// The collection period ended before the threshold.
        Expired = "expired",
    }
);

text_enum!(
    PetitionAction {
        Create = "create",
        Edit = "edit",
        Submit = "submit",
        TakeForModeration = "take_for_moderation",
        Admit = "admit",
        Reject = "reject",
        GoPublic = "go_public",
        Lapse = "lapse",
        ReachThreshold = "reach_threshold",
        FormWorkingGroup = "form_working_group",
        PublishDecision = "publish_decision",
        Close = "close",
        Expire = "expire",
        MarkOverdue = "mark_overdue",
        InvalidateSignatures = "invalidate_signatures",
        RestoreSignatures = "restore_signatures",
    }
);

text_enum!(
    /// How the first signatures are collected; the link-only term depends on it.
    CollectionMode { Electronic = "electronic", Paper = "paper" }
);

text_enum!(
    Decision {
        Supported = "supported",
        PartlySupported = "partly_supported",
        NotSupported = "not_supported",
    }
);

text_enum!(
    SignatureChannel { Electronic = "electronic", Paper = "paper" }
);

impl PetitionStatus {
    /// Signatures are accepted in these states (link-only signers need the link, which is the id).
    pub fn accepts_signatures(self) -> bool {
        matches!(self, PetitionStatus::LinkOnly | PetitionStatus::Collecting)
    }
    /// Visible in public lists (drafts and moderation are the author's and moderators' business;
    /// link-only petitions are reachable only by their link).
    pub fn is_listed(self) -> bool {
        !matches!(
            self,
            PetitionStatus::Draft
                | PetitionStatus::Submitted
                | PetitionStatus::InModeration
                | PetitionStatus::LinkOnly
        )
    }
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            PetitionStatus::Rejected
                | PetitionStatus::Lapsed
                | PetitionStatus::Closed
                | PetitionStatus::Expired
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a petition that is {from}{hint}")]
pub struct PetitionTransitionError {
    pub from: PetitionStatus,
    pub action: PetitionAction,
    pub hint: &'static str,
}

/// The lifecycle. Returns the status after `action`, or why it is not allowed.
pub fn transition(
    from: PetitionStatus,
    action: PetitionAction,
) -> Result<PetitionStatus, PetitionTransitionError> {
    use PetitionAction as A;
    use PetitionStatus as S;
    let err = |hint: &'static str| PetitionTransitionError { from, action, hint };
    match (action, from) {
        (A::Edit, S::Draft) => Ok(S::Draft),
        (A::Submit, S::Draft) => Ok(S::Submitted),
        (A::TakeForModeration, S::Submitted) => Ok(S::InModeration),
        (A::Admit | A::Reject, S::Submitted) => Err(err(" (take it for moderation first)")),
        (A::Admit, S::InModeration) => Ok(S::LinkOnly),
        (A::Reject, S::InModeration) => Ok(S::Rejected),
        (A::GoPublic, S::LinkOnly) => Ok(S::Collecting),
        (A::Lapse, S::LinkOnly) => Ok(S::Lapsed),
        (A::ReachThreshold, S::Collecting) => Ok(S::ThresholdReached),
        (A::Expire, S::Collecting) => Ok(S::Expired),
        (A::FormWorkingGroup, S::ThresholdReached | S::UnderReview) => Ok(S::UnderReview),
        (A::PublishDecision, S::UnderReview) => Ok(S::DecisionPublished),
        (A::PublishDecision, S::ThresholdReached) => Err(err(
            " (the law requires a working group including the author first)",
        )),
        (A::Close, S::DecisionPublished) => Ok(S::Closed),
        (A::MarkOverdue, s) if !s.is_terminal() => Ok(s),
        (A::InvalidateSignatures | A::RestoreSignatures, s) if s != S::Draft => Ok(s),
        (A::Create, _) => Ok(S::Draft),
        _ => Err(err("")),
    }
}

/// One row of the threshold table: a fixed number, or a share of the territory's population
/// with a fixed number above a population bound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdRule {
    pub level: OrgLevel,
    /// Signatures needed regardless of population (central bodies), or above `population_over`.
    pub absolute: Option<u64>,
    /// When set, `absolute` applies only where the population exceeds this.
    pub population_over: Option<u64>,
    /// Percent of the territory's population otherwise.
    pub percent_of_population: Option<f64>,
}

/// The thresholds of KZ_RULES §3 as data (`rules/petitions.toml`; a configuration file may
/// replace the whole table in its `[petitions]` section).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PetitionRules {
    /// Moderation by the authorised body: 20 working days.
    pub moderation_working_days: u32,
    /// The first signatures collected by link only...
    pub link_only_signatures: u64,
    /// ...within 10 working days (electronic)...
    pub link_only_working_days_electronic: u32,
    /// ...or 20 working days (paper).
    pub link_only_working_days_paper: u32,
    /// Public collection period (UNVERIFIED in the law: a setting).
    pub collection_months: u32,
    /// Review: 40 working days for central bodies...
    pub review_working_days_central: u32,
    /// ...20 for akimats and maslikhats, counted from registration.
    pub review_working_days_local: u32,
    /// Used when the addressee's level has no rule or its territory has no population.
    pub default_threshold: u64,
    pub thresholds: Vec<ThresholdRule>,
    /// Comments are hidden once this many distinct users reported them.
    pub comment_reports_to_hide: u32,
}

pub const RULES_TOML: &str = include_str!("../rules/petitions.toml");

impl Default for PetitionRules {
    fn default() -> Self {
        toml::from_str(RULES_TOML).expect("built-in rules/petitions.toml is valid")
    }
}

impl PetitionRules {
    /// Signatures needed for a petition to a body of `level` whose territory has `population`.
    pub fn threshold(&self, level: OrgLevel, population: Option<u64>) -> u64 {
        let Some(rule) = self.thresholds.iter().find(|r| r.level == level) else {
            return self.default_threshold;
        };
        match (
            rule.absolute,
            rule.population_over,
            rule.percent_of_population,
            population,
        ) {
            (Some(abs), None, _, _) => abs,
            (Some(abs), Some(bound), _, Some(pop)) if pop > bound => abs,
            (_, _, Some(pct), Some(pop)) => ((pop as f64) * pct / 100.0).ceil().max(1.0) as u64,
            (Some(abs), _, _, None) => abs,
            _ => self.default_threshold,
        }
    }

    pub fn moderation_due(&self, cal: &Calendar, submitted: NaiveDate) -> NaiveDate {
        cal.add_working_days(submitted, self.moderation_working_days, WorkWeek::FiveDay)
    }

    pub fn link_only_due(
        &self,
        cal: &Calendar,
        admitted: NaiveDate,
        mode: CollectionMode,
    ) -> NaiveDate {
        let n = match mode {
            CollectionMode::Electronic => self.link_only_working_days_electronic,
            CollectionMode::Paper => self.link_only_working_days_paper,
        };
        cal.add_working_days(admitted, n, WorkWeek::FiveDay)
    }

    /// The last day of public collection.
    pub fn collection_ends(&self, public_from: NaiveDate) -> NaiveDate {
        public_from + Months::new(self.collection_months)
    }

    pub fn review_due(&self, cal: &Calendar, registered: NaiveDate, level: OrgLevel) -> NaiveDate {
        let n = if is_local(level) {
            self.review_working_days_local
        } else {
            self.review_working_days_central
        };
        cal.add_working_days(registered, n, WorkWeek::FiveDay)
    }
}

/// Akimats and maslikhats review in the shorter local term.
pub fn is_local(level: OrgLevel) -> bool {
    matches!(
        level,
        OrgLevel::OblastAkimat
            | OrgLevel::OblastMaslikhat
            | OrgLevel::DistrictAkimat
            | OrgLevel::DistrictMaslikhat
    )
}

/// A member of the working group that reviews a petition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMember {
    pub name: String,
    pub position: String,
    pub author: bool,
}

/// KZ_RULES §3: the working group includes the petition's author, whoever else the body names.
pub fn working_group(author_public_name: &str, others: &[(String, String)]) -> Vec<GroupMember> {
    std::iter::once(GroupMember {
        name: author_public_name.to_string(),
        position: "author of the petition".into(),
        author: true,
    })
    .chain(others.iter().map(|(name, position)| GroupMember {
        name: name.trim().to_string(),
        position: position.trim().to_string(),
        author: false,
    }))
    .collect()
}

/// The public form of a signer's name: the first name and the first letter of the surname
/// ("Aigerim S."); the full name and IIN are never shown.
pub fn public_name(given: &str, family: &str) -> String {
    let given = given.trim();
    match family.trim().chars().next() {
        Some(c) => format!("{given} {}.", c.to_uppercase()),
        None => given.to_string(),
    }
}

/// The network a signer's address belongs to, for rate limits and the moderators' view:
/// /24 for IPv4, /48 for IPv6.
pub fn network_of(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        std::net::IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
    }
}

/// An address range given as CIDR (`10.1.2.0/24`, `2001:db8::/32`) or a single address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    pub base: std::net::IpAddr,
    pub prefix: u8,
}

impl IpRange {
    pub fn parse(s: &str) -> Option<IpRange> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (s, None),
        };
        let base: std::net::IpAddr = addr.trim().parse().ok()?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(IpRange { base, prefix })
    }

    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        use std::net::IpAddr::{V4, V6};
        match (self.base, ip) {
            (V4(b), V4(i)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - self.prefix)
                };
                (u32::from(b) & mask) == (u32::from(i) & mask)
            }
            (V6(b), V6(i)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - self.prefix)
                };
                (u128::from(b) & mask) == (u128::from(i) & mask)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PetitionAction as A;
    use PetitionStatus as S;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn petition_lifecycle_happy_path_to_closed() {
        let mut s = S::Draft;
        for (a, want) in [
            (A::Submit, S::Submitted),
            (A::TakeForModeration, S::InModeration),
            (A::Admit, S::LinkOnly),
            (A::GoPublic, S::Collecting),
            (A::ReachThreshold, S::ThresholdReached),
            (A::FormWorkingGroup, S::UnderReview),
            (A::PublishDecision, S::DecisionPublished),
            (A::Close, S::Closed),
        ] {
            s = transition(s, a).unwrap();
            assert_eq!(s, want);
        }
    }

    #[test]
    fn every_invalid_transition_is_rejected_with_its_states_named() {
        let valid = |s: S, a: A| transition(s, a).is_ok();
        // Terminal states accept only bookkeeping actions.
        for s in S::ALL.iter().filter(|s| s.is_terminal()) {
            for a in [
                A::Submit,
                A::Admit,
                A::Reject,
                A::GoPublic,
                A::ReachThreshold,
                A::PublishDecision,
                A::Close,
                A::Expire,
                A::Lapse,
            ] {
                assert!(!valid(*s, a), "{a} from {s} must be rejected");
            }
        }
        let e = transition(S::ThresholdReached, A::PublishDecision).unwrap_err();
        assert!(e.to_string().contains("working group"), "{e}");
        let e = transition(S::Submitted, A::Admit).unwrap_err();
        assert!(
            e.to_string()
                .contains("cannot admit a petition that is submitted"),
            "{e}"
        );
        assert!(!valid(S::Draft, A::Admit));
        assert!(!valid(S::Collecting, A::Admit));
        assert!(
            !valid(S::LinkOnly, A::ReachThreshold),
            "the first signatures come before the threshold"
        );
        assert!(!valid(S::Collecting, A::Lapse));
        assert!(!valid(S::LinkOnly, A::Expire));
    }

    #[test]
    fn only_link_only_and_public_collection_accept_signatures() {
        let open: Vec<_> = S::ALL.iter().filter(|s| s.accepts_signatures()).collect();
        assert_eq!(open, vec![&S::LinkOnly, &S::Collecting]);
        assert!(
            !S::LinkOnly.is_listed(),
            "link-only petitions are reachable by their link only"
        );
        assert!(S::Collecting.is_listed());
    }

    #[test]
    fn petition_threshold_central_body_is_50000() {
        let r = PetitionRules::default();
        assert_eq!(r.threshold(OrgLevel::Central, None), 50_000);
        assert_eq!(r.threshold(OrgLevel::Central, Some(20_000_000)), 50_000);
    }

    #[test]
    fn petition_threshold_district_akimat_2500_over_50000_people_else_5_percent() {
        let r = PetitionRules::default();
        assert_eq!(r.threshold(OrgLevel::DistrictAkimat, Some(50_001)), 2_500);
        assert_eq!(r.threshold(OrgLevel::DistrictAkimat, Some(50_000)), 2_500);
        assert_eq!(r.threshold(OrgLevel::DistrictAkimat, Some(30_000)), 1_500);
        assert_eq!(
            r.threshold(OrgLevel::DistrictAkimat, Some(30_001)),
            1_501,
            "rounded up"
        );
    }

    #[test]
    fn petition_threshold_district_maslikhat_5000_over_50000_people_else_10_percent() {
        let r = PetitionRules::default();
        assert_eq!(
            r.threshold(OrgLevel::DistrictMaslikhat, Some(120_000)),
            5_000
        );
        assert_eq!(
            r.threshold(OrgLevel::DistrictMaslikhat, Some(40_000)),
            4_000
        );
    }

    #[test]
    fn petition_threshold_oblast_akimat_1_percent_and_maslikhat_2_percent() {
        let r = PetitionRules::default();
        assert_eq!(r.threshold(OrgLevel::OblastAkimat, Some(2_000_000)), 20_000);
        assert_eq!(
            r.threshold(OrgLevel::OblastMaslikhat, Some(2_000_000)),
            40_000
        );
        // Without a known population the safe default applies, never zero.
        assert_eq!(
            r.threshold(OrgLevel::OblastAkimat, None),
            r.default_threshold
        );
    }

    #[test]
    fn petition_moderation_within_20_working_days() {
        let cal = Calendar::builtin();
        let r = PetitionRules::default();
        // Monday 2026-03-02 + 20 working days, across the 8 March and Nauryz (21-25 March) holidays.
        let due = r.moderation_due(&cal, d("2026-03-02"));
        assert_eq!(
            cal.working_days_between(d("2026-03-02"), due, WorkWeek::FiveDay),
            20
        );
        assert!(cal.is_working_day(due, WorkWeek::FiveDay));
    }

    #[test]
    fn petition_link_only_first_50_signatures_in_10_working_days_electronic_20_paper() {
        let cal = Calendar::builtin();
        let r = PetitionRules::default();
        assert_eq!(r.link_only_signatures, 50);
        let e = r.link_only_due(&cal, d("2026-06-01"), CollectionMode::Electronic);
        let p = r.link_only_due(&cal, d("2026-06-01"), CollectionMode::Paper);
        assert_eq!(
            cal.working_days_between(d("2026-06-01"), e, WorkWeek::FiveDay),
            10
        );
        assert_eq!(
            cal.working_days_between(d("2026-06-01"), p, WorkWeek::FiveDay),
            20
        );
    }

    #[test]
    fn petition_collection_period_default_six_months() {
        let r = PetitionRules::default();
        assert_eq!(r.collection_ends(d("2026-01-15")), d("2026-07-15"));
    }

    #[test]
    fn petition_review_40_working_days_central_20_local() {
        let cal = Calendar::builtin();
        let r = PetitionRules::default();
        let reg = d("2026-09-01");
        let c = r.review_due(&cal, reg, OrgLevel::Central);
        let l = r.review_due(&cal, reg, OrgLevel::DistrictMaslikhat);
        assert_eq!(cal.working_days_between(reg, c, WorkWeek::FiveDay), 40);
        assert_eq!(cal.working_days_between(reg, l, WorkWeek::FiveDay), 20);
    }

    #[test]
    fn petition_working_group_includes_the_author() {
        let g = working_group(
            "Aigerim S.",
            &[(" A. Nurlanov ".into(), "deputy akim".into())],
        );
        assert_eq!(g.len(), 2);
        assert!(g[0].author && g[0].name == "Aigerim S.");
        assert_eq!((g[1].name.as_str(), g[1].author), ("A. Nurlanov", false));
    }

    #[test]
    fn petition_public_name_is_first_name_and_surname_initial() {
        assert_eq!(public_name("Айгерим", "Сейткали"), "Айгерим С.");
        assert_eq!(public_name(" Aigerim ", "sultan"), "Aigerim S.");
        assert_eq!(public_name("Ерлан", ""), "Ерлан");
    }

    #[test]
    fn networks_and_ranges() {
        let ip: std::net::IpAddr = "10.20.30.40".parse().unwrap();
        assert_eq!(network_of(ip), "10.20.30.0/24");
        let r = IpRange::parse("10.20.0.0/16").unwrap();
        assert!(r.contains(ip));
        assert!(!r.contains("10.21.0.1".parse().unwrap()));
        assert!(IpRange::parse("10.0.0.0/33").is_none());
        assert!(IpRange::parse("nonsense").is_none());
        let v6 = IpRange::parse("2001:db8::/32").unwrap();
        assert!(v6.contains("2001:db8:1::5".parse().unwrap()));
        assert!(!v6.contains(ip));
        assert_eq!(
            network_of("2001:db8:1:2::5".parse().unwrap()),
            "2001:db8:1::/48"
        );
    }
}
