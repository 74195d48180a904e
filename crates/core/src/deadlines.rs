//! Statutory terms of appeal handling (KZ_RULES.md §1) as settings, and their arithmetic.

use crate::appeal::Form;
use crate::calendar::{Calendar, WorkWeek};
use chrono::{Duration, Months, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// Every term is a setting with the law's value as its default; UNVERIFIED ones are marked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Terms {
    /// АППК art. 76: 15 working days from receipt.
    pub review_working_days: u32,
    /// АППК art. 76: an extension may bring the total to at most two months.
    pub extension_cap_months: u32,
    /// АППК art. 76: the applicant is told of an extension within 3 working days of the decision.
    pub extension_notice_working_days: u32,
    /// АППК art. 76: forwarded to the competent body within 3 working days of receipt.
    pub forward_within_working_days: u32,
    /// АППК art. 91-92: a complaint within 3 months of learning of the act.
    pub complaint_window_months: u32,
    /// Law on Public Services art. 25: complaints about public services in 5 working days.
    pub public_service_complaint_working_days: u32,
    /// Law on Access to Information: 15 calendar days (UNVERIFIED).
    pub information_request_calendar_days: u32,
    /// Reminders are recorded this many working days before the due date.
    pub reminder_working_days_before_due: u32,
    /// Appeals arriving after this local time are registered on the next working day (АППК art. 64).
    pub working_day_ends: NaiveTime,
    /// Local offset of the legal calendar: Kazakhstan uses UTC+5 everywhere since 2024-03-01.
    pub utc_offset_minutes: i32,
}

impl Default for Terms {
    fn default() -> Self {
        Terms {
            review_working_days: 15,
            extension_cap_months: 2,
            extension_notice_working_days: 3,
            forward_within_working_days: 3,
            complaint_window_months: 3,
            public_service_complaint_working_days: 5,
            information_request_calendar_days: 15,
            reminder_working_days_before_due: 3,
            working_day_ends: NaiveTime::from_hms_opt(18, 30, 0).unwrap(),
            utc_offset_minutes: 300,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error("the new due date {new} is not later than the current one {current}")]
    NotLater { current: NaiveDate, new: NaiveDate },
    #[error("the new due date {new} exceeds the two-month cap {cap}")]
    ExceedsCap { new: NaiveDate, cap: NaiveDate },
    #[error("{0} is not a working day")]
    NotWorkingDay(NaiveDate),
}

/// The calendar and the organisation's week: what every deadline computation needs.
#[derive(Clone, Copy)]
pub struct Clock<'a> {
    pub calendar: &'a Calendar,
    pub week: WorkWeek,
    pub terms: &'a Terms,
}

impl Terms {
    /// Local civil time of a UTC instant given in epoch milliseconds.
    pub fn local(&self, epoch_ms: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp_millis(epoch_ms)
            .expect("timestamp in range")
            .naive_utc()
            + Duration::minutes(i64::from(self.utc_offset_minutes))
    }

    pub fn local_date(&self, epoch_ms: i64) -> NaiveDate {
        self.local(epoch_ms).date()
    }

    /// The UTC instant (epoch ms) at which a local day begins: the inverse of `local_date`.
    pub fn local_midnight_ms(&self, day: NaiveDate) -> i64 {
        day.and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc()
            .timestamp_millis()
            - i64::from(self.utc_offset_minutes) * 60_000
    }
}

