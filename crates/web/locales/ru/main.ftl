# Страницы Tyndau — русский. Ключи те же, что в en/main.ftl и kk/main.ftl (это проверяет тест).

## Макет
skip-to-content = Перейти к основному содержанию
brand-tagline = слышащее государство
nav-language = Язык
nav-main = Главное меню
nav-new-appeal = Подать обращение
nav-petitions = Петиции
nav-statistics = Статистика
nav-my-appeals = Мои обращения
nav-my-signatures = Мои подписи
nav-queue = Очередь обращений
nav-moderation = Модерация
nav-overview = Обзор
nav-sign-in = Войти
nav-sign-out = Выйти
footer-about = Tyndau — единое окно обращений в государственные органы Республики Казахстан: каждое обращение регистрируется, рассматривается в установленный законом срок и учитывается.
footer-api = API для разработчиков
footer-open-data = Открытые данные
yes = Да
no = Нет

## Сообщения после действия
notice-signed-in = Вы вошли.
notice-signed-out = Вы вышли.
notice-appeal-registered = Ваше обращение зарегистрировано. Сохраните регистрационный номер.
notice-complaint-registered = Ваша жалоба зарегистрирована в вышестоящем органе.
notice-petition-drafted = Петиция сохранена как черновик. Перечитайте её и направьте на модерацию.
notice-done-assign = Обращение принято к рассмотрению.
notice-done-forward = Обращение перенаправлено в компетентный орган.
notice-done-extend = Срок продлён; заявитель уведомлён.
notice-done-answer = Ответ направлен заявителю.
notice-done-rate = Спасибо: ваша оценка учтена.
notice-done-complain = Ваша жалоба зарегистрирована.
notice-done-close = Обращение закрыто.
notice-done-leave = Обращение оставлено без рассмотрения.
notice-done-escalate = Обращение передано вышестоящему органу.
notice-petition-submit = Петиция направлена на модерацию.
notice-petition-take = Вы взяли петицию на модерацию.
notice-petition-admit = Петиция допущена; можно собирать подписи.
notice-petition-reject = Петиция отклонена; автор увидит причину.
notice-petition-sign = Ваша подпись учтена.

