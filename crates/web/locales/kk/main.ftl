# Tyndau беттері — қазақша. Кілттер en/main.ftl және ru/main.ftl файлдарындағымен бірдей (мұны тест тексереді).

## Макет
skip-to-content = Негізгі мазмұнға өту
brand-tagline = халық үнін еститін мемлекет
nav-language = Тіл
nav-main = Басты мәзір
nav-new-appeal = Өтініш беру
nav-petitions = Петициялар
nav-statistics = Статистика
nav-my-appeals = Менің өтініштерім
nav-my-signatures = Менің қолтаңбаларым
nav-queue = Өтініштер кезегі
nav-moderation = Модерация
nav-overview = Шолу
nav-sign-in = Кіру
nav-sign-out = Шығу
footer-about = Tyndau — Қазақстан Республикасының мемлекеттік органдарына өтініш берудің бірыңғай терезесі: әрбір өтініш тіркеледі, заңда белгіленген мерзімде қаралады және есепке алынады.
footer-api = Әзірлеушілерге арналған API
footer-open-data = Ашық деректер
yes = Иә
no = Жоқ

## Әрекеттен кейінгі хабарлар
notice-signed-in = Сіз кірдіңіз.
notice-signed-out = Сіз шықтыңыз.
notice-appeal-registered = Өтінішіңіз тіркелді. Тіркеу нөмірін сақтаңыз.
notice-complaint-registered = Шағымыңыз жоғары тұрған органда тіркелді.
notice-petition-drafted = Петиция жоба ретінде сақталды. Оны қайта оқып, модерацияға жіберіңіз.
notice-done-assign = Өтініш қарауға алынды.
notice-done-forward = Өтініш құзыретті органға жіберілді.
notice-done-extend = Мерзім ұзартылды; өтініш берушіге хабарланды.
notice-done-answer = Жауап өтініш берушіге жіберілді.
notice-done-rate = Рақмет: бағаңыз есепке алынды.
notice-done-complain = Шағымыңыз тіркелді.
notice-done-close = Өтініш жабылды.
notice-done-leave = Өтініш қараусыз қалдырылды.
notice-done-escalate = Өтініш жоғары тұрған органға берілді.
notice-petition-submit = Петиция модерацияға жіберілді.
notice-petition-take = Сіз петицияны модерацияға алдыңыз.
notice-petition-admit = Петицияға рұқсат берілді; қолтаңба жинауға болады.
notice-petition-reject = Петиция қабылданбады; автор себебін көреді.
notice-petition-sign = Қолтаңбаңыз есепке алынды.

