//! Who may do what to which appeal: the one place where access is decided.
//!
//! The web layer builds a `Principal`, storage supplies an `AppealScope`, and `decide` answers.
//! List queries use `ListScope`, derived from the same principal, so that a list never shows
//! what a single read would refuse.

use serde::{Deserialize, Serialize};

crate::appeal::text_enum!(
    Role {
        Citizen = "citizen",
        Official = "official",
        /// Head of an organisation: also sees subordinate organisations; may extend terms.
        Head = "head",
        /// Supervisor (e.g. prosecutor's office): reads everything, may escalate, changes nothing else.
        Supervisor = "supervisor",
        Administrator = "administrator",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: String,
    pub role: Role,
    /// For officials: their organisation; for heads: theirs and every subordinate one.
    pub orgs: Vec<String>,
}

/// The facts about one appeal that access depends on.
#[derive(Debug, Clone)]
pub struct AppealScope<'a> {
    pub applicant_user_id: Option<&'a str>,
    /// The organisation currently handling the appeal.
    pub org_id: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Read,
    /// See the applicant's IIN, name and contacts; every such read by an official is journaled.
    ReadPersonalData,
    Assign,
    Forward,
    /// АППК art. 76: the head of the body (or a deputy) decides an extension.
    Extend,
    Answer,
    Close,
    LeaveWithoutConsideration,
    Rate,
    Complain,
    Escalate,
}

impl Op {
    pub const ALL: [Op; 11] = [
        Op::Read,
        Op::ReadPersonalData,
        Op::Assign,
        Op::Forward,
        Op::Extend,
        Op::Answer,
        Op::Close,
        Op::LeaveWithoutConsideration,
        Op::Rate,
        Op::Complain,
        Op::Escalate,
    ];
}

pub fn decide(p: &Principal, op: Op, a: &AppealScope) -> bool {
    let own = a.applicant_user_id == Some(p.user_id.as_str());
    let handles = p.orgs.iter().any(|o| o == a.org_id);
    match p.role {
        Role::Citizen => {
            matches!(
                op,
                Op::Read | Op::ReadPersonalData | Op::Rate | Op::Complain
            ) && own
        }
        Role::Official => {
            handles
                && matches!(
                    op,
                    Op::Read
                        | Op::ReadPersonalData
                        | Op::Assign
                        | Op::Forward
                        | Op::Answer
                        | Op::Close
                        | Op::LeaveWithoutConsideration
                )
        }
        Role::Head => handles && !matches!(op, Op::Rate | Op::Complain | Op::Escalate),
        Role::Supervisor => matches!(op, Op::Read | Op::Escalate),
        Role::Administrator => matches!(op, Op::Read),
    }
}

/// Which appeals a principal's lists may contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListScope {
    Applicant(String),
    Orgs(Vec<String>),
    All,
}

pub fn list_scope(p: &Principal) -> ListScope {
    match p.role {
        Role::Citizen => ListScope::Applicant(p.user_id.clone()),
        Role::Official | Role::Head => ListScope::Orgs(p.orgs.clone()),
        Role::Supervisor | Role::Administrator => ListScope::All,
    }
}

/// Whether an official's read of personal data must be written to the audit journal.
pub fn personal_data_read_is_audited(p: &Principal) -> bool {
    p.role != Role::Citizen
}

/// What can be done to a petition (KZ_RULES §3), for `decide_petition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PetitionOp {
    Read,
    /// The author's filing data: full name, IIN, contacts.
    ReadPersonalData,
    /// Edit a draft, submit it.
    ActAsAuthor,
    /// Take, admit, reject; trending, invalidations, comment moderation.
    Moderate,
    FormWorkingGroup,
    /// "The first head decides and the result is published."
    Decide,
    Close,
    EnterPaperSignatures,
}

/// The facts about one petition that access depends on.
#[derive(Debug, Clone)]
pub struct PetitionScope<'a> {
    pub author_user_id: &'a str,
    pub addressee_org_id: &'a str,
    pub status: crate::petition::PetitionStatus,
}

/// Who may do what to a petition. `moderator`: the principal is an administrator or belongs to
/// the authorised body that moderates petitions (which body that is, is a deployment setting).
pub fn decide_petition(
    p: Option<&Principal>,
    moderator: bool,
    op: PetitionOp,
    s: &PetitionScope,
) -> bool {
    use crate::petition::PetitionStatus as S;
    let author = p.is_some_and(|p| p.user_id == s.author_user_id);
    let addressee = p.is_some_and(|p| {
        matches!(p.role, Role::Official | Role::Head)
            && p.orgs.iter().any(|o| o == s.addressee_org_id)
    });
    let head = addressee && p.is_some_and(|p| p.role == Role::Head);
    match op {
        PetitionOp::ReadPersonalData => author || moderator || addressee,
        // Drafts are the author's; moderation is the author's, moderators' and the addressee's
        // business; from admission on, anyone with the link may read it.
        PetitionOp::Read => match s.status {
            S::Draft => author,
            S::Submitted | S::InModeration | S::Rejected => author || moderator || addressee,
            _ => true,
        },
        PetitionOp::ActAsAuthor => author,
        PetitionOp::Moderate => moderator,
        PetitionOp::FormWorkingGroup => addressee,
        PetitionOp::Decide => head,
        PetitionOp::Close | PetitionOp::EnterPaperSignatures => moderator || addressee,
    }
}

/// The country-wide analytics that show what appeals say (hotspots and the appeals behind them,
/// sensitive appeals, campaigns, hidden services, serial applicants): supervisors, whose office
/// reads all appeals anyway. Administrators keep the system, not the appeals.
pub fn may_view_analytics(role: Role) -> bool {
    role == Role::Supervisor
}

