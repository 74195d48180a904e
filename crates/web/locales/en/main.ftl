# Tyndau pages — English. Keys are the same in kk/main.ftl and ru/main.ftl (a test checks it).

## Layout
skip-to-content = Skip to main content
brand-tagline = the state that listens
nav-language = Language
nav-main = Main menu
nav-new-appeal = Submit an appeal
nav-petitions = Petitions
nav-statistics = Statistics
nav-my-appeals = My appeals
nav-my-signatures = My signatures
nav-queue = Appeals queue
nav-moderation = Moderation
nav-overview = Overview
nav-sign-in = Sign in
nav-sign-out = Sign out
footer-about = Tyndau is the single window for appeals to government bodies of the Republic of Kazakhstan: every appeal is registered, answered within the statutory term, and counted.
footer-api = API for developers
footer-open-data = Open data
yes = Yes
no = No

## Notices after an action
notice-signed-in = You are signed in.
notice-signed-out = You are signed out.
notice-appeal-registered = Your appeal is registered. Keep the registration number.
notice-complaint-registered = Your complaint is registered with the superior body.
notice-petition-drafted = The petition is saved as a draft. Read it again and submit it for moderation.
notice-done-assign = The appeal is taken into review.
notice-done-forward = The appeal is forwarded to the competent body.
notice-done-extend = The term is extended; the applicant is notified.
notice-done-answer = The answer is sent to the applicant.
notice-done-rate = Thank you: your rating is recorded.
notice-done-complain = Your complaint is registered.
notice-done-close = The appeal is closed.
notice-done-leave = The appeal is left without consideration.
notice-done-escalate = The appeal is escalated to the superior body.
notice-petition-submit = The petition is submitted for moderation.
notice-petition-take = You have taken the petition for moderation.
notice-petition-admit = The petition is admitted; signatures can be collected.
notice-petition-reject = The petition is rejected; the author sees the reason.
notice-petition-sign = Your signature is counted.