## Қателер
error-title = Бірдеңе дұрыс болмады
error-not-found = Бет табылмады
error-forbidden = Бұл бетті ашуға рұқсатыңыз жоқ
error-home = Басты бетке
form-errors-title = Қателер бар
err-generic = Сұрау орындалмады
err-bad_request = Сұранысты оқу мүмкін болмады.
err-method_not_allowed = Бұл мекенжай мұндай сұранысты қабылдамайды.
err-invalid_login = Қызметкер логині 1–64 таңбадан тұрады, кемінде бір әріп болуы керек.
err-invalid_character = Мәтінде сақтауға болмайтын таңба бар (NUL, U+0000).
err-invalid_cursor = Тізімдегі орын жарамсыз: бірінші беттен бастаңыз.
err-nothing_to_change = Атауын, мәтінін немесе ұсыныстарын — кемінде біреуін өзгертіңіз.
err-internal = Ішкі қате орын алды. Ол журналға жазылды; кейінірек қайталап көріңіз.
err-csrf_failed = Форманың мерзімі өтті. Артқа қайтып, бетті жаңартып, қайта жіберіңіз.
err-malformed_form = Форманы оқу мүмкін болмады.
err-payload_too_large = Форма тым үлкен.
err-invalid_credentials = Логин немесе құпиясөз қате.
err-not_a_number = Сан енгізіңіз, мысалы 43.2389.
err-point_needs_both = Ендікті де, бойлықты да көрсетіңіз немесе екеуін де бос қалдырыңыз.
err-choose_category = Өтініштің тақырыбын таңдаңыз.
err-empty_text = Өтініштің мәтінін жазыңыз.
err-appeal_not_found = Мұндай өтініш жоқ немесе оны көруге рұқсатыңыз жоқ.
err-petition_not_found = Мұндай петиция жоқ немесе ол жарияланбаған.
err-page_not_found = Бұл мекенжайда бет жоқ.
err-unknown_language = Бұл тіл қолжетімсіз.
err-forbidden = Бұл әрекетке рұқсатыңыз жоқ.
err-unauthenticated = Алдымен кіріңіз.
err-invalid_transition = Бұл әрекет қазіргі кезеңде мүмкін емес.
err-concurrent_modification = Біреу мұны сізбен бір мезгілде өзгертті. Бетті жаңартып, қайталаңыз.
err-text_too_long = Мәтін тым ұзын.
err-too_long = Мәтін тым ұзын.
err-empty_field = Бұл өріс бос болмауы керек.
err-missing_field = Бұл өрісті толтыру міндетті.
err-invalid_value = Бұл мәнге рұқсат жоқ.
err-invalid_kato = Тізімнен орынды таңдаңыз.
err-unknown_territory = Тізімнен орынды таңдаңыз.
err-category_not_specific = Тақырыптың ішкі түрін таңдаңыз: бұл тақырыптар тобы.
err-unknown_category = Өтініштің тақырыбын таңдаңыз.
err-unknown_organisation = Тізімнен органды таңдаңыз.
err-no_route = Бұл жерде бұл тақырып бойынша құзыретті орган жоқ; басқа орынды немесе тақырыпты таңдаңыз.
err-invalid_location = Ендік −90 мен 90 аралығында, бойлық −180 мен 180 аралығында болуы керек.
err-invalid_iin = Бұл жарамды ЖСН емес: 12 цифрды тексеріңіз.
err-iin_taken = Бұл ЖСН-мен тіркелгі бар. Кіріңіз.
err-weak_password = Құпиясөзде кемінде 10 таңба болуы керек.
err-invalid_name = Толық атыңызды енгізіңіз (1-ден 200 таңбаға дейін).
err-invalid_email = Бұл жарамды электрондық пошта мекенжайы емес.
err-invalid_date = Күнді ЖЖЖЖ-АА-КК түрінде енгізіңіз.
err-invalid_score = 1-ден 5-ке дейін баға таңдаңыз.
err-invalid_rating = 1-ден 5-ке дейін баға таңдаңыз.
err-due_date_not_working_day = Жаңа мерзім жұмыс күніне келуі керек.
err-extension_exceeds_cap = Мерзім тіркелген күннен бастап екі айдан аспауы керек.
err-extension_not_later = Жаңа мерзім қазіргіден кейін болуы керек.
err-complaint_window_expired = Шағым беруге арналған үш ай өтті. Мерзімді қалпына келтіру үшін дәлелді себепті көрсетіңіз.
err-same_organisation = Өтініш қазірдің өзінде осы органда.
err-no_superior_body = Бұл органның жоғары тұрған органы жоқ.
err-invalid_assignee = Бұл қызметкерді тағайындауға болмайды.
err-idempotency_key_reused = Бұл форма басқа мәтінмен жіберілген. Бетті жаңартыңыз.
err-already_signed = Сіз бұл петицияға қол қойып қойғансыз.
err-petition_not_open = Бұл петиция қолтаңба жинамайды.
err-rate_limited = Желіңізден қолтаңба тым көп. Бір минуттан кейін қайталаңыз.
err-unknown_subject = Тізімнен негізді таңдаңыз.
err-status_not_public = Бұл кезеңдегі петициялар жарияланбайды.
err-already_reported = Сіз бұл пікірге шағымданып қойғансыз.
err-calendar_day_not_found = Күнтізбеде мұндай жазба жоқ.
err-comment_not_found = Мұндай пікір жоқ.
err-invalid_attachment = Тіркеме жарамсыз.
err-invalid_bin = Бұл жарамды БСН емес: 12 цифрды тексеріңіз.
err-invalid_idempotency_key = Форма кілті жарамсыз. Бетті жаңартыңыз.
err-invalid_ip_range = Бұл жарамды мекенжай ауқымы емес.
err-invalid_query = Іздеу параметрлері жарамсыз.
err-invalid_time = Дұрыс күн мен уақытты енгізіңіз.
err-invalid_token = Сеансыңыз аяқталды. Қайта кіріңіз.
err-invalidation_not_found = Мұндай күшін жою жоқ.
err-malformed_json = Сұрауды оқу мүмкін болмады.
err-no_longer_due = Бұл қадам енді қажет емес.
err-not_allowed = Бұл сіздің рөліңізге рұқсат етілмеген.
err-route_not_found = API-да мұндай мекенжай жоқ.
err-subject_not_found = Тізімде мұндай негіз жоқ.
err-too_many_attachments = Ең көбі 20 тіркеме.
err-unknown_comment = Мұндай пікір жоқ.
err-unsupported_media_type = Сұрау пішімі қате.

## Басты бет
home-title = Сіз үшін не маңызды екенін мемлекетке айтыңыз
home-lead = Кез келген мемлекеттік органға өтініш беріңіз, жауап алғанша бақылаңыз, петицияларға қол қойыңыз және мемлекет не еститінін көріңіз.
home-appeal-title = Өтініш беру
home-appeal-text = Өтініш, шағым, ұсыныс немесе сұрау салу. Ол бірден тіркеледі, жауап { $nf } жұмыс күні ішінде берілуі тиіс.
home-follow-title = Менің өтініштерім
home-follow-text = Өтінішіңіз қай жерде, оны кім қарап жатыр және жауап мерзімі қашан; жауапты бағалаңыз немесе шағымданыңыз.
home-petitions-title = Петициялар
home-petitions-text = Өзгеріс ұсыныңыз; { $nf } қолтаңба жиналса, орган оны қарап, шешімін жариялауға міндетті.
home-stats-title = Статистика
home-stats-text = Мемлекет қанша өтініш алады, не туралы, қайдан және олардың қаншасы мерзімінде қаралады.
home-petitions-now = Қолтаңба жинап жатқан петициялар