impl Clock<'_> {
    pub fn local(&self, epoch_ms: i64) -> NaiveDateTime {
        self.terms.local(epoch_ms)
    }

    pub fn local_date(&self, epoch_ms: i64) -> NaiveDate {
        self.terms.local_date(epoch_ms)
    }

    /// АППК art. 64: registered on the day it arrives; after working hours or on a
    /// non-working day, on the next working day.
    pub fn registration_date(&self, received_epoch_ms: i64) -> NaiveDate {
        let t = self.local(received_epoch_ms);
        let day = t.date();
        if self.calendar.is_working_day(day, self.week) && t.time() < self.terms.working_day_ends {
            day
        } else {
            self.calendar
                .next_working_day_on_or_after(day + Duration::days(1), self.week)
        }
    }

    /// The due date of an appeal registered on `registered`.
    pub fn due_date(&self, form: Form, public_service: bool, registered: NaiveDate) -> NaiveDate {
        match form {
            Form::Request => self.calendar.next_working_day_on_or_after(
                registered
                    + Duration::days(i64::from(self.terms.information_request_calendar_days)),
                self.week,
            ),
            Form::Complaint if public_service => self.calendar.add_working_days(
                registered,
                self.terms.public_service_complaint_working_days,
                self.week,
            ),
            _ => self.calendar.add_working_days(
                registered,
                self.terms.review_working_days,
                self.week,
            ),
        }
    }

    /// The latest due date an extension may set: two months from registration in total,
    /// pulled back to a working day so that a due date is never a day off.
    pub fn extension_cap(&self, registered: NaiveDate) -> NaiveDate {
        let cap = registered + Months::new(self.terms.extension_cap_months);
        self.calendar.prev_working_day_on_or_before(cap, self.week)
    }

    pub fn check_extension(
        &self,
        registered: NaiveDate,
        current_due: NaiveDate,
        new_due: NaiveDate,
    ) -> Result<(), DeadlineError> {
        if new_due <= current_due {
            return Err(DeadlineError::NotLater {
                current: current_due,
                new: new_due,
            });
        }
        let cap = self.extension_cap(registered);
        if new_due > cap {
            return Err(DeadlineError::ExceedsCap { new: new_due, cap });
        }
        if !self.calendar.is_working_day(new_due, self.week) {
            return Err(DeadlineError::NotWorkingDay(new_due));
        }
        Ok(())
    }

    /// By when the applicant must be told of an extension decided on `decided`.
    pub fn extension_notice_due(&self, decided: NaiveDate) -> NaiveDate {
        self.calendar
            .add_working_days(decided, self.terms.extension_notice_working_days, self.week)
    }

    /// The last day on which forwarding to the competent body is on time.
    pub fn forward_deadline(&self, registered: NaiveDate) -> NaiveDate {
        self.calendar.add_working_days(
            registered,
            self.terms.forward_within_working_days,
            self.week,
        )
    }

    pub fn is_forward_late(&self, registered: NaiveDate, forwarded: NaiveDate) -> bool {
        forwarded > self.forward_deadline(registered)
    }

    /// The last day to complain about an act the applicant learned of on `learned`.
    pub fn complaint_deadline(&self, learned: NaiveDate) -> NaiveDate {
        learned + Months::new(self.terms.complaint_window_months)
    }

    /// Whether a reminder is due on `today` for an appeal due on `due`.
    pub fn reminder_due(&self, today: NaiveDate, due: NaiveDate) -> bool {
        today <= due
            && self.calendar.working_days_between(today, due, self.week)
                <= self.terms.reminder_working_days_before_due
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    /// Epoch ms of a local Almaty (UTC+5) time.
    fn local_ms(s: &str) -> i64 {
        let t: NaiveDateTime = s.parse().unwrap();
        (t - Duration::hours(5)).and_utc().timestamp_millis()
    }
    fn with<R>(f: impl FnOnce(Clock) -> R) -> R {
        let cal = Calendar::builtin();
        let terms = Terms::default();
        f(Clock {
            calendar: &cal,
            week: WorkWeek::FiveDay,
            terms: &terms,
        })
    }

    #[test]
    fn local_midnight_is_the_inverse_of_local_date() {
        let t = Terms::default();
        let day = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        let m = t.local_midnight_ms(day);
        assert_eq!(t.local_date(m), day);
        assert_eq!(t.local_date(m - 1), day.pred_opt().unwrap());
    }

    #[test]
    fn registration_same_day_during_working_hours_appc_art_64() {
        with(|c| {
            assert_eq!(
                c.registration_date(local_ms("2026-02-10T10:00:00")),
                d("2026-02-10")
            )
        });
    }

    #[test]
    fn registration_after_hours_moves_to_next_working_day_appc_art_64() {
        with(|c| {
            assert_eq!(
                c.registration_date(local_ms("2026-02-10T19:00:00")),
                d("2026-02-11")
            );
            // Friday evening → Monday.
            assert_eq!(
                c.registration_date(local_ms("2026-02-13T20:00:00")),
                d("2026-02-16")
            );
        });
    }

    #[test]
    fn registration_on_a_non_working_day_moves_to_next_working_day_appc_art_64() {
        with(|c| {
            // Saturday → Monday; Independence Day (Wednesday 16 Dec 2026) → Thursday.
            assert_eq!(
                c.registration_date(local_ms("2026-02-14T11:00:00")),
                d("2026-02-16")
            );
            assert_eq!(
                c.registration_date(local_ms("2026-12-16T11:00:00")),
                d("2026-12-17")
            );
        });
    }

    #[test]
    fn registration_uses_kazakhstan_time_not_utc() {
        // 2026-02-10 15:00 UTC is 20:00 in Almaty: after hours.
        let ms = d("2026-02-10")
            .and_hms_opt(15, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        with(|c| assert_eq!(c.registration_date(ms), d("2026-02-11")));
    }

    #[test]
    fn review_period_is_15_working_days_appc_art_76() {
        with(|c| {
            // Registered Monday 2 Feb 2026: 15 working days → Monday 23 Feb.
            assert_eq!(
                c.due_date(Form::Application, false, d("2026-02-02")),
                d("2026-02-23")
            );
            // Spanning Nauryz: 2026-03-16 + 15 wd skips 23, 24, 25 March (and the weekends).
            assert_eq!(
                c.due_date(Form::Application, false, d("2026-03-16")),
                d("2026-04-09")
            );
        });
    }

    #[test]
    fn information_request_deadline_is_15_calendar_days_setting() {
        with(|c| {
            // 2026-02-02 + 15 days = Tuesday 17 Feb.
            assert_eq!(
                c.due_date(Form::Request, false, d("2026-02-02")),
                d("2026-02-17")
            );
            // Ending on a Saturday moves to Monday.
            assert_eq!(
                c.due_date(Form::Request, false, d("2026-02-06")),
                d("2026-02-23")
            );
        });
    }

    #[test]
    fn public_service_complaint_deadline_is_5_working_days() {
        with(|c| {
            assert_eq!(
                c.due_date(Form::Complaint, true, d("2026-02-02")),
                d("2026-02-09")
            );
            assert_eq!(
                c.due_date(Form::Complaint, false, d("2026-02-02")),
                d("2026-02-23")
            );
        });
    }

    #[test]
    fn extension_cap_is_two_months_in_total_appc_art_76() {
        with(|c| {
            let reg = d("2026-02-02");
            assert_eq!(c.extension_cap(reg), d("2026-04-02"));
            assert!(
                c.check_extension(reg, d("2026-02-23"), d("2026-04-02"))
                    .is_ok()
            );
            assert_eq!(
                c.check_extension(reg, d("2026-02-23"), d("2026-04-03")),
                Err(DeadlineError::ExceedsCap {
                    new: d("2026-04-03"),
                    cap: d("2026-04-02")
                })
            );
            assert!(matches!(
                c.check_extension(reg, d("2026-02-23"), d("2026-02-20")),
                Err(DeadlineError::NotLater { .. })
            ));
            assert!(matches!(
                c.check_extension(reg, d("2026-02-23"), d("2026-03-07")),
                Err(DeadlineError::NotWorkingDay(_))
            ));
        });
    }

    #[test]
    fn extension_notice_within_3_working_days_appc_art_76() {
        with(|c| assert_eq!(c.extension_notice_due(d("2026-02-13")), d("2026-02-18")));
    }

    #[test]
    fn forward_to_competent_body_within_3_working_days_appc_art_76() {
        with(|c| {
            let reg = d("2026-02-12"); // Thursday
            assert_eq!(c.forward_deadline(reg), d("2026-02-17"));
            assert!(!c.is_forward_late(reg, d("2026-02-17")));
            assert!(c.is_forward_late(reg, d("2026-02-18")));
        });
    }

    #[test]
    fn complaint_window_is_3_months_appc_art_91() {
        with(|c| assert_eq!(c.complaint_deadline(d("2026-01-31")), d("2026-04-30")));
    }

    #[test]
    fn reminders_start_n_working_days_before_due() {
        with(|c| {
            let due = d("2026-02-23"); // Monday
            assert!(!c.reminder_due(d("2026-02-17"), due));
            assert!(c.reminder_due(d("2026-02-18"), due));
            assert!(c.reminder_due(d("2026-02-23"), due));
            assert!(!c.reminder_due(d("2026-02-24"), due));
        });
    }

    proptest! {
        #[test]
        fn a_due_date_is_never_a_non_working_day(start in 0i64..1500, form_i in 0usize..6, ps: bool, six: bool) {
            let cal = Calendar::builtin();
            let terms = Terms::default();
            let week = if six { WorkWeek::SixDay } else { WorkWeek::FiveDay };
            let c = Clock { calendar: &cal, week, terms: &terms };
            let reg = cal.next_working_day_on_or_after(d("2025-01-01") + Duration::days(start), week);
            let due = c.due_date(Form::ALL[form_i], ps, reg);
            prop_assert!(cal.is_working_day(due, week));
            prop_assert!(cal.is_working_day(c.extension_cap(reg), week));
        }

        #[test]
        fn an_extension_never_exceeds_the_cap(start in 0i64..1500, extra in 0i64..120) {
            let cal = Calendar::builtin();
            let terms = Terms::default();
            let c = Clock { calendar: &cal, week: WorkWeek::FiveDay, terms: &terms };
            let reg = cal.next_working_day_on_or_after(d("2025-01-01") + Duration::days(start), WorkWeek::FiveDay);
            let due = c.due_date(Form::Application, false, reg);
            let new_due = due + Duration::days(extra);
            if c.check_extension(reg, due, new_due).is_ok() {
                prop_assert!(new_due <= reg + Months::new(2));
                prop_assert!(cal.is_working_day(new_due, WorkWeek::FiveDay));
            }
        }

        #[test]
        fn registration_is_never_before_arrival_and_always_a_working_day(ms in 1_735_000_000_000i64..1_800_000_000_000i64) {
            let cal = Calendar::builtin();
            let terms = Terms::default();
            let c = Clock { calendar: &cal, week: WorkWeek::FiveDay, terms: &terms };
            let reg = c.registration_date(ms);
            prop_assert!(reg >= c.local_date(ms));
            prop_assert!(cal.is_working_day(reg, WorkWeek::FiveDay));
        }
    }
}