## Errors
error-title = Something went wrong
error-not-found = Page not found
error-forbidden = You may not open this page
error-home = Go to the home page
form-errors-title = There is a problem
err-generic = The request could not be completed
err-bad_request = The request could not be read.
err-method_not_allowed = This address does not take that kind of request.
err-invalid_login = A staff login has 1 to 64 characters, with at least one letter.
err-invalid_character = The text holds a character that cannot be stored (NUL, U+0000).
err-invalid_cursor = The list's position is not valid: start from the first page.
err-nothing_to_change = Change at least one of the title, the text and the proposals.
err-internal = An internal error occurred. It has been logged; please try again later.
err-csrf_failed = The form has expired. Go back, reload the page and send it again.
err-malformed_form = The form could not be read.
err-payload_too_large = The form is too large.
err-invalid_credentials = The login or password is wrong.
err-not_a_number = Enter a number, for example 43.2389.
err-point_needs_both = Enter both the latitude and the longitude, or neither.
err-choose_category = Choose what the appeal is about.
err-empty_text = Write the text of your appeal.
err-appeal_not_found = There is no such appeal, or you may not see it.
err-petition_not_found = There is no such petition, or it is not published.
err-page_not_found = There is no page at this address.
err-unknown_language = This language is not available.
err-forbidden = You are not allowed to do this.
err-unauthenticated = Sign in first.
err-invalid_transition = This action is not possible at the appeal's current stage.
err-concurrent_modification = Someone else changed this at the same moment. Reload the page and try again.
err-text_too_long = The text is too long.
err-too_long = The text is too long.
err-empty_field = This field must not be empty.
err-missing_field = This field is required.
err-invalid_value = This value is not allowed.
err-invalid_kato = Choose a place from the list.
err-unknown_territory = Choose a place from the list.
err-category_not_specific = Choose a subcategory: this is a group of topics.
err-unknown_category = Choose what the appeal is about.
err-unknown_organisation = Choose a body from the list.
err-no_route = No body is competent for this category in this place; choose another place or category.
err-invalid_location = The latitude must be between −90 and 90 and the longitude between −180 and 180.
err-invalid_iin = This is not a valid IIN: check the 12 digits.
err-iin_taken = An account with this IIN already exists. Sign in instead.
err-weak_password = The password must have at least 10 characters.
err-invalid_name = Enter your full name (1 to 200 characters).
err-invalid_email = This is not a valid e-mail address.
err-invalid_date = Enter the date as YYYY-MM-DD.
err-invalid_score = Choose a score from 1 to 5.
err-invalid_rating = Choose a score from 1 to 5.
err-due_date_not_working_day = The new due date must be a working day.
err-extension_exceeds_cap = The term cannot exceed two months from registration.
err-extension_not_later = The new due date must be later than the current one.
err-complaint_window_expired = The three months for a complaint have passed. Give a good reason to restore the term.
err-same_organisation = The appeal is already with this body.
err-no_superior_body = This body has no superior body.
err-invalid_assignee = This person cannot be assigned.
err-idempotency_key_reused = This form was already sent with a different text. Reload the page.
err-already_signed = You have already signed this petition.
err-petition_not_open = This petition is not collecting signatures.
err-rate_limited = Too many signatures from your network. Try again in a minute.
err-unknown_subject = Choose a ground from the list.
err-status_not_public = Petitions at this stage are not published.
err-already_reported = You have already reported this comment.
err-calendar_day_not_found = There is no such entry in the calendar.
err-comment_not_found = There is no such comment.
err-invalid_attachment = An attachment is not valid.
err-invalid_bin = This is not a valid BIN: check the 12 digits.
err-invalid_idempotency_key = The form's key is not valid. Reload the page.
err-invalid_ip_range = This is not a valid address range.
err-invalid_query = The search parameters are not valid.
err-invalid_time = Enter a valid date and time.
err-invalid_token = Your session has ended. Sign in again.
err-invalidation_not_found = There is no such invalidation.
err-malformed_json = The request could not be read.
err-no_longer_due = This step is no longer due.
err-not_allowed = This is not allowed for your role.
err-route_not_found = There is no such address in the API.
err-subject_not_found = There is no such ground in the list.
err-too_many_attachments = At most 20 attachments.
err-unknown_comment = There is no such comment.
err-unsupported_media_type = The request has the wrong format.

## Home
home-title = Tell the state what matters to you
home-lead = Submit an appeal to any government body, follow it until you get an answer, sign petitions and see what the state hears.
home-appeal-title = Submit an appeal
home-appeal-text = An application, complaint, proposal or request. It is registered at once and must be answered within { $nf } working days.
home-follow-title = Follow my appeals
home-follow-text = See where your appeal is, who handles it and when the answer is due; rate the answer or complain.
home-petitions-title = Petitions
home-petitions-text = Propose a change; at { $nf } signatures the body must review it and publish its decision.
home-stats-title = Statistics
home-stats-text = How many appeals the state receives, on what, where, and how many are answered on time.
home-petitions-now = Petitions collecting signatures

## Sign-in and registration
login-title = Sign in
login-login = Login or IIN
login-login-hint = Citizens sign in with their IIN (12 digits); officials with their login.
login-password = Password
login-submit = Sign in
login-no-account = No account yet?
login-register-link = Create one with your IIN
register-title = Create an account
register-lead = Your IIN identifies you to the body that answers; it is never shown to others.
register-iin = IIN
register-iin-hint = The 12-digit individual identification number.
register-full-name = Full name (surname first)
register-email = E-mail (optional)
register-password = Password
register-password-hint = At least 10 characters.
register-submit = Create account