## Кіру және тіркелу
login-title = Кіру
login-login = Логин немесе ЖСН
login-login-hint = Азаматтар ЖСН (12 цифр) арқылы, қызметкерлер логин арқылы кіреді.
login-password = Құпиясөз
login-submit = Кіру
login-no-account = Тіркелгіңіз әлі жоқ па?
login-register-link = ЖСН арқылы жасаңыз
register-title = Тіркелгі жасау
register-lead = ЖСН сізге жауап беретін органға қажет; ол басқаларға көрсетілмейді.
register-iin = ЖСН
register-iin-hint = 12 цифрдан тұратын жеке сәйкестендіру нөмірі.
register-full-name = Толық аты-жөні (алдымен тегі)
register-email = Электрондық пошта (міндетті емес)
register-password = Құпиясөз
register-password-hint = Кемінде 10 таңба.
register-submit = Жасау

## Өтініш беру
new-appeal-title = Өтініш беру
new-appeal-lead = Не болғанын және не сұрайтыныңызды жазыңыз. Өтінішті тақырып пен орын бойынша құзыретті орган алады.
new-appeal-sign-in-first = Жауаптарды өз атыңызға алу үшін алдымен кіріңіз. Өтінішті жасырын түрде де беруге болады.
new-appeal-submit = Өтінішті жіберу
field-form = Өтініш түрі
field-form-hint = Шағым — бұзылған құқық туралы; сұрау салу — ақпарат сұрау; ұсыныс — жақсарту туралы.
field-category = Тақырып
field-choose = — таңдаңыз —
field-territory = Орын
field-territory-hint = Мәселе қай жерде: аудан немесе қала.
field-point = Картадағы нүкте (міндетті емес)
field-point-hint = Ондық градустағы координаттар, мысалы 43.2389 және 76.8897.
field-lat = Ендік
field-lon = Бойлық
field-language = Өтініш тілі
field-text = Өтініш мәтіні
field-text-hint = { $n ->
    [one] Ең көбі { $nf } таңба.
   *[other] Ең көбі { $nf } таңба.
}
field-anonymous = Жасырын түрде беру
field-anonymous-hint = Жасырын өтініш тіркеледі, бірақ онда қылмыс немесе қоғамдық қауіпсіздікке қатер туралы хабар болмаса, қаралмайды.
field-reports-crime = Қылмыс немесе қоғамдық қауіпсіздікке қатер туралы хабарлайды
appeal-lang-auto = Мәтінімнің тілі
appeal-lang-kk = Қазақ тілі
appeal-lang-en = Ағылшын тілі
appeal-lang-ru = Орыс тілі
appeal-lang-other = Басқа тіл
form-application = Өтініш
form-complaint = Шағым
form-proposal = Ұсыныс
form-request = Сұрау салу
form-response = Ден қою
form-report = Хабарлама
channel-web = сайт
channel-api = API
channel-call_centre_1414 = 1414 байланыс орталығы
channel-reception_centre = қабылдау орталығы
channel-social_network = әлеуметтік желі
channel-paper = қағаз

## Талон
ticket-title = Өтінішіңіз тіркелді
ticket-lead = Бұл сіздің талоныңыз. Оны басып шығарыңыз немесе тіркеу нөмірін сақтаңыз: ол арқылы өтінішті бақылауға болады.
ticket-reg-no = Тіркеу нөмірі
ticket-number = Талон
ticket-registered = Тіркелді
ticket-org = Қарайтын орган
ticket-due = Жауап мерзімі
ticket-accepted-by = Қабылдаған
ticket-anonymous = Бұл өтініш жасырын: оны кейін ашу мүмкін емес. Бұл бетті сақтаңыз.
ticket-follow = Өтінішті бақылау