/// The analytics' reference data — the sensitive-issues lexicon, the public-service registry,
/// model training: administrators change them; supervisors may read them.
pub fn may_maintain_analytics(role: Role) -> bool {
    role == Role::Administrator
}

pub fn may_read_analytics_reference(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Administrator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn petition_decision_by_the_head_of_the_addressed_body_only() {
        use crate::petition::PetitionStatus;
        let scope = PetitionScope {
            author_user_id: "author",
            addressee_org_id: "akimat",
            status: PetitionStatus::UnderReview,
        };
        let who = |role, org: &str| Principal {
            user_id: "u".into(),
            role,
            orgs: vec![org.into()],
        };
        let d = |p: &Principal, op| decide_petition(Some(p), false, op, &scope);
        assert!(d(&who(Role::Head, "akimat"), PetitionOp::Decide));
        assert!(!d(&who(Role::Official, "akimat"), PetitionOp::Decide));
        assert!(!d(&who(Role::Head, "other"), PetitionOp::Decide));
        assert!(d(
            &who(Role::Official, "akimat"),
            PetitionOp::FormWorkingGroup
        ));
        assert!(!d(
            &who(Role::Supervisor, "akimat"),
            PetitionOp::FormWorkingGroup
        ));
        // A draft is the author's alone; the public reads from admission on.
        let draft = PetitionScope {
            status: PetitionStatus::Draft,
            ..scope.clone()
        };
        let author = Principal {
            user_id: "author".into(),
            role: Role::Citizen,
            orgs: vec![],
        };
        assert!(decide_petition(
            Some(&author),
            false,
            PetitionOp::Read,
            &draft
        ));
        assert!(!decide_petition(None, true, PetitionOp::Read, &draft));
        assert!(decide_petition(None, false, PetitionOp::Read, &scope));
        assert!(!decide_petition(
            None,
            false,
            PetitionOp::ReadPersonalData,
            &scope
        ));
    }

    #[derive(Clone, Copy, Debug)]
    enum Rel {
        OwnAppeal,
        OwnOrg,
        SubordinateOrg,
        Unrelated,
    }

    fn principal(role: Role) -> Principal {
        let orgs = match role {
            Role::Official => vec!["org-a".to_string()],
            Role::Head => vec!["org-a".to_string(), "org-a-sub".to_string()],
            _ => vec![],
        };
        Principal {
            user_id: "u1".into(),
            role,
            orgs,
        }
    }

    fn scope(rel: Rel) -> (Option<&'static str>, &'static str) {
        match rel {
            Rel::OwnAppeal => (Some("u1"), "org-x"),
            Rel::OwnOrg => (Some("u2"), "org-a"),
            Rel::SubordinateOrg => (Some("u2"), "org-a-sub"),
            Rel::Unrelated => (Some("u2"), "org-x"),
        }
    }

    /// The access matrix: role × relation × operation. Y = allowed, . = refused.
    /// Columns follow Op::ALL: Read, PD, Assign, Forward, Extend, Answer, Close, Leave, Rate, Complain, Escalate.
    #[test]
    fn access_matrix() {
        let table: &[(Role, Rel, &str)] = &[
            (Role::Citizen, Rel::OwnAppeal, "YY......YY."),
            (Role::Citizen, Rel::OwnOrg, "..........."),
            (Role::Citizen, Rel::Unrelated, "..........."),
            (Role::Official, Rel::OwnOrg, "YYYY.YYY..."),
            (Role::Official, Rel::SubordinateOrg, "..........."),
            (Role::Official, Rel::Unrelated, "..........."),
            (Role::Head, Rel::OwnOrg, "YYYYYYYY..."),
            (Role::Head, Rel::SubordinateOrg, "YYYYYYYY..."),
            (Role::Head, Rel::Unrelated, "..........."),
            (Role::Supervisor, Rel::Unrelated, "Y.........Y"),
            (Role::Supervisor, Rel::OwnOrg, "Y.........Y"),
            (Role::Administrator, Rel::Unrelated, "Y.........."),
        ];
        for (role, rel, row) in table {
            let p = principal(*role);
            let (applicant, org) = scope(*rel);
            let a = AppealScope {
                applicant_user_id: applicant,
                org_id: org,
            };
            for (op, want) in Op::ALL.iter().zip(row.chars()) {
                assert_eq!(decide(&p, *op, &a), want == 'Y', "{role} {rel:?} {op:?}");
            }
        }
    }

    #[test]
    fn supervisors_and_administrators_never_see_personal_data() {
        for role in [Role::Supervisor, Role::Administrator] {
            let a = AppealScope {
                applicant_user_id: Some("u2"),
                org_id: "org-a",
            };
            assert!(!decide(&principal(role), Op::ReadPersonalData, &a));
        }
    }

    #[test]
    fn list_scope_matches_single_reads() {
        assert_eq!(
            list_scope(&principal(Role::Citizen)),
            ListScope::Applicant("u1".into())
        );
        assert_eq!(
            list_scope(&principal(Role::Head)),
            ListScope::Orgs(vec!["org-a".into(), "org-a-sub".into()])
        );
        assert_eq!(list_scope(&principal(Role::Supervisor)), ListScope::All);
    }

    #[test]
    fn analytics_content_is_for_supervisors_and_its_reference_data_for_administrators() {
        for role in [
            Role::Citizen,
            Role::Official,
            Role::Head,
            Role::Administrator,
        ] {
            assert!(!may_view_analytics(role), "{role:?}");
        }
        assert!(may_view_analytics(Role::Supervisor));
        assert!(may_maintain_analytics(Role::Administrator));
        assert!(!may_maintain_analytics(Role::Supervisor));
        assert!(may_read_analytics_reference(Role::Supervisor));
        assert!(!may_read_analytics_reference(Role::Official));
    }
}