## Submitting an appeal
new-appeal-title = Submit an appeal
new-appeal-lead = Say what happened and what you ask for. The body competent for the subject and place receives it.
new-appeal-sign-in-first = To get answers in your name, sign in first. You may also submit anonymously.
new-appeal-submit = Submit the appeal
field-form = Kind of appeal
field-form-hint = A complaint is about a violated right; a request asks for information; a proposal suggests an improvement.
field-category = Subject
field-choose = — choose —
field-territory = Place
field-territory-hint = Where the problem is: the district or city.
field-point = Point on the map (optional)
field-point-hint = Coordinates in decimal degrees, for example 43.2389 and 76.8897.
field-lat = Latitude
field-lon = Longitude
field-language = Language of the appeal
field-text = Text of the appeal
field-text-hint = { $n ->
    [one] At most { $nf } character.
   *[other] At most { $nf } characters.
}
field-anonymous = Submit anonymously
field-anonymous-hint = An anonymous appeal is registered but not considered, unless it reports a crime or a threat to public security.
field-reports-crime = It reports a crime or a threat to public security
appeal-lang-auto = The language of my text
appeal-lang-kk = Kazakh
appeal-lang-en = English
appeal-lang-ru = Russian
appeal-lang-other = Another language
form-application = Application
form-complaint = Complaint
form-proposal = Proposal
form-request = Request for information
form-response = Response
form-report = Report
channel-web = the website
channel-api = the API
channel-call_centre_1414 = the 1414 call centre
channel-reception_centre = a reception centre
channel-social_network = a social network
channel-paper = paper

## Ticket
ticket-title = Your appeal is registered
ticket-lead = This is your ticket. Print it or keep the registration number: with it you can follow the appeal.
ticket-reg-no = Registration number
ticket-number = Ticket
ticket-registered = Registered
ticket-org = Handled by
ticket-due = Answer due by
ticket-accepted-by = Accepted by
ticket-anonymous = This appeal is anonymous: it cannot be opened later. Keep this page.
ticket-follow = Follow this appeal

## My appeals and one appeal
my-appeals-title = My appeals
my-appeals-none = You have not submitted any appeal yet.
col-reg-no = Number
col-registered = Registered
col-org = Body
col-status = Status
col-due = Due
col-name = Name
appeal-title = Appeal
appeal-from-channel = received through
appeal-addressee = Addressed to
appeal-applicant = Applicant
appeal-anonymous = Anonymous
appeal-answer = Answer
appeal-rating = Rating
appeal-leave-reason = Left without consideration because
appeal-extended-from = extended from
appeal-actions = What can be done now
appeal-timeline = History
appeal-ticket-link = Show the ticket
status-registered = Registered
status-forwarded = Forwarded
status-in_review = In review
status-extended = Term extended
status-answered = Answered
status-rated = Rated
status-complained = Complained about
status-closed = Closed
status-not_considered = Not considered
status-left_without_consideration = Left without consideration
event-register = Registered
event-assign = Taken into review
event-forward = Forwarded
event-extend = Term extended
event-answer = Answered
event-rate = Rated
event-complain = Complaint filed
event-close = Closed
event-not_consider = Not considered (anonymous)
event-leave_without_consideration = Left without consideration
event-mark_overdue = Term missed
event-remind = Reminder sent
event-escalate = Escalated
event-mark_repeated = Marked as repeated
role-citizen = applicant
role-official = official
role-head = head of the body
role-supervisor = supervisor
role-administrator = administrator
role-system = Tyndau
leave-no_substance = it has no substance
leave-withdrawn_by_applicant = the applicant withdrew it
leave-already_answered_same_issue = the same issue was already answered
leave-obscene_or_threatening = it is obscene or threatening
leave-court_decision_exists = a court has decided the matter
score-1 = very bad
score-2 = bad
score-3 = fair
score-4 = good
score-5 = very good
action-assign = Take into review
action-assign-hint = You become the official handling this appeal.
action-answer = Send the answer
action-answer-text = Answer
action-answer-hint = State the facts, the legislation relied on, and how the decision can be challenged.
action-forward = Forward to another body
action-forward-org = Competent body
action-extend = Extend the term
action-extend-date = New due date
action-extend-hint = { $n ->
    [one] A working day, at most { $n } month after registration. The applicant is notified.
   *[other] A working day, at most { $n } months after registration. The applicant is notified.
}
action-close = Close the appeal
action-leave = Leave without consideration
action-escalate = Escalate to the superior body
action-rate = Rate the answer
action-complain = Complain about the answer
action-complain-hint = { $n ->
    [one] The complaint goes to the superior body. You may complain within { $n } month.
   *[other] The complaint goes to the superior body. You may complain within { $n } months.
}
action-complain-text = Your complaint
action-reason = Reason
action-reason-optional = Reason (optional)
action-comment = Comment (optional)