## Менің өтініштерім және өтініш
my-appeals-title = Менің өтініштерім
my-appeals-none = Сіз әлі өтініш берген жоқсыз.
col-reg-no = Нөмір
col-registered = Тіркелді
col-org = Орган
col-status = Мәртебе
col-due = Мерзім
col-name = Атауы
appeal-title = Өтініш
appeal-from-channel = келіп түсті:
appeal-addressee = Кімге жолданған
appeal-applicant = Өтініш беруші
appeal-anonymous = Жасырын
appeal-answer = Жауап
appeal-rating = Баға
appeal-leave-reason = Қараусыз қалдырылды, себебі
appeal-extended-from = ұзартылды, бұрынғы мерзім
appeal-actions = Қазір не істеуге болады
appeal-timeline = Тарих
appeal-ticket-link = Талонды көрсету
status-registered = Тіркелді
status-forwarded = Жіберілді
status-in_review = Қаралуда
status-extended = Мерзім ұзартылды
status-answered = Жауап берілді
status-rated = Бағаланды
status-complained = Шағым берілді
status-closed = Жабылды
status-not_considered = Қаралмайды
status-left_without_consideration = Қараусыз қалдырылды
event-register = Тіркелді
event-assign = Қарауға алынды
event-forward = Жіберілді
event-extend = Мерзім ұзартылды
event-answer = Жауап берілді
event-rate = Бағаланды
event-complain = Шағым берілді
event-close = Жабылды
event-not_consider = Қаралмайды (жасырын)
event-leave_without_consideration = Қараусыз қалдырылды
event-mark_overdue = Мерзім бұзылды
event-remind = Еске салу жіберілді
event-escalate = Жоғары тұрған органға берілді
event-mark_repeated = Қайталама деп белгіленді
role-citizen = өтініш беруші
role-official = қызметкер
role-head = орган басшысы
role-supervisor = қадағалау
role-administrator = әкімші
role-system = Tyndau
leave-no_substance = онда мәселенің мәні жоқ
leave-withdrawn_by_applicant = өтініш беруші оны қайтарып алды
leave-already_answered_same_issue = дәл сол мәселеге жауап берілген
leave-obscene_or_threatening = онда әдепсіз сөздер немесе қорқыту бар
leave-court_decision_exists = мәселе бойынша сот шешімі бар
score-1 = өте нашар
score-2 = нашар
score-3 = қанағаттанарлық
score-4 = жақсы
score-5 = өте жақсы
action-assign = Қарауға алу
action-assign-hint = Сіз осы өтініштің орындаушысы боласыз.
action-answer = Жауап жіберу
action-answer-text = Жауап
action-answer-hint = Фактілерді, заңнама нормаларын және шешімге шағымдану тәртібін көрсетіңіз.
action-forward = Басқа органға жіберу
action-forward-org = Құзыретті орган
action-extend = Мерзімді ұзарту
action-extend-date = Жаңа мерзім
action-extend-hint = Тіркелген күннен бастап { $n } айдан кешіктірмей, жұмыс күні. Өтініш берушіге хабарланады.
action-close = Өтінішті жабу
action-leave = Қараусыз қалдыру
action-escalate = Жоғары тұрған органға беру
action-rate = Жауапты бағалау
action-complain = Жауапқа шағымдану
action-complain-hint = Шағым жоғары тұрған органға жіберіледі. { $n } ай ішінде шағымдануға болады.
action-complain-text = Сіздің шағымыңыз
action-reason = Себебі
action-reason-optional = Себебі (міндетті емес)
action-comment = Түсініктеме (міндетті емес)

## Қызметкерлер
queue-title = Өтініштер кезегі
queue-count = { $n ->
    [one] { $nf } өтініш
   *[other] { $nf } өтініш
}
queue-overdue-count = мерзімі өткен: { $nf }
queue-near-count = мерзімі жақын: { $nf }
queue-open = Жауап күтуде
queue-all = Барлығы
queue-only-overdue = Тек мерзімі өткендер
queue-filter = Сүзгілерді қолдану
queue-empty = Сәйкес өтініштер жоқ.
queue-overdue = Мерзімі өткен
queue-near = Мерзімі жақын
overview-title = Органдар бойынша шолу
overview-by-org = Органдар бойынша
moderation-title = Модерациядағы петициялар
moderation-lead = Әр петицияға берілген күнінен бастап { $nf } жұмыс күні ішінде рұқсат беріңіз немесе бас тартыңыз.
moderation-empty = Модерациядағы петициялар жоқ.

## Петициялар
petitions-title = Петициялар
petitions-lead = Жеткілікті қолтаңба жинаған петицияны ол жолданған орган қарап, шешімін жариялауға міндетті.
petitions-create = Петиция бастау
petitions-search = Петицияларды іздеу
petitions-search-button = Іздеу
petitions-found = { $n ->
    [one] { $nf } петиция
   *[other] { $nf } петиция
}
signatures-count = { $n ->
    [one] { $nf } қолтаңба
   *[other] { $nf } қолтаңба
}
petition-to = Петиция:
petition-author = Авторы
petition-signed = Сіз бұл петицияға қол қойдыңыз.
petition-sign = Петицияға қол қою
petition-sign-hint = Бір рет, өз атыңыздан қол қоюға болады; басқалар тек атыңызды және тегіңіздің бірінші әрпін көреді.
petition-sign-in-to-sign = Қол қою үшін кіріңіз
petition-progress = Қажетті қолтаңбалардың { $n }%
petition-signatures = Қолтаңбалар
petition-submitted = Берілді
petition-moderation-due = Модерация мерзімі
petition-link-only-due = Алғашқы 50 қолтаңба мерзімі
petition-collection-ends = Жинау аяқталады
petition-review-due = Шешім мерзімі
petition-text = Петиция не туралы
petition-text-hint = Мәселені және дәлелдеріңізді сипаттаңыз.
petition-proposals = Не ұсынылады
petition-decision = Органның шешімі
petition-rejected-because = Қабылданбады, себебі
petition-submit-title = Модерацияға жіберу
petition-submit-hint = Жіберілгеннен кейін петицияны өзгерту мүмкін емес. Модерация { $nf } жұмыс күніне дейін созылады.
petition-submit = Модерацияға жіберу
petition-take = Модерацияға алу
petition-admit = Рұқсат беру
petition-admit-hint = Алғашқы 50 қолтаңбаға дейін петиция сілтеме арқылы, содан кейін барлығына қолжетімді.
petition-reject = Бас тарту
petition-reject-subject = Негіз
petition-reject-other = Басқа негіз (төменде көрсетіңіз)
petition-by-region = Өңірлер бойынша қолтаңбалар
petition-new-title = Петиция бастау
petition-new-lead = Петицияны мәселені шеше алатын органға жолдаңыз. Жібергенге дейін ол жоба болып қалады.
petition-title-field = Тақырыбы
petition-addressee = Кімге жолданады
petition-save-draft = Жобаны сақтау
pstatus-draft = Жоба
pstatus-submitted = Берілді
pstatus-in_moderation = Модерацияда
pstatus-rejected = Қабылданбады
pstatus-link_only = Жинау (сілтеме арқылы)
pstatus-lapsed = Қолтаңба жинамады
pstatus-collecting = Қолтаңба жинауда
pstatus-expired = Жинау мерзімі өтті
pstatus-threshold_reached = Шегіне жетті
pstatus-under_review = Қаралуда
pstatus-decision_published = Шешім жарияланды
pstatus-closed = Жабылды
decision-supported = Қолдау тапты
decision-partly_supported = Ішінара қолдау тапты
decision-not_supported = Қолдау таппады
my-signatures-title = Менің қолтаңбаларым
my-signatures-none = Сіз әлі ешбір петицияға қол қойған жоқсыз.
my-signatures-signed = Қол қойылды
my-signatures-counted = Есепке алынды