## Ошибки
error-title = Что-то пошло не так
error-not-found = Страница не найдена
error-forbidden = У вас нет доступа к этой странице
error-home = На главную
form-errors-title = Есть ошибки
err-generic = Запрос не выполнен
err-bad_request = Запрос не удалось прочитать.
err-method_not_allowed = Этот адрес не принимает такой запрос.
err-invalid_login = Логин сотрудника — от 1 до 64 символов, хотя бы одна буква.
err-invalid_character = Текст содержит символ, который нельзя сохранить (NUL, U+0000).
err-invalid_cursor = Неверная позиция в списке: начните с первой страницы.
err-nothing_to_change = Измените хотя бы одно: название, текст или предложения.
err-internal = Произошла внутренняя ошибка. Она записана в журнал; попробуйте позже.
err-csrf_failed = Срок действия формы истёк. Вернитесь, обновите страницу и отправьте её снова.
err-malformed_form = Не удалось прочитать форму.
err-payload_too_large = Форма слишком большая.
err-invalid_credentials = Неверный логин или пароль.
err-not_a_number = Введите число, например 43.2389.
err-point_needs_both = Укажите и широту, и долготу, или ни одну из них.
err-choose_category = Выберите тему обращения.
err-empty_text = Напишите текст обращения.
err-appeal_not_found = Такого обращения нет, или у вас нет к нему доступа.
err-petition_not_found = Такой петиции нет, или она не опубликована.
err-page_not_found = По этому адресу страницы нет.
err-unknown_language = Этот язык недоступен.
err-forbidden = Вам не разрешено это действие.
err-unauthenticated = Сначала войдите.
err-invalid_transition = Это действие невозможно на текущем этапе.
err-concurrent_modification = Кто-то изменил это одновременно с вами. Обновите страницу и повторите.
err-text_too_long = Текст слишком длинный.
err-too_long = Текст слишком длинный.
err-empty_field = Поле не должно быть пустым.
err-missing_field = Это поле обязательно.
err-invalid_value = Недопустимое значение.
err-invalid_kato = Выберите место из списка.
err-unknown_territory = Выберите место из списка.
err-category_not_specific = Выберите подтему: это группа тем.
err-unknown_category = Выберите тему обращения.
err-unknown_organisation = Выберите орган из списка.
err-no_route = Ни один орган не компетентен по этой теме в этом месте; выберите другое место или тему.
err-invalid_location = Широта должна быть от −90 до 90, долгота — от −180 до 180.
err-invalid_iin = Это не действительный ИИН: проверьте 12 цифр.
err-iin_taken = Учётная запись с этим ИИН уже существует. Войдите.
err-weak_password = Пароль должен содержать не менее 10 символов.
err-invalid_name = Введите ФИО (от 1 до 200 символов).
err-invalid_email = Это не действительный адрес электронной почты.
err-invalid_date = Введите дату в виде ГГГГ-ММ-ДД.
err-invalid_score = Выберите оценку от 1 до 5.
err-invalid_rating = Выберите оценку от 1 до 5.
err-due_date_not_working_day = Новый срок должен приходиться на рабочий день.
err-extension_exceeds_cap = Срок не может превышать двух месяцев со дня регистрации.
err-extension_not_later = Новый срок должен быть позже текущего.
err-complaint_window_expired = Три месяца на обжалование истекли. Укажите уважительную причину для восстановления срока.
err-same_organisation = Обращение уже находится в этом органе.
err-no_superior_body = У этого органа нет вышестоящего органа.
err-invalid_assignee = Этого сотрудника нельзя назначить.
err-idempotency_key_reused = Эта форма уже была отправлена с другим текстом. Обновите страницу.
err-already_signed = Вы уже подписали эту петицию.
err-petition_not_open = Эта петиция не собирает подписи.
err-rate_limited = Слишком много подписей из вашей сети. Попробуйте через минуту.
err-unknown_subject = Выберите основание из списка.
err-status_not_public = Петиции на этом этапе не публикуются.
err-already_reported = Вы уже пожаловались на этот комментарий.
err-calendar_day_not_found = Такой записи в календаре нет.
err-comment_not_found = Такого комментария нет.
err-invalid_attachment = Вложение недействительно.
err-invalid_bin = Это не действительный БИН: проверьте 12 цифр.
err-invalid_idempotency_key = Ключ формы недействителен. Обновите страницу.
err-invalid_ip_range = Это недопустимый диапазон адресов.
err-invalid_query = Параметры поиска недопустимы.
err-invalid_time = Введите правильные дату и время.
err-invalid_token = Ваш сеанс завершён. Войдите снова.
err-invalidation_not_found = Такого аннулирования нет.
err-malformed_json = Не удалось прочитать запрос.
err-no_longer_due = Этот шаг больше не требуется.
err-not_allowed = Для вашей роли это не разрешено.
err-route_not_found = Такого адреса в API нет.
err-subject_not_found = Такого основания в списке нет.
err-too_many_attachments = Не более 20 вложений.
err-unknown_comment = Такого комментария нет.
err-unsupported_media_type = Запрос в неверном формате.

## Главная
home-title = Расскажите государству, что для вас важно
home-lead = Подайте обращение в любой государственный орган, следите за ним до ответа, подписывайте петиции и смотрите, что слышит государство.
home-appeal-title = Подать обращение
home-appeal-text = Заявление, жалоба, предложение или запрос. Оно регистрируется сразу, ответ — в течение { $nf } рабочих дней.
home-follow-title = Мои обращения
home-follow-text = Где ваше обращение, кто его рассматривает и когда срок ответа; оцените ответ или обжалуйте его.
home-petitions-title = Петиции
home-petitions-text = Предложите изменение; при { $nf } подписях орган обязан рассмотреть его и опубликовать решение.
home-stats-title = Статистика
home-stats-text = Сколько обращений получает государство, о чём, откуда и сколько из них рассмотрено в срок.
home-petitions-now = Петиции, собирающие подписи

## Вход и регистрация
login-title = Вход
login-login = Логин или ИИН
login-login-hint = Граждане входят по ИИН (12 цифр), сотрудники — по логину.
login-password = Пароль
login-submit = Войти
login-no-account = Ещё нет учётной записи?
login-register-link = Создайте её по ИИН
register-title = Создать учётную запись
register-lead = ИИН нужен органу, который вам отвечает; другим он не показывается.
register-iin = ИИН
register-iin-hint = Индивидуальный идентификационный номер из 12 цифр.
register-full-name = ФИО (сначала фамилия)
register-email = Электронная почта (необязательно)
register-password = Пароль
register-password-hint = Не менее 10 символов.
register-submit = Создать