## Officials
queue-title = Appeals queue
queue-count = { $n ->
    [one] { $nf } appeal
   *[other] { $nf } appeals
}
queue-overdue-count = { $nf } overdue
queue-near-count = { $nf } due soon
queue-open = Awaiting an answer
queue-all = All
queue-only-overdue = Overdue only
queue-filter = Apply filters
queue-empty = No appeals match.
queue-overdue = Overdue
queue-near = Due soon
overview-title = Overview across bodies
overview-by-org = By body
moderation-title = Petitions awaiting moderation
moderation-lead = Admit or reject each petition within { $nf } working days of its submission.
moderation-empty = No petitions await moderation.

## Petitions
petitions-title = Petitions
petitions-lead = A petition that collects enough signatures must be reviewed by the body it is addressed to, which then publishes its decision.
petitions-create = Start a petition
petitions-search = Search petitions
petitions-search-button = Search
petitions-found = { $n ->
    [one] { $nf } petition
   *[other] { $nf } petitions
}
signatures-count = { $n ->
    [one] { $nf } signature
   *[other] { $nf } signatures
}
petition-to = Petition to
petition-author = Author
petition-signed = You have signed this petition.
petition-sign = Sign this petition
petition-sign-hint = You sign once, in your own name; others see only your first name and initial.
petition-sign-in-to-sign = Sign in to sign
petition-progress = { $n }% of the signatures needed
petition-signatures = Signatures
petition-submitted = Submitted
petition-moderation-due = Moderation due by
petition-link-only-due = First 50 signatures due by
petition-collection-ends = Collection ends
petition-review-due = Decision due by
petition-text = What the petition is about
petition-text-hint = Describe the problem and your arguments.
petition-proposals = What it proposes
petition-decision = Decision of the body
petition-rejected-because = Rejected because
petition-submit-title = Submit for moderation
petition-submit-hint = Once submitted, the petition cannot be edited. Moderation takes up to { $nf } working days.
petition-submit = Submit for moderation
petition-take = Take for moderation
petition-admit = Admit
petition-admit-hint = The petition is published by link until its first 50 signatures, then to everyone.
petition-reject = Reject
petition-reject-subject = Ground
petition-reject-other = Another ground (state it below)
petition-by-region = Signatures by region
petition-new-title = Start a petition
petition-new-lead = Address your petition to the body that can decide on it. It stays a draft until you submit it.
petition-title-field = Title
petition-addressee = Addressed to
petition-save-draft = Save the draft
pstatus-draft = Draft
pstatus-submitted = Submitted
pstatus-in_moderation = In moderation
pstatus-rejected = Rejected
pstatus-link_only = Collecting (by link)
pstatus-lapsed = Lapsed
pstatus-collecting = Collecting signatures
pstatus-expired = Expired
pstatus-threshold_reached = Threshold reached
pstatus-under_review = Under review
pstatus-decision_published = Decision published
pstatus-closed = Closed
decision-supported = Supported
decision-partly_supported = Partly supported
decision-not_supported = Not supported
my-signatures-title = My signatures
my-signatures-none = You have not signed any petition yet.
my-signatures-signed = Signed
my-signatures-counted = Counted