## Статистика
stats-title = Мемлекет не естиді
stats-lead = Мұнда Tyndau-да тіркелген әрбір өтініш есепке алынған: айлар, орындар, тақырыптар, түрлер, арналар және тілдер бойынша, мерзімінде қаралғандардың үлесімен.
stats-total = Өтініштер
stats-answered = Жауап берілді
stats-on-time = Мерзімінде қаралды
stats-open = Жауап күтуде
stats-overdue = Мерзімі өткен
stats-by-month = Айлар бойынша өтініштер
stats-by-region = Өңірлер бойынша өтініштер
stats-by-category = Тақырыптар бойынша өтініштер
stats-by-form = Түрлері бойынша өтініштер
stats-by-channel = Арналар бойынша өтініштер
stats-by-language = Тілдер бойынша өтініштер
stats-region = Өңір
stats-unknown = Көрсетілмеген
stats-as-table = Кесте түрінде көрсету
stats-petitions = Петициялар
stats-petitions-public = Жарияланған петициялар
stats-petitions-by-status = Кезеңдер бойынша петициялар
stats-open-data = Ашық деректер
stats-od-petitions = Барлық жарияланған петициялар
stats-od-daily = Петициялар мен күндер бойынша қолтаңбалар
stats-od-appeals = Өтініштер статистикасы: айлар, өңірлер, тақырыптар, түрлер, арналар, тілдер және органдар бойынша
stats-od-json = Бағдарламаларға арналған дәл сол деректер
petition-working-group = Жұмыс тобы
petition-working-group-form = Жұмыс тобын құру
petition-members = Автордан басқа мүшелер
petition-members-hint = Әр жолға біреуден: аты-жөні — лауазымы. Автор әрқашан топ мүшесі.
petition-working-group-save = Жұмыс тобын сақтау
petition-decide = Шешімді жариялау
petition-decision-reasons = Негіздеме (жарияланады)
petition-close = Петицияны жабу
notice-petition-working-group = Жұмыс тобы жазылды; автор оның мүшесі.
notice-petition-decision = Шешім жарияланды.
notice-petition-close = Петиция жабылды.
nav-serial = Сериялық өтініш берушілер
serial-title = Сериялық өтініш берушілер
serial-lead = Кезеңдегі өтініштердің қандай үлесі ең белсенді өтініш берушілерден келді. Өтініш берушілер бүркеншік атпен көрсетіледі; олардың өтініштерін тек қараушылар көре алады.
serial-from = Бастап
serial-to = Дейін
serial-applicants = Өтініш берушілер
serial-top-0-1 = Жоғарғы 0,1 % берген
serial-top-1 = Жоғарғы 1 % берген
serial-leaders = Ең белсенді өтініш берушілер
serial-pseudonym = Өтініш беруші (бүркеншік ат)
serial-applicant-title = Өтініш беруші
serial-applicant-lead = Оның кезеңдегі өтініштері, ең ертесінен бастап. Өтініш беруші бүркеншік атпен қалады; бұл қарау аудит журналына жазылады.
serial-applicant-appeals = Кезеңдегі өтініштер
serial-repeated = қайталама
err-invalid_period = Кезең аяқталғаннан кейін басталады.