## Подача обращения
new-appeal-title = Подать обращение
new-appeal-lead = Опишите, что произошло и о чём вы просите. Обращение получит орган, компетентный по теме и месту.
new-appeal-sign-in-first = Чтобы получать ответы на своё имя, сначала войдите. Можно подать обращение и анонимно.
new-appeal-submit = Отправить обращение
field-form = Вид обращения
field-form-hint = Жалоба — о нарушенном праве; запрос — просьба дать информацию; предложение — об улучшении.
field-category = Тема
field-choose = — выберите —
field-territory = Место
field-territory-hint = Где проблема: район или город.
field-point = Точка на карте (необязательно)
field-point-hint = Координаты в десятичных градусах, например 43.2389 и 76.8897.
field-lat = Широта
field-lon = Долгота
field-language = Язык обращения
field-text = Текст обращения
field-text-hint = { $n ->
    [one] Не более { $nf } символа.
   *[other] Не более { $nf } символов.
}
field-anonymous = Подать анонимно
field-anonymous-hint = Анонимное обращение регистрируется, но не рассматривается, если в нём нет сообщения о преступлении или угрозе общественной безопасности.
field-reports-crime = Сообщает о преступлении или угрозе общественной безопасности
appeal-lang-auto = Язык моего текста
appeal-lang-kk = Казахский
appeal-lang-en = Английский
appeal-lang-ru = Русский
appeal-lang-other = Другой язык
form-application = Заявление
form-complaint = Жалоба
form-proposal = Предложение
form-request = Запрос
form-response = Отклик
form-report = Сообщение
channel-web = сайт
channel-api = API
channel-call_centre_1414 = контакт-центр 1414
channel-reception_centre = центр приёма
channel-social_network = социальная сеть
channel-paper = бумага

## Талон
ticket-title = Ваше обращение зарегистрировано
ticket-lead = Это ваш талон. Распечатайте его или сохраните регистрационный номер: по нему можно следить за обращением.
ticket-reg-no = Регистрационный номер
ticket-number = Талон
ticket-registered = Зарегистрировано
ticket-org = Рассматривает
ticket-due = Срок ответа
ticket-accepted-by = Принял
ticket-anonymous = Обращение анонимное: открыть его позже нельзя. Сохраните эту страницу.
ticket-follow = Следить за обращением

## Мои обращения и обращение
my-appeals-title = Мои обращения
my-appeals-none = Вы ещё не подавали обращений.
col-reg-no = Номер
col-registered = Зарегистрировано
col-org = Орган
col-status = Статус
col-due = Срок
col-name = Наименование
appeal-title = Обращение
appeal-from-channel = поступило через
appeal-addressee = Адресовано
appeal-applicant = Заявитель
appeal-anonymous = Аноним
appeal-answer = Ответ
appeal-rating = Оценка
appeal-leave-reason = Оставлено без рассмотрения, потому что
appeal-extended-from = продлён с
appeal-actions = Что можно сделать сейчас
appeal-timeline = История
appeal-ticket-link = Показать талон
status-registered = Зарегистрировано
status-forwarded = Перенаправлено
status-in_review = На рассмотрении
status-extended = Срок продлён
status-answered = Дан ответ
status-rated = Оценено
status-complained = Обжаловано
status-closed = Закрыто
status-not_considered = Не рассматривается
status-left_without_consideration = Оставлено без рассмотрения
event-register = Зарегистрировано
event-assign = Принято к рассмотрению
event-forward = Перенаправлено
event-extend = Срок продлён
event-answer = Дан ответ
event-rate = Оценено
event-complain = Подана жалоба
event-close = Закрыто
event-not_consider = Не рассматривается (анонимное)
event-leave_without_consideration = Оставлено без рассмотрения
event-mark_overdue = Срок нарушен
event-remind = Отправлено напоминание
event-escalate = Передано вышестоящему органу
event-mark_repeated = Отмечено как повторное
role-citizen = заявитель
role-official = сотрудник
role-head = руководитель органа
role-supervisor = надзор
role-administrator = администратор
role-system = Tyndau
leave-no_substance = в нём нет существа вопроса
leave-withdrawn_by_applicant = заявитель отозвал его
leave-already_answered_same_issue = на тот же вопрос уже дан ответ
leave-obscene_or_threatening = оно содержит нецензурные выражения или угрозы
leave-court_decision_exists = по вопросу есть решение суда
score-1 = очень плохо
score-2 = плохо
score-3 = удовлетворительно
score-4 = хорошо
score-5 = отлично
action-assign = Принять к рассмотрению
action-assign-hint = Вы станете исполнителем по этому обращению.
action-answer = Отправить ответ
action-answer-text = Ответ
action-answer-hint = Изложите факты, нормы законодательства и порядок обжалования решения.
action-forward = Перенаправить в другой орган
action-forward-org = Компетентный орган
action-extend = Продлить срок
action-extend-date = Новый срок
action-extend-hint = { $n ->
    [one] Рабочий день не позднее { $n } месяца со дня регистрации. Заявитель будет уведомлён.
   *[other] Рабочий день не позднее { $n } месяцев со дня регистрации. Заявитель будет уведомлён.
}
action-close = Закрыть обращение
action-leave = Оставить без рассмотрения
action-escalate = Передать вышестоящему органу
action-rate = Оценить ответ
action-complain = Обжаловать ответ
action-complain-hint = { $n ->
    [one] Жалоба направляется в вышестоящий орган. Обжаловать можно в течение { $n } месяца.
   *[other] Жалоба направляется в вышестоящий орган. Обжаловать можно в течение { $n } месяцев.
}
action-complain-text = Ваша жалоба
action-reason = Причина
action-reason-optional = Причина (необязательно)
action-comment = Комментарий (необязательно)