## Statistics
stats-title = What the state hears
stats-lead = Every appeal registered in Tyndau is counted here, by month, place, subject, kind, channel and language, with the share answered on time.
stats-total = Appeals
stats-answered = Answered
stats-on-time = Answered on time
stats-open = Awaiting an answer
stats-overdue = Overdue
stats-by-month = Appeals by month
stats-by-region = Appeals by region
stats-by-category = Appeals by subject
stats-by-form = Appeals by kind
stats-by-channel = Appeals by channel
stats-by-language = Appeals by language
stats-region = Region
stats-unknown = Not stated
stats-as-table = Show as a table
stats-petitions = Petitions
stats-petitions-public = Published petitions
stats-petitions-by-status = Petitions by stage
stats-open-data = Open data
stats-od-petitions = All published petitions
stats-od-daily = Signatures per petition per day
stats-od-appeals = Appeal statistics by month, region, subject, kind, channel, language and body
stats-od-json = The same figures for programs
petition-working-group = Working group
petition-working-group-form = Form the working group
petition-members = Members besides the author
petition-members-hint = One a line: name — position. The author is always a member.
petition-working-group-save = Save the working group
petition-decide = Publish the decision
petition-decision-reasons = Reasons (published)
petition-close = Close the petition
notice-petition-working-group = The working group is recorded; the author is a member.
notice-petition-decision = The decision is published.
notice-petition-close = The petition is closed.
nav-serial = Serial applicants
serial-title = Serial applicants
serial-lead = How many of the period's appeals came from the most active applicants. Applicants are shown as pseudonyms; their appeals stay readable only to those who handle them.
serial-from = From
serial-to = To
serial-applicants = Applicants
serial-top-0-1 = Sent by the top 0.1 %
serial-top-1 = Sent by the top 1 %
serial-leaders = The most active applicants
serial-pseudonym = Applicant (pseudonym)
serial-applicant-title = Applicant
serial-applicant-lead = Their appeals of the period, earliest first. The applicant stays a pseudonym; this read is recorded in the audit log.
serial-applicant-appeals = Appeals of the period
serial-repeated = repeated
err-invalid_period = The period starts after it ends.

## transparency
tr-link = Transparency index of the bodies: who answers on time
tr-title = Transparency index of the bodies
tr-lead = How each government body handles citizens' appeals, measured every day from the real handling data: answers on time, working days to answer, extensions, late forwarding, citizens' ratings, complaints and repeated appeals. Compare bodies within a region and a level.
tr-region = Region
tr-all-regions = All regions
tr-level = Level of body
tr-all-levels = All levels
tr-computed-for = Computed for
tr-window-from = appeals registered from
tr-not-computed = The index has not been computed yet.
tr-ranking = Ranking of the bodies
tr-rank = Rank
tr-body = Body
tr-appeals = Appeals
tr-score = Score (0–100)
tr-no-data = No data: too few appeals in the period to rank the body.
tr-no-value = —
tr-methodology = Methodology
tr-method-window = Period: appeals registered in the last N days, N =
tr-method-min = A body is ranked only with at least this many appeals:
tr-method-score = Each component is scaled from 0 (its worst value) to 1 (its best value); the score is 100 times the weighted mean of the components. A component that cannot be measured (no answer yet, no rating) is left out and the weights of the others are scaled up. A late forward counts against the body that forwarded the appeal.
tr-method-table = Components, their weights and bounds
tr-component = Component
tr-weight = Weight
tr-best = Best (1)
tr-worst = Worst (0)
tr-definition = What is measured
tr-method-version = Methodology version
tr-level-central = Central bodies
tr-level-oblast_akimat = Regional akimats
tr-level-oblast_maslikhat = Regional maslikhats
tr-level-district_akimat = District akimats
tr-level-district_maslikhat = District maslikhats
tr-level-other = Other bodies
tr-c-on_time = On time
tr-c-median_working_days = Median working days
tr-c-extended = Extended
tr-c-forwarded_late = Forwarded late
tr-c-rating = Average rating
tr-c-complaints = Complained about
tr-c-repeated = Repeated
tr-d-on_time = Share of appeals answered on or before the due date, among those answered and those still unanswered after it.
tr-d-median_working_days = Median number of working days from registration to the answer, in the body's working week.
tr-d-extended = Share of appeals whose review term was extended.
tr-d-forwarded_late = Share of appeals the body forwarded to the competent body later than 3 working days after registration.
tr-d-rating = Citizens' average rating of the answers, from 1 to 5.
tr-d-complaints = Share of appeals complained about to the superior body.
tr-d-repeated = Share of repeated appeals: the same applicant on the same subject again.
err-invalid_region = Choose a region from the list.
err-invalid_org_level = Choose a level of body from the list.