## transparency
tr-link = Мемлекеттік органдардың ашықтық индексі: кім мерзімінде жауап береді
tr-title = Мемлекеттік органдардың ашықтық индексі
tr-lead = Әр мемлекеттік орган азаматтардың өтініштерін қалай қарайтыны — нақты деректер бойынша күн сайын қайта есептеледі: мерзімінде берілген жауаптар, жауапқа дейінгі жұмыс күндері, мерзімді ұзарту, кешіктіріп жолдау, азаматтардың бағалары, шағымдар және қайталама өтініштер. Органдарды бір өңір мен бір деңгей ішінде салыстырыңыз.
tr-region = Өңір
tr-all-regions = Барлық өңірлер
tr-level = Орган деңгейі
tr-all-levels = Барлық деңгейлер
tr-computed-for = Есептелген күні
tr-window-from = мына күннен бастап тіркелген өтініштер ескерілді:
tr-not-computed = Индекс әлі есептелмеген.
tr-ranking = Мемлекеттік органдардың рейтингі
tr-rank = Орын
tr-body = Орган
tr-appeals = Өтініштер
tr-score = Балл (0–100)
tr-no-data = Деректер жоқ: органды рейтингке қосу үшін кезеңдегі өтініштер тым аз.
tr-no-value = —
tr-methodology = Әдістеме
tr-method-window = Кезең: соңғы N күнде тіркелген өтініштер, N =
tr-method-min = Орган рейтингке өтініштер саны кемінде мынадай болғанда ғана қосылады:
tr-method-score = Әр көрсеткіш 0-ден (ең нашар мәні) 1-ге (ең жақсы мәні) дейінгі шкалаға келтіріледі; балл — көрсеткіштердің салмақталған орташасы, 100-ге көбейтілген. Өлшеуге болмайтын көрсеткіш (әлі жауап жоқ, баға жоқ) есепке алынбайды, ал қалғандарының салмақтары пропорционалды түрде ұлғайтылады. Кешіктіріп жолдау өтінішті жолдаған органға есептеледі.
tr-method-table = Көрсеткіштер, олардың салмақтары мен шектері
tr-component = Көрсеткіш
tr-weight = Салмақ
tr-best = Ең жақсы (1)
tr-worst = Ең нашар (0)
tr-definition = Не өлшенеді
tr-method-version = Әдістеме нұсқасы
tr-level-central = Орталық органдар
tr-level-oblast_akimat = Облыс әкімдіктері
tr-level-oblast_maslikhat = Облыс мәслихаттары
tr-level-district_akimat = Аудан әкімдіктері
tr-level-district_maslikhat = Аудан мәслихаттары
tr-level-other = Басқа органдар
tr-c-on_time = Мерзімінде
tr-c-median_working_days = Жұмыс күндерінің медианасы
tr-c-extended = Мерзімі ұзартылған
tr-c-forwarded_late = Кешіктіріп жолданған
tr-c-rating = Орташа баға
tr-c-complaints = Шағым жасалған
tr-c-repeated = Қайталама
tr-d-on_time = Жауап берілгендер мен мерзімнен кейін де жауапсыз қалғандардың ішінде мерзімінде немесе одан бұрын жауап берілген өтініштердің үлесі.
tr-d-median_working_days = Тіркелген күннен жауап берілгенге дейінгі жұмыс күндерінің медианасы, органның жұмыс аптасы бойынша.
tr-d-extended = Қарау мерзімі ұзартылған өтініштердің үлесі.
tr-d-forwarded_late = Орган құзыретті органға тіркелгеннен кейін 3 жұмыс күнінен кеш жолдаған өтініштердің үлесі.
tr-d-rating = Азаматтардың жауаптарға берген орташа бағасы, 1-ден 5-ке дейін.
tr-d-complaints = Жоғары тұрған органға шағым жасалған өтініштердің үлесі.
tr-d-repeated = Қайталама өтініштердің үлесі: сол өтініш беруші сол мәселе бойынша қайта жүгінген.
err-invalid_region = Тізімнен өңірді таңдаңыз.
err-invalid_org_level = Тізімнен орган деңгейін таңдаңыз.

## similarity
nav-campaigns = Науқандар
similar-title = Ұқсас өтініштер
similar-count = { $n ->
    [one] { $nf } ұқсас өтініш
   *[other] { $nf } ұқсас өтініш
}
similar-group-size = { $n ->
    [one] топта { $nf } өтініш
   *[other] топта { $nf } өтініш
}
similar-pending = Бұл өтініш әлі басқалармен салыстырылмаған. Біраздан кейін бетті жаңартыңыз.
similar-none = Ұқсас өтініштердің ішінде сізге қолжетімдісі жоқ.
similar-similarity = Ұқсастық
similar-answer-group = Бүкіл топқа жауап беру
similar-answer-group-hint = Бұл жауапты топтағы сіз жауап беруге құқылы әрбір өтініш алады; әр жауап журналға жазылып, өтініш берушіге жеке жауап сияқты хабарланады. Қалғандары себебі көрсетіліп өткізіліп жіберіледі.
similar-answered = { $n ->
    [one] { $nf } өтінішке жауап берілді
   *[other] { $nf } өтінішке жауап берілді
}
similar-skipped = { $n ->
    [one] өткізілді: { $nf }
   *[other] өткізілді: { $nf }
}
campaigns-title = Жаппай науқандар
campaigns-lead = Кезең ішінде тіркелген бір-біріне өте ұқсас өтініштер топтары — көп адамнан келген бір мәтін; ең үлкендері алдымен.
campaigns-min-size = Ең кіші топ
campaigns-none = Кезеңде мұндай көлемдегі топ жоқ.
campaigns-earliest = Алғашқы өтініш
campaigns-size = Өтініштер
campaigns-first = Алғашқы
campaigns-last = Соңғы
campaigns-orgs = Қарайтын органдар
campaigns-open = Топтың барлық өтініштері
err-similarity_pending = Өтініш әлі басқалармен салыстырылмаған. Біраздан кейін қайталаңыз.

