//! The appeal: its vocabulary and its lifecycle as an explicit state machine (KZ_RULES.md §1).

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, PartialOrd, Ord)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $var),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$var => $s),+ } }
            pub fn parse(s: &str) -> Option<Self> { match s { $($s => Some($name::$var),)+ _ => None } }
            /// The stored values, for the CHECK constraints and error messages.
            pub fn values() -> Vec<&'static str> { vec![$($s),+] }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// The six forms of appeal (АППК art. 4, 76).
    Form {
        /// заявление
        Application = "application",
        /// жалоба
        Complaint = "complaint",
        /// предложение
        Proposal = "proposal",
        /// запрос (information request)
        Request = "request",
        /// отклик
        Response = "response",
        /// сообщение
        Report = "report",
    }
);

text_enum!(
    Channel {
        Web = "web",
        Api = "api",
        CallCentre1414 = "call_centre_1414",
        ReceptionCentre = "reception_centre",
        SocialNetwork = "social_network",
        Paper = "paper",
    }
);

text_enum!(
    /// Language the appeal is written in; the answer is given in it or the state language.
    Language { Kk = "kk", Ru = "ru", Other = "other" }
);

text_enum!(
    Status {
        Registered = "registered",
        Forwarded = "forwarded",
        InReview = "in_review",
        Extended = "extended",
        Answered = "answered",
        Rated = "rated",
        Complained = "complained",
        Closed = "closed",
        NotConsidered = "not_considered",
        LeftWithoutConsideration = "left_without_consideration",
    }
);

text_enum!(
    /// Everything that can happen to an appeal; each is one journal entry.
    Action {
        Register = "register",
        Assign = "assign",
        Forward = "forward",
        Extend = "extend",
        Answer = "answer",
        Rate = "rate",
        Complain = "complain",
        Close = "close",
        NotConsider = "not_consider",
        LeaveWithoutConsideration = "leave_without_consideration",
        MarkOverdue = "mark_overdue",
        Remind = "remind",
        Escalate = "escalate",
        MarkRepeated = "mark_repeated",
    }
);

text_enum!(
    /// Why an appeal is left without consideration (reasons an official may record).
    LeaveReason {
        NoSubstance = "no_substance",
        WithdrawnByApplicant = "withdrawn_by_applicant",
        AlreadyAnsweredSameIssue = "already_answered_same_issue",
        ObsceneOrThreatening = "obscene_or_threatening",
        CourtDecisionExists = "court_decision_exists",
    }
);

impl Status {
    /// No further handling happens in these states.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Closed | Status::NotConsidered | Status::LeftWithoutConsideration
        )
    }
    /// The body still owes an answer: deadlines run and the monitor watches.
    pub fn awaits_answer(self) -> bool {
        matches!(
            self,
            Status::Registered | Status::Forwarded | Status::InReview | Status::Extended
        )
    }
}

/// Facts about the appeal that some transitions depend on.
#[derive(Debug, Clone, Copy, Default)]
pub struct TransitionContext {
    /// The due date has passed without an answer: silence counts as a refusal and may be
    /// complained about (АППК art. 91).
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} an appeal that is {from}{hint}")]
pub struct TransitionError {
    pub from: Status,
    pub action: Action,
    pub hint: &'static str,
}

/// The lifecycle. Returns the status after `action`, or why it is not allowed.
pub fn transition(
    from: Status,
    action: Action,
    ctx: TransitionContext,
) -> Result<Status, TransitionError> {
    use Action as A;
    use Status as S;
    let err = |hint: &'static str| TransitionError { from, action, hint };
    match (action, from) {
        (A::Assign, S::Registered | S::Forwarded) => Ok(S::InReview),
        (A::Assign, S::InReview | S::Extended) => Ok(from),
        (A::Forward, s) if s.awaits_answer() => Ok(S::Forwarded),
        (A::Extend, S::InReview | S::Extended) => Ok(S::Extended),
        (A::Extend, S::Registered | S::Forwarded) => Err(err(" (assign it to an official first)")),
        (A::Answer, s) if s.awaits_answer() => Ok(S::Answered),
        (A::Rate, S::Answered) => Ok(S::Rated),
        (A::Complain, S::Answered | S::Rated) => Ok(S::Complained),
        (A::Complain, s) if s.awaits_answer() && ctx.overdue => Ok(S::Complained),
        (A::Complain, s) if s.awaits_answer() => Err(err(
            " (a complaint needs an answer, or the deadline to have passed without one)",
        )),
        (A::Close, S::Answered | S::Rated | S::Complained) => Ok(S::Closed),
        (A::NotConsider, S::Registered) => Ok(S::NotConsidered),
        (A::LeaveWithoutConsideration, s) if s.awaits_answer() => Ok(S::LeftWithoutConsideration),
        (A::MarkOverdue | A::Remind | A::Escalate, s) if s.awaits_answer() => Ok(s),
        (A::MarkRepeated | A::Register, s) => Ok(s),
        _ => Err(err("")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(from: Status, a: Action) -> Result<Status, TransitionError> {
        transition(from, a, TransitionContext::default())
    }

    #[test]
    fn the_happy_path_registered_in_review_answered_rated_closed() {
        let mut s = Status::Registered;
        for (a, want) in [
            (Action::Assign, Status::InReview),
            (Action::Extend, Status::Extended),
            (Action::Answer, Status::Answered),
            (Action::Rate, Status::Rated),
            (Action::Close, Status::Closed),
        ] {
            s = t(s, a).unwrap();
            assert_eq!(s, want);
        }
    }

    #[test]
    fn terminal_states_accept_no_handling_action() {
        for s in Status::ALL.iter().filter(|s| s.is_terminal()) {
            for a in [
                Action::Assign,
                Action::Forward,
                Action::Extend,
                Action::Answer,
                Action::Rate,
                Action::Complain,
                Action::Close,
                Action::LeaveWithoutConsideration,
                Action::MarkOverdue,
                Action::Escalate,
            ] {
                assert!(t(*s, a).is_err(), "{a} from {s} must be rejected");
            }
        }
    }

    #[test]
    fn complaint_about_silence_is_allowed_only_when_overdue() {
        assert!(t(Status::InReview, Action::Complain).is_err());
        let ctx = TransitionContext { overdue: true };
        assert_eq!(
            transition(Status::InReview, Action::Complain, ctx),
            Ok(Status::Complained)
        );
    }

    #[test]
    fn rating_needs_an_answer_and_happens_once() {
        assert!(t(Status::InReview, Action::Rate).is_err());
        assert!(t(Status::Rated, Action::Rate).is_err());
    }

    #[test]
    fn an_answered_appeal_cannot_be_forwarded_or_extended() {
        assert!(t(Status::Answered, Action::Forward).is_err());
        assert!(t(Status::Answered, Action::Extend).is_err());
        let e = t(Status::Registered, Action::Extend).unwrap_err();
        assert!(e.to_string().contains("assign"), "{e}");
    }

    #[test]
    fn every_status_and_action_has_a_stable_text_form() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(*s));
        }
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(*a));
        }
        assert_eq!(Form::ALL.len(), 6, "АППК knows six forms of appeal");
        assert_eq!(Channel::ALL.len(), 6);
    }
}