## similarity
nav-campaigns = Campaigns
similar-title = Similar appeals
similar-count = { $n ->
    [one] { $nf } similar appeal
   *[other] { $nf } similar appeals
}
similar-group-size = { $n ->
    [one] { $nf } appeal in the group
   *[other] { $nf } appeals in the group
}
similar-pending = This appeal has not been compared with others yet. Reload the page in a moment.
similar-none = None of the similar appeals is yours to see.
similar-similarity = Similarity
similar-answer-group = Answer the group
similar-answer-group-hint = Every appeal of the group that you may answer receives this answer, each journaled and notified as a single answer. The others are skipped, with the reason.
similar-answered = { $n ->
    [one] { $nf } appeal answered
   *[other] { $nf } appeals answered
}
similar-skipped = { $n ->
    [one] { $nf } skipped
   *[other] { $nf } skipped
}
campaigns-title = Mass campaigns
campaigns-lead = Groups of near-identical appeals — the same text sent by many people — registered in the period, largest first.
campaigns-min-size = Smallest group
campaigns-none = No group of this size in the period.
campaigns-earliest = Earliest appeal
campaigns-size = Appeals
campaigns-first = First
campaigns-last = Last
campaigns-orgs = Bodies handling them
campaigns-open = All appeals of the group
err-similarity_pending = The appeal has not been compared with others yet. Try again in a moment.

## hotspots and sensitive appeals
nav-hotspots = Hotspots
nav-sensitive = Sensitive appeals
hot-title = Problem hotspots
hot-lead = { $n ->
    [one] Districts and places where appeals on one subject rose well above their own usual level: each week is compared with the { $nf } week before it.
   *[other] Districts and places where appeals on one subject rose well above their own usual level: each week is compared with the { $nf } weeks before it.
}
hot-as-of = As of
hot-none = Nothing stands out: no district or place has appeals well above its usual level this week or last week.
hot-table = The hottest now, hottest first
hot-area = District or place
hot-week = Week from
hot-count = Appeals
hot-expected = Usual per week
hot-score = Score
hot-appeals = Appeals behind it
hot-open = Show the appeals
hot-kind-cluster = Cluster
hot-cells = { $n ->
    [one] { $nf } square of about 1 km
   *[other] { $nf } squares of about 1 km
}
hot-method-title = How hotspots are found
hot-method = Appeals are counted per week for every district and subject, and for every square of about one kilometre with a map point. A week's count is compared with the same series' average of the previous weeks, allowing for how much that series usually varies: a district that always has many road complaints is not hot, a sudden rise is. Neighbouring squares that are all busy are joined into one cluster.
hot-appeals-title = Appeals behind the hotspot
hot-place = Place
hot-org = Body
hot-text = Text
sens-title = Sensitive appeals
sens-lead = Appeals about threats to life and health, children in danger, heating, water or power cut off in winter, corruption and mass events, flagged when they are registered, newest first. They need priority control.
sens-tag = Sensitive
sens-topic = Topic
sens-because = Flagged by
sens-received = Received
sens-include-closed = Include answered and closed appeals
sens-none = No open sensitive appeals.
sens-terms-title = Lexicon of sensitive terms
sens-terms-lead = The words and phrases that flag an appeal as sensitive. Each word matches every word that starts with it, so "threat" also matches "threats"; the words of a phrase may have up to two other words between them. A change applies to appeals registered from then on.
sens-terms-count = { $n ->
    [one] { $nf } term
   *[other] { $nf } terms
}
sens-term = Term
sens-term-hint = One to five words, each of at least three letters.
sens-add = Add the term
sens-remove = Remove
notice-term-added = The term was added.
notice-term-removed = The term was removed.
topic-life_health = Threat to life and health
topic-children = Children
topic-utilities_winter = Utilities cut off in winter
topic-corruption = Corruption
topic-mass_events = Mass events
err-invalid_cell = The map squares are not valid.
err-missing_area = Choose a district or a place on the map.
err-empty_term = Enter a term.
err-term_too_short = A term needs a word of at least three letters, and every word at least two.
err-unknown_pseudonym = No applicant of the period's list has this pseudonym.
err-term_too_long = A term has at most five words.
err-duplicate_term = This term is already in the lexicon.
err-term_not_found = There is no such term.