## hotspots and sensitive appeals
nav-hotspots = Проблема ошақтары
nav-sensitive = Резонансты өтініштер
hot-title = Проблема ошақтары
hot-lead = { $n ->
    [one] Бір тақырып бойынша өтініштер өздеріне әдеттегіден әлдеқайда көбейген аудандар мен орындар: әр апта өзінен бұрынғы { $nf } аптамен салыстырылады.
   *[other] Бір тақырып бойынша өтініштер өздеріне әдеттегіден әлдеқайда көбейген аудандар мен орындар: әр апта өзінен бұрынғы { $nf } аптамен салыстырылады.
}
hot-as-of = Жағдай бойынша
hot-none = Ерекше ештеңе жоқ: бұл аптада да, өткен аптада да бірде-бір аудан мен орында өтініштер әдеттегіден көп емес.
hot-table = Қазір ең өзектілері, кему ретімен
hot-area = Аудан немесе орын
hot-week = Апта басы
hot-count = Өтініштер
hot-expected = Әдетте аптасына
hot-score = Баға
hot-appeals = Өтініштер
hot-open = Өтініштерді көрсету
hot-kind-cluster = Шоғыр
hot-cells = { $n ->
    [one] шамамен 1 км { $nf } шаршы
   *[other] шамамен 1 км { $nf } шаршы
}
hot-method-title = Ошақтар қалай табылады
hot-method = Өтініштер әр аудан мен тақырып бойынша, ал картада нүктесі болса — шамамен бір шақырымдық әр шаршы бойынша апта сайын есептеледі. Аптадағы сан сол қатардың алдыңғы апталардағы орташа мәнімен оның әдеттегі ауытқуын ескере отырып салыстырылады: жол туралы шағым әрқашан көп ауданы ошақ болып саналмайды, күрт өсу — саналады. Өтініші көп көрші шаршылар бір шоғырға біріктіріледі.
hot-appeals-title = Ошақтың өтініштері
hot-place = Орын
hot-org = Орган
hot-text = Мәтін
sens-title = Резонансты өтініштер
sens-lead = Өмір мен денсаулыққа қауіп, қауіп төнген балалар, қыста жылудың, судың немесе жарықтың өшірілуі, сыбайлас жемқорлық және жаппай іс-шаралар туралы тіркеу кезінде белгіленген өтініштер, жаңалары алдымен. Олар басым бақылауды қажет етеді.
sens-tag = Резонансты
sens-topic = Тақырып
sens-because = Белгілену себебі
sens-received = Түсті
sens-include-closed = Жауап берілген және жабылғандарымен қоса
sens-none = Ашық резонансты өтініштер жоқ.
sens-terms-title = Резонансты терминдер сөздігі
sens-terms-lead = Өтінішті резонансты деп белгілейтін сөздер мен тіркестер. Әр сөз онымен басталатын барлық сөзге сәйкес келеді; тіркес сөздерінің арасында тағы екі сөзге дейін болуы мүмкін. Өзгеріс одан кейін тіркелген өтініштерге қолданылады.
sens-terms-count = { $n ->
    [one] { $nf } термин
   *[other] { $nf } термин
}
sens-term = Термин
sens-term-hint = Бірден беске дейін сөз, әрқайсысында кемінде үш әріп.
sens-add = Терминді қосу
sens-remove = Жою
notice-term-added = Термин қосылды.
notice-term-removed = Термин жойылды.
topic-life_health = Өмір мен денсаулыққа қауіп
topic-children = Балалар
topic-utilities_winter = Қыста коммуналдық қызметтердің өшірілуі
topic-corruption = Сыбайлас жемқорлық
topic-mass_events = Жаппай іс-шаралар
err-invalid_cell = Карта шаршылары қате көрсетілген.
err-missing_area = Ауданды немесе картадағы орынды таңдаңыз.
err-empty_term = Терминді енгізіңіз.
err-term_too_short = Терминде кемінде үш әріпті бір сөз болуы керек, ал әр сөзде кемінде екі әріп.
err-unknown_pseudonym = Кезең тізіміндегі бірде-бір өтініш берушіде мұндай бүркеншік ат жоқ.
err-term_too_long = Терминде бес сөзден аспауы керек.
err-duplicate_term = Бұл термин сөздікте бар.
err-term_not_found = Мұндай термин жоқ.