## Сотрудники
queue-title = Очередь обращений
queue-count = { $n ->
    [one] { $nf } обращение
    [few] { $nf } обращения
   *[other] { $nf } обращений
}
queue-overdue-count = просрочено: { $nf }
queue-near-count = срок скоро: { $nf }
queue-open = Ожидают ответа
queue-all = Все
queue-only-overdue = Только просроченные
queue-filter = Применить фильтры
queue-empty = Подходящих обращений нет.
queue-overdue = Просрочено
queue-near = Срок скоро
overview-title = Обзор по органам
overview-by-org = По органам
moderation-title = Петиции на модерации
moderation-lead = Допустите или отклоните каждую петицию в течение { $nf } рабочих дней со дня её подачи.
moderation-empty = Петиций на модерации нет.

## Петиции
petitions-title = Петиции
petitions-lead = Петицию, собравшую достаточно подписей, обязан рассмотреть орган, которому она адресована, и опубликовать решение.
petitions-create = Создать петицию
petitions-search = Поиск петиций
petitions-search-button = Найти
petitions-found = { $n ->
    [one] { $nf } петиция
    [few] { $nf } петиции
   *[other] { $nf } петиций
}
signatures-count = { $n ->
    [one] { $nf } подпись
    [few] { $nf } подписи
   *[other] { $nf } подписей
}
petition-to = Петиция в
petition-author = Автор
petition-signed = Вы подписали эту петицию.
petition-sign = Подписать петицию
petition-sign-hint = Подписать можно один раз, от своего имени; другие видят только имя и первую букву фамилии.
petition-sign-in-to-sign = Войдите, чтобы подписать
petition-progress = { $n }% необходимых подписей
petition-signatures = Подписи
petition-submitted = Подана
petition-moderation-due = Срок модерации
petition-link-only-due = Срок для первых 50 подписей
petition-collection-ends = Сбор завершится
petition-review-due = Срок решения
petition-text = О чём петиция
petition-text-hint = Опишите проблему и ваши доводы.
petition-proposals = Что предлагается
petition-decision = Решение органа
petition-rejected-because = Отклонена, потому что
petition-submit-title = Направить на модерацию
petition-submit-hint = После подачи петицию нельзя изменить. Модерация занимает до { $nf } рабочих дней.
petition-submit = Направить на модерацию
petition-take = Взять на модерацию
petition-admit = Допустить
petition-admit-hint = До первых 50 подписей петиция доступна по ссылке, затем — всем.
petition-reject = Отклонить
petition-reject-subject = Основание
petition-reject-other = Иное основание (укажите ниже)
petition-by-region = Подписи по регионам
petition-new-title = Создать петицию
petition-new-lead = Адресуйте петицию органу, который может решить вопрос. До подачи она остаётся черновиком.
petition-title-field = Заголовок
petition-addressee = Адресат
petition-save-draft = Сохранить черновик
pstatus-draft = Черновик
pstatus-submitted = Подана
pstatus-in_moderation = На модерации
pstatus-rejected = Отклонена
pstatus-link_only = Сбор (по ссылке)
pstatus-lapsed = Не набрала подписей
pstatus-collecting = Сбор подписей
pstatus-expired = Срок сбора истёк
pstatus-threshold_reached = Порог достигнут
pstatus-under_review = На рассмотрении
pstatus-decision_published = Решение опубликовано
pstatus-closed = Закрыта
decision-supported = Поддержана
decision-partly_supported = Поддержана частично
decision-not_supported = Не поддержана
my-signatures-title = Мои подписи
my-signatures-none = Вы ещё не подписывали петиций.
my-signatures-signed = Подписано
my-signatures-counted = Учтена