## hidden public services
nav-hidden = Hidden services
hidden-title = Hidden public services
hidden-lead = Applications that keep asking for the same thing although no registered public service covers it: candidates for a new service, or for adding an old one to the registry. Applications of the period are grouped by what they ask for; a group is listed when no service covers at least half of it.
hidden-min-volume = At least this many applications
hidden-registry = { $n ->
    [one] The registry holds { $nf } public service
   *[other] The registry holds { $nf } public services
}
hidden-none = Every recurring application of the period is covered by a registered service.
hidden-table = Recurring applications without a service, largest first
hidden-terms = What they ask for
hidden-volume = Applications
hidden-sample = The newest one
hidden-examples = Examples
hidden-computed = Computed at
hidden-stored = in the background for every reader: it is recomputed each day and after each change to the registry.
hidden-on-request = for this request (only the standard periods ending today are computed in the background).
hidden-stale = The registry has changed or a new day has begun since this report was computed: a new one is being computed. Reload the page in a minute.
hidden-applications = { $n ->
    [one] { $nf } application of the period was read.
   *[other] { $nf } applications of the period were read.
}
services-title = Registry of public services
services-lead = The public services a citizen can apply for. A service covers applications of its subject that contain one of its keyword phrases.
services-count = { $n ->
    [one] { $nf } service
   *[other] { $nf } services
}
services-name = Service
services-keywords = Keyword phrases
services-keywords-hint = Phrases separated by ";", each word matching the words that start with it, e.g. "справк состав семь; family certificate". Empty: every application of the subject.
services-add-title = Register a service
services-id = Code
services-id-hint = Lower-case Latin letters, digits, "-" or ".", e.g. family-certificate.
services-name-kk = Name in Kazakh
services-name-ru = Name in Russian
services-name-en = Name in English
services-add = Register the service
notice-service-added = The service was registered.
notice-service-removed = The service was removed from the registry.
err-keyword_too_short = Every word of a keyword phrase needs at least three letters.
err-no_keyword_phrase = The keywords hold no phrase: write words separated by ';', or leave them empty.
err-service_covers_everything = A service needs a category or keywords: one with neither would cover every application.
err-duplicate_service = A service with this code is already registered.
err-service_not_found = There is no such service.
err-invalid_service_id = Use lower-case Latin letters, digits, "-" or "." for the code.

## learned classification and routing
field-category-auto = Not sure: let Tyndau suggest
advice-title = Classification and competent body
advice-category = The classifier suggests
advice-not-sure = not sure enough to fill it in by itself
advice-no-model = No classifier has been trained yet: it learns from the categories officials confirm and correct.
advice-set-category = The appeal's category
advice-set-category-hint = Saving the same category confirms it, another one corrects it; either way the classifier learns from it.
advice-save-category = Confirm or correct
advice-rule-org = By the routing rules
advice-model-org = Learned from how similar appeals were answered
advice-advised-org = Advised
advised-by-rules = by the routing rules
advised-by-model = the learned routing is confident and differs from the rules
advised-by-both = the rules and the learned routing agree
notice-done-category-confirmed = The category is confirmed.
notice-done-category-corrected = The category is corrected.
event-classify = Category confirmed or corrected
err-period_too_long = The period is too long: choose at most a year.
err-training_in_progress = A training is running; try again when it has finished.
err-category_locked = The appeal is answered or closed: its category stays as it was answered.
err-category_changes_term = This category has another review term and the term was extended: register the appeal anew or forward it.
## similarity: picking the appeals of a group answer, pages of the list
similar-select = Answer
similar-select-this = Also answer this appeal
similar-select-hint = The ticked appeals receive the answer. Appeals whose text is not close enough to this appeal's are not ticked: they are in the group only through other appeals.
similar-page = Page { $nf }
similar-page-prev = Previous page
similar-page-next = Next page
err-not_similar_enough = The text is not close enough to this appeal's.
err-over_limit = Beyond the 500 answers of one request: send the answer again for the rest.
appeal-answer-language = Language of the answer
appeal-text-language = language of the text
event-category-by-classifier = category chosen by the classifier, confidence