## hidden public services
nav-hidden = Жасырын қызметтер
hidden-title = Жасырын мемлекеттік қызметтер
hidden-lead = Ешбір тіркелген мемлекеттік қызмет қамтымаса да, адамдар қайта-қайта бір нәрсені сұрайтын өтініштер: жаңа қызметке немесе тізілімге үміткерлер. Кезеңдегі өтініштер не сұрайтынына қарай топтастырылады; егер ешбір қызмет топтың кемінде жартысын қамтымаса, топ көрсетіледі.
hidden-min-volume = Өтініштер саны кемінде
hidden-registry = { $n ->
    [one] Тізілімде { $nf } мемлекеттік қызмет
   *[other] Тізілімде { $nf } мемлекеттік қызмет
}
hidden-none = Кезеңдегі барлық қайталанатын өтініштерді тіркелген қызметтер қамтиды.
hidden-table = Қызметі жоқ қайталанатын өтініштер, алдымен ірілері
hidden-terms = Не сұрайды
hidden-volume = Өтініштер
hidden-sample = Ең соңғысы
hidden-examples = Мысалдар
hidden-computed = Есептелген уақыты
hidden-stored = фондық режимде, барлық оқырманға ортақ: есеп күн сайын және тізілім әр өзгерген сайын қайта есептеледі.
hidden-on-request = осы сұрау үшін (фондық режимде бүгінмен аяқталатын стандартты кезеңдер ғана есептеледі).
hidden-stale = Есеп есептелгеннен кейін тізілім өзгерді немесе жаңа күн басталды: жаңа есеп есептеліп жатыр. Бетті бір минуттан кейін жаңартыңыз.
hidden-applications = { $n ->
    [one] Кезеңнің { $nf } өтініші оқылды.
   *[other] Кезеңнің { $nf } өтініші оқылды.
}
services-title = Мемлекеттік қызметтер тізілімі
services-lead = Азамат жүгіне алатын мемлекеттік қызметтер. Қызмет өз тақырыбының кілт тіркестерінің бірі бар өтініштерін қамтиды.
services-count = { $n ->
    [one] { $nf } қызмет
   *[other] { $nf } қызмет
}
services-name = Қызмет
services-keywords = Кілт тіркестер
services-keywords-hint = «;» арқылы бөлінген тіркестер, әр сөз онымен басталатын сөздерге сәйкес келеді. Бос болса — тақырыптың барлық өтініштері.
services-add-title = Қызметті тіркеу
services-id = Коды
services-id-hint = Кіші латын әріптері, сандар, «-» немесе «.», мысалы family-certificate.
services-name-kk = Қазақша атауы
services-name-ru = Орысша атауы
services-name-en = Ағылшынша атауы
services-add = Қызметті тіркеу
notice-service-added = Қызмет тіркелді.
notice-service-removed = Қызмет тізілімнен алынды.
err-keyword_too_short = Кілт тіркестің әр сөзінде кемінде үш әріп болуы керек.
err-no_keyword_phrase = Кілт сөздерде бірде-бір тіркес жоқ: сөздерді «;» арқылы жазыңыз немесе өрісті бос қалдырыңыз.
err-service_covers_everything = Қызметтің санаты немесе кілт сөздері болуы керек: онсыз ол барлық өтінішті қамтыр еді.
err-duplicate_service = Мұндай кодпен қызмет тіркелген.
err-service_not_found = Мұндай қызмет жоқ.
err-invalid_service_id = Код үшін кіші латын әріптерін, сандарды, «-» немесе «.» қолданыңыз.

## learned classification and routing
field-category-auto = Білмеймін: Tyndau ұсынсын
advice-title = Жіктеу және құзыретті орган
advice-category = Жіктеуіш ұсынады
advice-not-sure = өзі толтыруға сенімі жеткіліксіз
advice-no-model = Жіктеуіш әлі оқытылмаған: ол қызметкерлер растайтын және түзететін санаттардан үйренеді.
advice-set-category = Өтініш санаты
advice-set-category-hint = Сол санатты сақтау оны растайды, басқасы түзетеді; жіктеуіш екеуінен де үйренеді.
advice-save-category = Растау немесе түзету
advice-rule-org = Бағыттау ережелері бойынша
advice-model-org = Ұқсас өтініштерге кім жауап бергені бойынша
advice-advised-org = Ұсынылады
advised-by-rules = бағыттау ережелері бойынша
advised-by-model = оқытылған бағыттау сенімді және ережелерден өзгеше
advised-by-both = ережелер мен оқытылған бағыттау сәйкес келеді
notice-done-category-confirmed = Санат расталды.
notice-done-category-corrected = Санат түзетілді.
event-classify = Санат расталды немесе түзетілді
err-period_too_long = Кезең тым ұзақ: бір жылдан аспайтын кезеңді таңдаңыз.
err-training_in_progress = Оқыту жүріп жатыр; ол аяқталған соң қайталаңыз.
err-category_locked = Өтінішке жауап берілген немесе ол жабылған: санаты жауап берілгендегідей қалады.
err-category_changes_term = Бұл санаттың қарау мерзімі басқа, ал мерзім ұзартылған: өтінішті қайта тіркеңіз немесе жолдаңыз.
## similarity: picking the appeals of a group answer, pages of the list
similar-select = Жауап беру
similar-select-this = Осы өтінішке де жауап беру
similar-select-hint = Белгіленген өтініштер жауап алады. Мәтіні осы өтінішке жеткілікті жақын емес өтініштер белгіленбеген: олар топқа басқа өтініштер арқылы кірді.
similar-page = { $nf }-бет
similar-page-prev = Алдыңғы бет
similar-page-next = Келесі бет
err-not_similar_enough = Мәтіні осы өтініштің мәтініне жеткілікті жақын емес.
err-over_limit = Бір сұраудағы 500 жауаптан тыс: қалғандары үшін жауапты қайта жіберіңіз.
appeal-answer-language = Жауап тілі
appeal-text-language = мәтін тілі
event-category-by-classifier = тақырыпты классификатор таңдады, сенімділігі