## Статистика
stats-title = Что слышит государство
stats-lead = Здесь учтено каждое обращение, зарегистрированное в Tyndau: по месяцам, местам, темам, видам, каналам и языкам, с долей рассмотренных в срок.
stats-total = Обращения
stats-answered = Дан ответ
stats-on-time = Рассмотрено в срок
stats-open = Ожидают ответа
stats-overdue = Просрочено
stats-by-month = Обращения по месяцам
stats-by-region = Обращения по регионам
stats-by-category = Обращения по темам
stats-by-form = Обращения по видам
stats-by-channel = Обращения по каналам
stats-by-language = Обращения по языкам
stats-region = Регион
stats-unknown = Не указано
stats-as-table = Показать таблицей
stats-petitions = Петиции
stats-petitions-public = Опубликованные петиции
stats-petitions-by-status = Петиции по этапам
stats-open-data = Открытые данные
stats-od-petitions = Все опубликованные петиции
stats-od-daily = Подписи по петициям и дням
stats-od-appeals = Статистика обращений по месяцам, регионам, темам, видам, каналам, языкам и органам
stats-od-json = Те же данные для программ
petition-working-group = Рабочая группа
petition-working-group-form = Сформировать рабочую группу
petition-members = Члены группы, кроме автора
petition-members-hint = По одному в строке: ФИО — должность. Автор всегда входит в группу.
petition-working-group-save = Сохранить рабочую группу
petition-decide = Опубликовать решение
petition-decision-reasons = Обоснование (публикуется)
petition-close = Закрыть петицию
notice-petition-working-group = Рабочая группа записана; автор входит в неё.
notice-petition-decision = Решение опубликовано.
notice-petition-close = Петиция закрыта.
nav-serial = Серийные заявители
serial-title = Серийные заявители
serial-lead = Какая доля обращений за период поступила от самых активных заявителей. Заявители показаны под псевдонимами; их обращения доступны только тем, кто их рассматривает.
serial-from = С
serial-to = По
serial-applicants = Заявители
serial-top-0-1 = Подано верхними 0,1 %
serial-top-1 = Подано верхним 1 %
serial-leaders = Самые активные заявители
serial-pseudonym = Заявитель (псевдоним)
serial-applicant-title = Заявитель
serial-applicant-lead = Его обращения за период, начиная с самых ранних. Заявитель остаётся под псевдонимом; этот просмотр записывается в журнал аудита.
serial-applicant-appeals = Обращения за период
serial-repeated = повторное
err-invalid_period = Период начинается позже, чем заканчивается.

## transparency
tr-link = Индекс прозрачности государственных органов: кто отвечает в срок
tr-title = Индекс прозрачности государственных органов
tr-lead = Как каждый государственный орган рассматривает обращения граждан — по реальным данным, пересчитывается ежедневно: ответы в срок, рабочие дни до ответа, продления, несвоевременное перенаправление, оценки граждан, жалобы и повторные обращения. Сравнивайте органы внутри региона и уровня.
tr-region = Регион
tr-all-regions = Все регионы
tr-level = Уровень органа
tr-all-levels = Все уровни
tr-computed-for = Рассчитано на
tr-window-from = учтены обращения, зарегистрированные с
tr-not-computed = Индекс ещё не рассчитан.
tr-ranking = Рейтинг государственных органов
tr-rank = Место
tr-body = Орган
tr-appeals = Обращения
tr-score = Балл (0–100)
tr-no-data = Нет данных: за период слишком мало обращений, чтобы включить орган в рейтинг.
tr-no-value = —
tr-methodology = Методика
tr-method-window = Период: обращения, зарегистрированные за последние N дней, N =
tr-method-min = Орган включается в рейтинг, только если обращений не меньше:
tr-method-score = Каждый показатель приводится к шкале от 0 (худшее значение) до 1 (лучшее значение); балл — это взвешенное среднее показателей, умноженное на 100. Показатель, который нельзя измерить (ещё нет ответов, нет оценок), не учитывается, а веса остальных пропорционально увеличиваются. Несвоевременное перенаправление засчитывается органу, который перенаправил обращение.
tr-method-table = Показатели, их веса и границы
tr-component = Показатель
tr-weight = Вес
tr-best = Лучшее (1)
tr-worst = Худшее (0)
tr-definition = Что измеряется
tr-method-version = Версия методики
tr-level-central = Центральные органы
tr-level-oblast_akimat = Акиматы областей
tr-level-oblast_maslikhat = Маслихаты областей
tr-level-district_akimat = Акиматы районов
tr-level-district_maslikhat = Маслихаты районов
tr-level-other = Другие органы
tr-c-on_time = В срок
tr-c-median_working_days = Медиана рабочих дней
tr-c-extended = Продлено
tr-c-forwarded_late = Перенаправлено с опозданием
tr-c-rating = Средняя оценка
tr-c-complaints = Обжаловано
tr-c-repeated = Повторные
tr-d-on_time = Доля обращений, на которые ответили не позднее срока, среди получивших ответ и оставшихся без ответа после срока.
tr-d-median_working_days = Медиана рабочих дней от регистрации до ответа по рабочей неделе органа.
tr-d-extended = Доля обращений, срок рассмотрения которых продлевался.
tr-d-forwarded_late = Доля обращений, которые орган перенаправил в компетентный орган позднее 3 рабочих дней после регистрации.
tr-d-rating = Средняя оценка ответов гражданами, от 1 до 5.
tr-d-complaints = Доля обращений, обжалованных в вышестоящий орган.
tr-d-repeated = Доля повторных обращений: тот же заявитель по тому же вопросу снова.
err-invalid_region = Выберите регион из списка.
err-invalid_org_level = Выберите уровень органа из списка.

## similarity
nav-campaigns = Кампании
similar-title = Похожие обращения
similar-count = { $n ->
    [one] { $nf } похожее обращение
    [few] { $nf } похожих обращения
   *[other] { $nf } похожих обращений
}
similar-group-size = { $n ->
    [one] в группе { $nf } обращение
    [few] в группе { $nf } обращения
   *[other] в группе { $nf } обращений
}
similar-pending = Это обращение ещё не сравнено с другими. Обновите страницу через минуту.
similar-none = Среди похожих обращений нет доступных вам.
similar-similarity = Сходство
similar-answer-group = Ответить всей группе
similar-answer-group-hint = Этот ответ получит каждое обращение группы, на которое вы вправе ответить; каждый ответ вносится в журнал и сообщается заявителю, как обычный ответ. Остальные пропускаются с указанием причины.
similar-answered = { $n ->
    [one] дан ответ на { $nf } обращение
    [few] дан ответ на { $nf } обращения
   *[other] дан ответ на { $nf } обращений
}
similar-skipped = { $n ->
    [one] пропущено: { $nf }
    [few] пропущено: { $nf }
   *[other] пропущено: { $nf }
}
campaigns-title = Массовые кампании
campaigns-lead = Группы почти одинаковых обращений — один текст от многих людей, — зарегистрированные за период; сначала самые крупные.
campaigns-min-size = Наименьшая группа
campaigns-none = За период нет групп такого размера.
campaigns-earliest = Первое обращение
campaigns-size = Обращений
campaigns-first = Первое
campaigns-last = Последнее
campaigns-orgs = Рассматривающие органы
campaigns-open = Все обращения группы
err-similarity_pending = Обращение ещё не сравнено с другими. Повторите через минуту.

## hotspots and sensitive appeals
nav-hotspots = Очаги проблем
nav-sensitive = Резонансные обращения
hot-title = Очаги проблем
hot-lead = { $n ->
    [one] Районы и места, где обращений по одной теме стало намного больше обычного для них: каждая неделя сравнивается с { $nf } неделей до неё.
    [few] Районы и места, где обращений по одной теме стало намного больше обычного для них: каждая неделя сравнивается с { $nf } неделями до неё.
   *[other] Районы и места, где обращений по одной теме стало намного больше обычного для них: каждая неделя сравнивается с { $nf } неделями до неё.
}
hot-as-of = По состоянию на
hot-none = Ничего не выделяется: ни в одном районе и месте обращений не больше обычного ни на этой, ни на прошлой неделе.
hot-table = Самые острые сейчас, по убыванию
hot-area = Район или место
hot-week = Неделя с
hot-count = Обращений
hot-expected = Обычно в неделю
hot-score = Оценка
hot-appeals = Обращения
hot-open = Показать обращения
hot-kind-cluster = Скопление
hot-cells = { $n ->
    [one] { $nf } квадрат около 1 км
    [few] { $nf } квадрата около 1 км
   *[other] { $nf } квадратов около 1 км
}
hot-method-title = Как находятся очаги
hot-method = Обращения считаются по неделям для каждого района и темы, а также для каждого квадрата около километра, если у обращения есть точка на карте. Число за неделю сравнивается со средним той же серии за предыдущие недели с учётом её обычного разброса: район, где всегда много жалоб на дороги, не считается очагом, а резкий рост — считается. Соседние квадраты с большим числом обращений объединяются в одно скопление.
hot-appeals-title = Обращения очага
hot-place = Место
hot-org = Орган
hot-text = Текст
sens-title = Резонансные обращения
sens-lead = Обращения об угрозе жизни и здоровью, о детях в опасности, об отключении отопления, воды или света зимой, о коррупции и массовых мероприятиях, отмеченные при регистрации, сначала новые. Они требуют приоритетного контроля.
sens-tag = Резонансное
sens-topic = Тема
sens-because = Причина отметки
sens-received = Поступило
sens-include-closed = Включая отвеченные и закрытые
sens-none = Открытых резонансных обращений нет.
sens-terms-title = Словарь резонансных терминов
sens-terms-lead = Слова и выражения, по которым обращение отмечается как резонансное. Каждое слово совпадает со всеми словами, которые с него начинаются, так что «угроз» находит «угроза» и «угрозы»; между словами выражения может быть до двух других слов. Изменение действует для обращений, зарегистрированных после него.
sens-terms-count = { $n ->
    [one] { $nf } термин
    [few] { $nf } термина
   *[other] { $nf } терминов
}
sens-term = Термин
sens-term-hint = От одного до пяти слов, в каждом не меньше трёх букв.
sens-add = Добавить термин
sens-remove = Удалить
notice-term-added = Термин добавлен.
notice-term-removed = Термин удалён.
topic-life_health = Угроза жизни и здоровью
topic-children = Дети
topic-utilities_winter = Отключение коммунальных услуг зимой
topic-corruption = Коррупция
topic-mass_events = Массовые мероприятия
err-invalid_cell = Квадраты карты указаны неверно.
err-missing_area = Выберите район или место на карте.
err-empty_term = Введите термин.
err-term_too_short = В термине должно быть слово не короче трёх букв, а в каждом слове — не меньше двух букв.
err-unknown_pseudonym = Ни у одного заявителя из списка за период нет такого псевдонима.
err-term_too_long = В термине не больше пяти слов.
err-duplicate_term = Такой термин уже есть в словаре.
err-term_not_found = Такого термина нет.

## hidden public services
nav-hidden = Скрытые услуги
hidden-title = Скрытые государственные услуги
hidden-lead = Заявления, в которых люди раз за разом просят одно и то же, хотя ни одна зарегистрированная госуслуга этого не покрывает: кандидаты в новые услуги или в реестр. Заявления за период группируются по тому, о чём просят; группа показывается, если ни одна услуга не покрывает хотя бы половину её заявлений.
hidden-min-volume = Не меньше заявлений
hidden-registry = { $n ->
    [one] В реестре { $nf } госуслуга
    [few] В реестре { $nf } госуслуги
   *[other] В реестре { $nf } госуслуг
}
hidden-none = Все повторяющиеся заявления за период покрыты зарегистрированными услугами.
hidden-table = Повторяющиеся заявления без услуги, сначала крупные
hidden-terms = О чём просят
hidden-volume = Заявлений
hidden-sample = Последнее из них
hidden-examples = Примеры
hidden-computed = Рассчитано
hidden-stored = в фоне, для всех читателей: отчёт пересчитывается каждый день и после каждого изменения реестра.
hidden-on-request = для этого запроса (в фоне рассчитываются только стандартные периоды, оканчивающиеся сегодня).
hidden-stale = С момента расчёта изменился реестр или наступил новый день: рассчитывается новый отчёт. Обновите страницу через минуту.
hidden-applications = { $n ->
    [one] Прочитано { $nf } заявление за период.
    [few] Прочитано { $nf } заявления за период.
   *[other] Прочитано { $nf } заявлений за период.
}
services-title = Реестр государственных услуг
services-lead = Госуслуги, за которыми гражданин может обратиться. Услуга покрывает заявления своей темы, в которых есть одна из её ключевых фраз.
services-count = { $n ->
    [one] { $nf } услуга
    [few] { $nf } услуги
   *[other] { $nf } услуг
}
services-name = Услуга
services-keywords = Ключевые фразы
services-keywords-hint = Фразы через «;», каждое слово совпадает со словами, которые с него начинаются, например «справк состав семь». Пусто — все заявления темы.
services-add-title = Зарегистрировать услугу
services-id = Код
services-id-hint = Строчные латинские буквы, цифры, «-» или «.», например family-certificate.
services-name-kk = Название на казахском
services-name-ru = Название на русском
services-name-en = Название на английском
services-add = Зарегистрировать услугу
notice-service-added = Услуга зарегистрирована.
notice-service-removed = Услуга удалена из реестра.
err-keyword_too_short = В каждом слове ключевой фразы должно быть не меньше трёх букв.
err-no_keyword_phrase = В ключевых словах нет ни одной фразы: напишите слова через «;» или оставьте поле пустым.
err-service_covers_everything = У услуги должна быть категория или ключевые слова: без них она покрывала бы все заявления.
err-duplicate_service = Услуга с таким кодом уже зарегистрирована.
err-service_not_found = Такой услуги нет.
err-invalid_service_id = Код — строчные латинские буквы, цифры, «-» или «.».

## learned classification and routing
field-category-auto = Не знаю: пусть Tyndau подскажет
advice-title = Классификация и компетентный орган
advice-category = Классификатор предлагает
advice-not-sure = уверенности недостаточно, чтобы заполнить самому
advice-no-model = Классификатор ещё не обучен: он учится на категориях, которые подтверждают и исправляют сотрудники.
advice-set-category = Категория обращения
advice-set-category-hint = Сохранение той же категории подтверждает её, другой — исправляет; классификатор учится на обоих.
advice-save-category = Подтвердить или исправить
advice-rule-org = По правилам маршрутизации
advice-model-org = По тому, кто отвечал на похожие обращения
advice-advised-org = Рекомендуется
advised-by-rules = по правилам маршрутизации
advised-by-model = обученная маршрутизация уверена и расходится с правилами
advised-by-both = правила и обученная маршрутизация совпадают
notice-done-category-confirmed = Категория подтверждена.
notice-done-category-corrected = Категория исправлена.
event-classify = Категория подтверждена или исправлена
err-period_too_long = Период слишком длинный: выберите не больше года.
err-training_in_progress = Идёт обучение; повторите, когда оно закончится.
err-category_locked = На обращение уже ответили или оно закрыто: категория остаётся той, по которой дан ответ.
err-category_changes_term = У этой категории другой срок рассмотрения, а срок уже продлён: зарегистрируйте обращение заново или перенаправьте его.
## similarity: picking the appeals of a group answer, pages of the list
similar-select = Ответить
similar-select-this = Ответить и на это обращение
similar-select-hint = Ответ получат отмеченные обращения. Обращения, текст которых недостаточно близок к этому, не отмечены: в группу они попали через другие обращения.
similar-page = Страница { $nf }
similar-page-prev = Предыдущая страница
similar-page-next = Следующая страница
err-not_similar_enough = Текст недостаточно близок к тексту этого обращения.
err-over_limit = Сверх 500 ответов одного запроса: отправьте ответ ещё раз для остальных.
appeal-answer-language = Язык ответа
appeal-text-language = язык текста
event-category-by-classifier = тема выбрана классификатором, уверенность
