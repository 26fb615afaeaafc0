//! The interface's words in English and Russian: one typed catalogue for the app and the mail.
//!
//! Every visible string is a [`Text`] variant, so a missing translation is a compile error rather
//! than an English word on a Russian screen.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    #[default]
    En,
    Ru,
}

impl Locale {
    /// The code used in the API and in the user's profile.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ru => "ru",
        }
    }

    /// Parses `en` or `ru`; anything else is English.
    pub fn from_code(code: &str) -> Locale {
        match code {
            "ru" => Locale::Ru,
            _ => Locale::En,
        }
    }
}

macro_rules! catalogue {
    ($($key:ident => $en:literal, $ru:literal;)*) => {
        /// A string of the interface.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Text { $($key,)* }

        impl Text {
            /// Every text of the catalogue.
            pub const ALL: &'static [Text] = &[$(Text::$key,)*];

            /// This text in the given language.
            pub fn get(self, locale: Locale) -> &'static str {
                // Each language is one string holding its texts, each ended by a NUL: the
                // browser bundle carries no per-text code and no table, and where each text
                // starts is found once per language, on first use.
                const EN: &str = concat!($($en, "\0",)*);
                const RU: &str = concat!($($ru, "\0",)*);
                const _: () = assert!(
                    without_nul(&[$($en,)* $($ru,)*]),
                    "a text of the catalogue holds a NUL"
                );
                const _: () = assert!(
                    EN.len() <= u16::MAX as usize && RU.len() <= u16::MAX as usize,
                    "a language outgrows two-byte offsets"
                );
                static STARTS: [OnceLock<Vec<u16>>; 2] = [OnceLock::new(), OnceLock::new()];
                let (texts, starts) = match locale {
                    Locale::En => (EN, &STARTS[0]),
                    Locale::Ru => (RU, &STARTS[1]),
                };
                let start = starts.get_or_init(|| text_starts(texts))[self as usize] as usize;
                let length = texts.as_bytes()[start..]
                    .iter()
                    .position(|&byte| byte == 0)
                    .unwrap_or(0);
                &texts[start..start + length]
            }
        }
    };
}

/// Whether none of `texts` holds a NUL, the catalogue's separator (at compile time).
const fn without_nul(texts: &[&str]) -> bool {
    let mut index = 0;
    while index < texts.len() {
        let bytes = texts[index].as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if bytes[at] == 0 {
                return false;
            }
            at += 1;
        }
        index += 1;
    }
    true
}

/// Where each text of a language's NUL-ended texts starts.
fn text_starts(texts: &str) -> Vec<u16> {
    let mut starts = vec![0];
    starts.extend(
        texts
            .bytes()
            .enumerate()
            .filter(|&(_, byte)| byte == 0)
            .map(|(at, _)| at as u16 + 1),
    );
    starts
}

catalogue! {
    AppName => "Reglament", "Регламент";
    Email => "Email", "Эл. почта";
    Password => "Password", "Пароль";
    SignIn => "Sign in", "Войти";
    SignOut => "Sign out", "Выйти";
    SignInTitle => "Sign in to Reglament", "Вход в Регламент";
    SignInFailed => "Wrong email or password", "Неверная почта или пароль";
    MyTickets => "My tickets", "Мои обращения";
    Queue => "Queue", "Очередь";
    Language => "Language", "Язык";
    Loading => "Loading…", "Загрузка…";
    NoTickets => "No tickets yet", "Обращений пока нет";
    NoTicketsMatch => "No tickets match this view or search", "Нет обращений, подходящих под этот вид или поиск";
    TicketNotFound => "There is no ticket with this number, or it is not yours to see.", "Обращения с таким номером нет, или оно вам недоступно.";
    ServiceBlocked => "Your organisation cannot file tickets now: its support contract does not cover today. Please contact your account manager.", "Ваша организация сейчас не может подавать обращения: договор поддержки не действует на сегодня. Обратитесь к вашему менеджеру.";
    PreviewChooseSeverity => "Choose a severity to see the deadlines.", "Выберите критичность, чтобы увидеть сроки.";
    PreviewForCustomer => "The deadlines follow the chosen customer's contract once the ticket is registered.", "Сроки определит договор выбранного клиента при регистрации обращения.";
    PreviewUnavailable => "The deadlines cannot be previewed now.", "Сроки сейчас не удаётся показать.";
    ExpediteWhy => "Why must this ticket go faster?", "Почему это обращение нужно ускорить?";
    ExpediteConfirmHelp => "The head of support is asked to treat this ticket first. Ask only when waiting would harm your work.", "Руководитель поддержки получит просьбу заняться обращением в первую очередь. Просите, только если ожидание вредит вашей работе.";
    ExpediteConfirm => "Confirm: expedite", "Подтвердить ускорение";
    ExpediteNeedsReason => "Say why the ticket must go faster.", "Укажите, почему обращение нужно ускорить.";
    ProposalExplains => "If you accept, the support commits to resolve the ticket", "Если вы согласитесь, поддержка обязуется решить обращение";
    ProposalWithin => "within", "в течение";
    ProposalBy => "that is, by", "то есть до";
    ProposalFromReproduced => "counted from the moment the support reproduces the problem", "считая с момента, когда поддержка воспроизведёт проблему";
    ProposalNoDeadline => "If you accept, the ticket has no committed resolution deadline.", "Если вы согласитесь, у обращения не будет обязательного срока решения.";
    Reference => "Reference", "Номер";
    Subject => "Subject", "Тема";
    Status => "Status", "Статус";
    Organisation => "Organisation", "Организация";
    Deadline => "Deadline", "Срок";
    NewTicket => "New ticket", "Новое обращение";
    Category => "Category", "Категория";
    Severity => "Severity", "Критичность";
    SpecialRequest => "Special request", "Спецобращение";
    SpecialHelp => "Handled 24x7 and out of turn. Use it only for real emergencies: every special request is visible to the head of support.", "Обрабатывается круглосуточно и вне очереди. Используйте только в экстренных случаях: каждое спецобращение видно руководителю поддержки.";
    ProductVersion => "Product version", "Версия продукта";
    Description => "Description", "Описание";
    StepsToReproduce => "Steps to reproduce", "Шаги воспроизведения";
    Attachments => "Attachments", "Вложения";
    AttachmentsHelp => "Drop files here or choose them: jpg, gif, png, zip, rar, 7z, pdf, txt, log; up to 20 MiB each.", "Перетащите файлы сюда или выберите их: jpg, gif, png, zip, rar, 7z, pdf, txt, log; до 20 МиБ каждый.";
    Submit => "Submit", "Отправить";
    CategoryA => "A — Environment: hardware, operating system or your own software", "A — Окружение: оборудование, ОС или ваше программное обеспечение";
    CategoryB => "B — Third-party components shipped with the product", "B — Сторонние компоненты в составе продукта";
    CategoryC => "C — A defect in the product: it does not work as documented", "C — Дефект продукта: работает не так, как описано";
    CategoryD => "D — A question about configuration or use", "D — Вопрос о настройке или использовании";
    CategoryE => "E — A wish for a new feature (recorded, no deadline)", "E — Пожелание новой функции (фиксируется, без срока)";
    Severity1 => "1 — Critical: the system cannot be used", "1 — Критическая: система неработоспособна";
    Severity2 => "2 — Serious, no workaround", "2 — Серьёзная, обхода нет";
    Severity3 => "3 — Minor, a workaround exists", "3 — Незначительная, есть обход";
    Severity4 => "4 — Not a defect: works as designed", "4 — Не дефект: работает как задумано";
    ChooseSeverity => "Choose a severity", "Выберите критичность";
    SlaPreview => "Your ticket will get", "Ваше обращение получит";
    FirstResponseBy => "First response by", "Первый ответ до";
    NoCommitment => "no committed deadline", "без обязательного срока";
    SuggestedAnswers => "These published known errors may already answer your question:", "Возможно, на ваш вопрос уже отвечают опубликованные известные ошибки:";
    Reply => "Reply", "Ответить";
    Send => "Send", "Отправить";
    Accept => "Accept", "Принять";
    Reject => "Reject", "Отклонить";
    Expedite => "Expedite", "Ускорить";
    Rate => "Rate", "Оценить";
    Reopen => "Reopen", "Переоткрыть";
    Comment => "Comment", "Комментарий";
    Score => "Score", "Оценка";
    Thread => "Conversation", "Переписка";
    Timeline => "History", "История";
    Clocks => "Deadlines", "Сроки";
    PausedUntil => "paused until", "пауза до";
    WaitingForYou => "waiting for your reply", "ждёт вашего ответа";
    WaitingForCustomer => "waiting for the customer", "ждёт клиента";
    Met => "met", "выполнен";
    Breached => "breached", "нарушен";
    AtRisk => "at risk", "под угрозой";
    Running => "running", "идёт";
    Paused => "paused", "на паузе";
    Overdue => "overdue", "просрочено";
    Left => "left", "осталось";
    FirstResponse => "First response", "Первый ответ";
    NextResponse => "Next response", "Следующий ответ";
    Resolution => "Resolution", "Решение";
    Escalation => "Escalation", "Эскалация";
    Live => "Live", "Онлайн";
    Reconnecting => "Reconnecting…", "Переподключение…";
    LoadFailed => "Could not load", "Не удалось загрузить";
    Retry => "Retry", "Повторить";
    Back => "Back", "Назад";
    Sending => "Sending…", "Отправка…";
    Uploaded => "uploaded", "загружено";
    Refused => "refused", "отклонено";
    Remove => "Remove", "Удалить";
    ChooseFiles => "Choose files", "Выбрать файлы";
    StatusNew => "New", "Новое";
    StatusOpen => "Open", "В работе";
    StatusWaiting => "Waiting for customer", "Ждёт клиента";
    StatusEscalated => "Escalated", "Эскалировано";
    StatusResolved => "Resolved", "Решено";
    StatusClosed => "Closed", "Закрыто";
    StatusReopened => "Reopened", "Переоткрыто";
    Staff => "Support", "Поддержка";
    Automatic => "automatic", "автоматически";
    Take => "Take", "Взять";
    Assign => "Assign", "Назначить";
    InternalNote => "Internal note", "Внутренняя заметка";
    RequestInfo => "Request info", "Запросить информацию";
    MarkReproduced => "Mark reproduced", "Воспроизведено";
    Escalate => "Escalate", "Эскалировать";
    LinkKnownError => "Link known error", "Связать с известной ошибкой";
    EffectReply => "A public reply stops the first-response clock and the running next-response clock.", "Публичный ответ останавливает часы первого ответа и текущего повторного ответа.";
    EffectInternalNote => "An internal note changes no clock; the customer never sees it.", "Внутренняя заметка не меняет часов; клиент её не видит.";
    EffectRequestInfo => "Counts as a response and pauses resolution until the customer answers.", "Считается ответом и ставит решение на паузу до ответа клиента.";
    EffectMarkReproduced => "Starts the resolution clock where the plan counts from reproduction.", "Запускает часы решения, если план считает их от воспроизведения.";
    EffectEscalate => "Hands the ticket to L2 and starts the escalation clock.", "Передаёт обращение на L2 и запускает часы эскалации.";
    EffectLinkKnownError => "Stops the escalation clock.", "Останавливает часы эскалации.";
    EffectPropose => "No target changes until the customer accepts.", "Сроки не меняются, пока клиент не согласится.";
    EffectResolve => "Stops every clock; the customer may rate or reopen.", "Останавливает все часы; клиент может оценить или переоткрыть.";
    EffectReopen => "Resumes resolution; the time it was resolved counts as paused.", "Возобновляет решение; время в решённом статусе считается паузой.";
    EffectClose => "Stops every clock for good.", "Окончательно останавливает все часы.";
    EffectNone => "Changes no clock.", "Не меняет часов.";
    EffectHold => "Pauses the clocks the plan names while on hold (resolution by default); the customer sees the reason.", "Ставит на паузу часы, указанные в плане (по умолчанию решение); клиент видит причину.";
    EffectResume => "Takes the ticket back into work: the paused clocks run again.", "Возвращает обращение в работу: часы на паузе снова идут.";
    StatusOnHold => "On hold", "Отложено";
    Hold => "Hold", "Отложить";
    Resume => "Resume", "Возобновить";
    HoldReason => "Reason", "Причина";
    HoldKindLabel => "Reason kind", "Вид причины";
    HoldUntil => "Resume automatically on", "Возобновить автоматически";
    HoldVendorFix => "Waiting for a vendor fix", "Ожидание исправления от производителя";
    HoldUnlicensedCopy => "Unlicensed copy", "Нелицензионная копия";
    HoldScheduledWork => "Scheduled work", "Плановые работы";
    HoldOther => "Other", "Другое";
    OnHoldBecause => "On hold:", "Отложено:";
    OnHoldUntil => "until", "до";
    Channel => "Channel", "Канал";
    ChannelPortal => "Portal", "Портал";
    ChannelEmail => "E-mail", "Эл. почта";
    ChannelPhone => "Phone", "Телефон";
    ChannelIntranet => "Intranet", "Интранет";
    ChannelOther => "Other", "Другое";
    NewTicketForCustomer => "New ticket for a customer", "Новое обращение за клиента";
    Customer => "Customer", "Клиент";
    FindCustomer => "Find a customer by name or e-mail", "Найдите клиента по имени или почте";
    Requester => "Requester", "Заявитель";
    PersonName => "Name", "Имя";
    Contract => "Contract", "Договор";
    OtherOpenTickets => "Other open tickets", "Другие открытые обращения";
    NoOtherOpenTickets => "No other open tickets", "Других открытых обращений нет";
    LinkedKnownErrors => "Known errors", "Известные ошибки";
    CannedResponse => "Canned response", "Шаблон ответа";
    CannedChoose => "Insert a canned response…", "Вставить шаблон ответа…";
    ProposeReclassification => "Propose reclassification", "Предложить переклассификацию";
    Resolve => "Resolve", "Решить";
    Close => "Close", "Закрыть";
    Search => "Search", "Поиск";
    Filters => "Filters", "Фильтры";
    ViewAll => "All open", "Все открытые";
    ViewMine => "Mine", "Мои";
    ViewUnassigned => "Unassigned", "Без исполнителя";
    ViewL2 => "L2", "L2";
    ViewSpecial => "Special", "Особые";
    ViewAtRisk => "At risk", "Под угрозой";
    ViewBreached => "Breached", "Нарушены";
    Assignee => "Assignee", "Исполнитель";
    Plan => "Plan", "План";
    NextPage => "Next page", "Следующая страница";
    FirstPage => "First page", "Первая страница";
    Unassigned => "unassigned", "не назначено";
    KeyboardHelp => "Keys: j/k move, Enter opens, t takes", "Клавиши: j/k — перемещение, Enter — открыть, t — взять";
    NoMessages => "No messages yet", "Сообщений пока нет";
    ThanksForRating => "Thank you for your rating", "Спасибо за оценку";
    Stars => "stars", "звёзд";
    RatingLinkTitle => "Rate the answer or reopen the ticket", "Оцените ответ или переоткройте обращение";
    RatingLinkUnknown => "This link is unknown or has expired. Sign in to see your tickets.", "Ссылка неизвестна или устарела. Войдите, чтобы увидеть свои обращения.";
    RatingLinkUsed => "This link was already used. Sign in to see the ticket.", "Эта ссылка уже использована. Войдите, чтобы открыть обращение.";
    RatingLinkReopened => "The ticket is reopened; support will answer you.", "Обращение переоткрыто, поддержка ответит вам.";
    RatingLinkReopenHelp => "Still not solved? Say what is still wrong and the ticket reopens.", "Проблема не решена? Опишите, что не так, и обращение будет переоткрыто.";
    OpenInPortal => "Open in the portal", "Открыть на портале";
    DownloadedByRequester => "Downloaded by the requester at", "Заявитель скачал";
    UnsupportedVersionsSetting => "Tickets on an unsupported version", "Обращения по неподдерживаемой версии";
    UnsupportedAccept => "Accept, flagged", "Принимать с пометкой";
    UnsupportedAdviceOnly => "Advice only (as a consultation)", "Только консультация";
    UnsupportedRefuse => "Refuse", "Отклонять";
    ScheduledWork => "Scheduled off-hours work", "Плановые работы в нерабочее время";
    ScheduledWorkHelp => "The time of the work is agreed at least 2 working days ahead; the ticket waits on hold until it starts.", "Время работ согласуется не позднее чем за 2 рабочих дня; до начала работ обращение отложено.";
    ScheduledStart => "Start of the work", "Начало работ";
    ScheduledEnd => "End of the work", "Окончание работ";
    EarliestStart => "Earliest start", "Самое раннее начало";
    PaidWork => "Paid work", "Платная услуга";
    PaidWorkHelp => "Provided only while your organisation's prepaid balance covers it; the time spent is drawn from it.", "Оказывается только при наличии средств на лицевом счёте организации; затраченное время списывается с него.";
    MinutesSpent => "Time spent, minutes", "Затрачено, минут";
    MinutesShort => "min", "мин";
    PrepaidBalance => "Prepaid balance", "Предоплаченный баланс";
    BalanceOf => "Prepaid balance of", "Предоплаченный баланс:";
    BalanceHistory => "History of the balance", "История баланса";
    BalanceTopUp => "Top-up", "Пополнение";
    BalanceCorrection => "Correction", "Корректировка";
    BalanceWork => "Work", "Работы";
    Minutes => "Minutes", "Минуты";
    RecordChange => "Record the change", "Записать изменение";
    NoBalanceHistory => "No changes yet", "Изменений пока нет";
    PasswordReminders => "Password reminders", "Напоминания о паролях";
    PasswordRemindersHelp => "The resolution mail reminds the customer to change temporary passwords given to support. An organisation's own text overrides its plan's; both texts empty removes it.", "Письмо о решении напоминает клиенту сменить временные пароли, переданные поддержке. Текст организации заменяет текст плана; оба пустых текста удаляют напоминание.";
    ReminderFor => "Reminder of", "Напоминание для";
    ReminderEnglish => "Text in English", "Текст на английском";
    ReminderRussian => "Text in Russian", "Текст на русском";
    SaveReminder => "Save the reminder", "Сохранить напоминание";
    OnHoldPausesSetting => "Clocks that pause while a ticket is on hold", "Какие сроки останавливаются, пока обращение отложено";
    UnsupportedVersion => "Unsupported version", "Неподдерживаемая версия";
    Product => "Product", "Продукт";
    NoProduct => "Not listed", "Нет в списке";
    SupportedVersions => "Supported versions", "Поддерживаемые версии";
    Reason => "Reason", "Причина";
    ProposedReclassification => "Support proposes to reclassify this ticket", "Поддержка предлагает изменить классификацию";
    NewDeadline => "New deadline", "Новый срок";
    Announcements => "Announcements", "Объявления";
    KnownErrors => "Known errors", "Известные ошибки";
    Profile => "Profile", "Профиль";
    TimeZone => "Time zone", "Часовой пояс";
    MailPreferences => "Mail me about my tickets", "Присылать письма о моих обращениях";
    Save => "Save", "Сохранить";
    Saved => "Saved", "Сохранено";
    Workaround => "Workaround", "Обходное решение";
    NoKnownErrors => "No published known errors", "Опубликованных известных ошибок нет";
    ExpediteSent => "The head of support has been asked to expedite", "Руководитель поддержки получил просьбу ускорить";
    ReplyPlaceholder => "Write your message", "Напишите сообщение";
    Registered => "Registered", "Зарегистрировано";
    NothingHere => "Nothing here", "Здесь пусто";
    DemoAccounts => "Demo accounts use the password “demo”.", "Пароль демо-учётных записей — «demo».";
    MainNavigation => "Main", "Главное меню";
    NotAllowed => "Your role does not give access to this page", "Ваша роль не даёт доступа к этой странице";
    Admin => "Admin", "Администрирование";
    Administration => "Administration", "Администрирование";
    Organisations => "Organisations", "Организации";
    Contracts => "Contracts", "Договоры";
    Accounts => "Accounts", "Учётные записи";
    AuditLog => "Audit log", "Журнал аудита";
    Calendars => "Calendars", "Календари";
    Webhooks => "Webhooks", "Вебхуки";
    WebhooksHelp => "Each delivery is a JSON body signed with HMAC-SHA256 of \"timestamp.body\" under the secret, in the header X-Reglament-Signature: t=…,v1=…; a failed delivery is retried with a growing pause.", "Каждая доставка — JSON, подписанный HMAC-SHA256 от «время.тело» с секретом, в заголовке X-Reglament-Signature: t=…,v1=…; неудачная доставка повторяется со всё большей паузой.";
    AddWebhook => "Add an endpoint", "Добавить получателя";
    WebhookUrl => "Endpoint address", "Адрес получателя";
    WebhookSecret => "Signing secret (16 characters or more)", "Секрет подписи (от 16 символов)";
    WebhookEvents => "Events", "События";
    WebhookInternal => "Internal notes too (a system of the support team's own)", "Включая внутренние заметки (система самой поддержки)";
    NoWebhooks => "No endpoints yet.", "Получателей пока нет.";
    WebhookCreated => "Endpoint added", "Получатель добавлен";
    DeliveryLog => "Delivery log", "Журнал доставки";
    NoDeliveries => "Nothing to deliver yet.", "Доставок пока не было.";
    DeliveryPending => "Pending", "Ожидает";
    DeliveryDelivered => "Delivered", "Доставлено";
    DeliveryFailed => "Given up", "Не доставлено";
    Attempts => "Attempts", "Попытки";
    ResponseCode => "Answer", "Ответ";
    Enabled => "On", "Включён";
    Disabled => "Off", "Выключен";
    Enable => "Turn on", "Включить";
    Disable => "Turn off", "Выключить";
    EventTicketCreated => "Ticket created", "Обращение создано";
    EventStatusChanged => "Status changed", "Статус изменён";
    EventMessageAdded => "Message added", "Добавлено сообщение";
    EventClockAtRisk => "Deadline at risk", "Срок под угрозой";
    EventClockBreached => "Deadline breached", "Срок нарушен";
    EventRated => "Rated", "Поставлена оценка";
    Mailboxes => "Mailboxes", "Почтовые ящики";
    MailboxesHelp => "The server reads each enabled mailbox over IMAP, registers or threads every message as mail to the gateway would, and moves it to the processed folder; a message it cannot read goes to the failed folder and the dead letters.", "Сервер читает каждый включённый ящик по IMAP, регистрирует или добавляет в обращение каждое письмо, как при доставке через шлюз, и переносит его в папку обработанных; письмо, которое прочесть нельзя, попадает в папку ошибок и в недоставленные.";
    AddMailbox => "Add a mailbox", "Добавить ящик";
    MailboxHost => "IMAP server", "IMAP-сервер";
    MailboxPort => "Port", "Порт";
    MailboxTls => "Connection security", "Защита соединения";
    TlsNone => "None (the same host or network only)", "Нет (только тот же узел или сеть)";
    TlsStarttls => "STARTTLS", "STARTTLS";
    TlsTls => "TLS", "TLS";
    MailboxUser => "User name", "Имя пользователя";
    MailboxPassword => "Password", "Пароль";
    MailboxFolder => "Folder", "Папка";
    ProcessedFolder => "Processed folder", "Папка обработанных";
    FailedFolder => "Failed folder", "Папка ошибок";
    MailboxProduct => "Product of new tickets", "Продукт новых обращений";
    NoProductChosen => "None", "Не указан";
    NoMailboxes => "No mailboxes yet.", "Почтовых ящиков пока нет.";
    MailboxCreated => "Mailbox added", "Ящик добавлен";
    TestConnection => "Test connection", "Проверить соединение";
    ConnectionWorks => "Connection works", "Соединение работает";
    MailboxOk => "Read fine", "Читается";
    MailboxFailing => "Failing", "Ошибка";
    MailboxUnknown => "Not read yet", "Ещё не читался";
    MessagesIngested => "Ingested", "Принято";
    MessagesFailed => "Failed", "Не принято";
    LastRead => "Last read", "Последнее чтение";
    StepConnect => "Cannot connect", "Не удалось подключиться";
    StepTls => "TLS failed", "Ошибка TLS";
    StepProtocol => "Unexpected answer", "Неожиданный ответ сервера";
    StepLogin => "Sign-in refused", "Вход отклонён";
    StepFolder => "Folder unusable", "Папка недоступна";
    ReadOnlyForSupervisors => "You can read these settings; only an admin can change them.", "Вы можете просматривать эти настройки; изменять их может только администратор.";
    Name => "Name", "Название";
    Actions => "Actions", "Действия";
    Edit => "Edit", "Изменить";
    Delete => "Delete", "Удалить";
    Deleted => "Deleted", "Удалено";
    Cancel => "Cancel", "Отмена";
    Created => "Created", "Создано";
    Saving => "Saving…", "Сохранение…";
    SaveChanges => "Save changes", "Сохранить изменения";
    ConfirmDelete => "Delete", "Удалить";
    ApplyFilters => "Apply filters", "Применить фильтры";
    ClearFilters => "Clear filters", "Сбросить фильтры";
    Any => "Any", "Любая";
    InvalidDate => "Enter a date and time", "Введите дату и время";
    NotADate => "Not a date like 2025-01-01:", "Не дата вида 2025-01-01:";
    WholeNumber => "Enter a whole number", "Введите целое число";
    NameRequired => "Enter a name", "Введите название";
    Until => "until", "до";
    Title => "Title", "Заголовок";
    Date => "Date", "Дата";
    Now => "Now", "Сейчас";
    When => "When", "Когда";
    Details => "Details", "Подробности";
    System => "system", "система";
    Vendor => "Vendor (staff)", "Поставщик (сотрудники)";
    Role => "Role", "Роль";
    RoleCustomer => "Customer", "Клиент";
    RoleAgentL1 => "Agent, first line (L1)", "Инженер первой линии (L1)";
    RoleAgentL2 => "Agent, second line (L2)", "Инженер второй линии (L2)";
    RoleSupervisor => "Supervisor", "Руководитель поддержки";
    RoleAdmin => "Admin", "Администратор";

    SearchKnownErrors => "Search known errors", "Поиск по известным ошибкам";
    SearchKnownErrorsHelp => "Results follow as you type: every word must appear in the title or the symptoms.", "Результаты обновляются по мере ввода: каждое слово должно встречаться в заголовке или симптомах.";
    NoKnownErrorsMatch => "No known error matches this search", "По этому запросу известных ошибок нет";
    NewKnownError => "New known error", "Новая известная ошибка";
    CreateKnownError => "Create known error", "Создать известную ошибку";
    BackToKnownErrors => "← All known errors", "← Все известные ошибки";
    KnownErrorNotFound => "This known error does not exist or is not published", "Такой известной ошибки нет или она не опубликована";
    Symptoms => "Symptoms", "Симптомы";
    AffectedVersions => "Affected versions", "Затронутые версии";
    Solution => "Solution", "Решение";
    KeInvestigating => "Investigating", "Исследуется";
    KeWorkaround => "Workaround available", "Есть обходное решение";
    KeFixed => "Fixed in", "Исправлена в";
    FixedInVersion => "Fixed in version", "Исправлена в версии";
    FixedInRequired => "Enter the version that fixes it", "Укажите версию с исправлением";
    FixedInformsLinked => "Saving it as fixed tells every linked ticket.", "Отметка «исправлена» будет сообщена во все связанные обращения.";
    FixedAndInformed => "Marked fixed; the linked tickets have been told", "Отмечено как исправленное; связанные обращения уведомлены";
    MarkFixed => "Mark fixed", "Отметить исправленной";
    MarkFixedAndInform => "Mark fixed and inform linked tickets", "Отметить исправленной и уведомить обращения";
    AlreadyFixed => "This known error is already marked fixed.", "Эта ошибка уже отмечена исправленной.";
    Published => "Published", "Опубликована";
    NotPublished => "Internal", "Внутренняя";
    PublishedForCustomers => "Published: customers can read it", "Опубликована: клиенты могут её читать";
    PublishedHelp => "Unpublished known errors are visible to support staff only.", "Неопубликованные ошибки видны только сотрудникам поддержки.";
    UpdatedAt => "Updated", "Обновлена";
    LinkedTickets => "Linked tickets", "Связанные обращения";
    NoLinkedTickets => "No ticket is linked to this known error yet.", "С этой ошибкой пока не связано ни одно обращение.";
    LinkedTicketsUnavailable => "The list of linked tickets is not available from the server yet.", "Список связанных обращений пока недоступен на сервере.";

    NewAnnouncement => "New announcement", "Новое объявление";
    EditAnnouncement => "Edit announcement", "Изменить объявление";
    NoAnnouncements => "No announcements yet", "Объявлений пока нет";
    Kind => "Kind", "Вид";
    KindSchedule => "Schedule change", "Изменение графика";
    KindHoliday => "Holiday hours", "Праздничный график";
    KindOutage => "Outage", "Сбой";
    KindInfo => "Information", "Информация";
    MessageText => "Text", "Текст";
    Validity => "Validity", "Срок действия";
    ValidFrom => "Valid from", "Действует с";
    ValidUntil => "Valid until", "Действует до";
    ValidUntilHelp => "Leave empty to keep it until it is deleted.", "Оставьте пустым, чтобы объявление действовало до удаления.";
    NoEnd => "no end", "без срока";
    Scheduled => "scheduled", "запланировано";
    Current => "current", "действует";
    Expired => "expired", "истекло";
    Visibility => "Shown to", "Кому видно";
    PublicToo => "Everyone, sign-in page too", "Всем, и на странице входа";
    SignedInOnly => "Signed-in users", "Вошедшим пользователям";
    ShowOnSignIn => "Also show on the sign-in page", "Показывать и на странице входа";
    Publish => "Publish", "Опубликовать";

    NewOrganisation => "New organisation", "Новая организация";
    CreateOrganisation => "Create organisation", "Создать организацию";
    NoOrganisations => "No organisations yet", "Организаций пока нет";
    ContractInForce => "Contract in force", "Действующий договор";
    NoContract => "no contract", "нет договора";
    OnExpiry => "When the contract expires", "Когда договор истекает";
    OnExpiryUnqualified => "Serve without commitments (unqualified)", "Обслуживать без обязательств (unqualified)";
    OnExpiryBlock => "Block the organisation's accounts", "Блокировать учётные записи организации";
    OnExpiryHelp => "What intake does for tickets registered without a valid contract.", "Что делать с обращениями, зарегистрированными без действующего договора.";
    NewContract => "New contract", "Новый договор";
    CreateContract => "Create contract", "Создать договор";
    NoContracts => "No contracts", "Договоров нет";
    NewerPlanVersion => "The plan has a newer version:", "У плана есть более новая версия:";
    MoveToCurrentVersion => "Move to current version", "Перевести на текущую версию";
    AdviceOnly => "Advice only — not standard support", "Только рекомендации и консультации — не стандартная поддержка";
    PlanTemplates => "Plan templates of the regulations", "Шаблоны планов по регламентам";
    FromTemplate => "template", "шаблон";
    SetSpecial => "Special request…", "Спецобращение…";
    EffectSetSpecial => "Sets or clears the special-request flag: the customer is told and the clocks are recomputed from the start.", "Устанавливает или снимает признак спецобращения: клиенту придёт уведомление, сроки будут пересчитаны с начала.";
    AwaitingConfirmation => "Special request: awaiting confirmation by support", "Спецобращение: ожидает подтверждения поддержкой";
    OneProblemPerSpecialRequest => "One problem per special request.", "В одном спецобращении — только одна проблема.";
    SpecialNotAllowed => "Your contract does not include special requests.", "Ваш договор не предусматривает спецобращений.";
    SpecialNeedsConfirmation => "Under your contract support confirms a special request; until then it is handled as a normal one.", "По вашему договору спецобращение подтверждает поддержка; до подтверждения оно обрабатывается как обычное.";
    SpecialRequests => "Special requests", "Спецобращения";
    SpecialAllowed => "Allowed", "Разрешены";
    SpecialNotAllowedOption => "Not allowed", "Не предусмотрены";
    SpecialConfirm => "Need confirmation by support", "Требуют подтверждения поддержкой";
    AllOrganisations => "All organisations", "Все организации";
    ChooseOrganisation => "Choose an organisation", "Выберите организацию";
    AccountLimit => "Account limit", "Лимит учётных записей";
    AccountLimitHelp => "Active customer accounts the contract allows (2 by default).", "Сколько активных учётных записей клиента допускает договор (по умолчанию 2).";
    InForce => "in force", "действует";
    Watchers => "Watchers", "Наблюдатели";
    WatchersOf => "Watchers of", "Наблюдатели организации";
    WatchersHelp => "Watchers hear of every ticket of the organisation, in the app and by mail, as if they followed each one; internal notes reach only the staff among them. Each watcher can switch the mail off in their profile.", "Наблюдатели узнают обо всех обращениях организации — в приложении и по почте, как если бы подписались на каждое; о внутренних заметках узнают только сотрудники. Почту каждый может отключить в своём профиле.";
    OrganisationAccounts => "The organisation's accounts", "Учётные записи организации";
    StaffAccounts => "Support staff", "Сотрудники поддержки";
    NoActiveAccounts => "No active accounts", "Активных учётных записей нет";
    SaveWatchers => "Save watchers", "Сохранить наблюдателей";

    NewAccount => "New account", "Новая учётная запись";
    CreateAccount => "Create account", "Создать учётную запись";
    NoAccounts => "No accounts", "Учётных записей нет";
    AllAccounts => "All accounts", "Все учётные записи";
    AccountLimitApplies => "Customer accounts count against the account limit of the organisation's contract.", "Учётные записи клиентов учитываются в лимите договора организации.";
    StaffHaveNoOrganisation => "Staff accounts belong to no organisation.", "Учётные записи сотрудников не относятся к организации.";
    Active => "active", "активна";
    Deactivated => "deactivated", "отключена";
    Deactivate => "Deactivate", "Отключить";
    ConfirmDeactivate => "Deactivate the account of", "Отключить учётную запись";
    ResetPassword => "Reset password", "Сбросить пароль";
    ConfirmResetPassword => "Make a new one-time password for", "Создать новый одноразовый пароль для";
    AccountCreated => "Account created:", "Учётная запись создана:";
    PasswordWasReset => "Password reset:", "Пароль сброшен:";
    OneTimePassword => "One-time password", "Одноразовый пароль";
    OneTimePasswordHelp => "It is shown only now: pass it on and ask the user to change it.", "Он показан только сейчас: передайте его пользователю и попросите сменить.";

    ChangePassword => "Change password", "Сменить пароль";
    CurrentPassword => "Current password", "Текущий пароль";
    NewPassword => "New password", "Новый пароль";
    PasswordChanged => "Password changed", "Пароль изменён";
    MustChangePassword => "Your password was given to you by an administrator: choose your own before you go on.", "Этот пароль выдал администратор: придумайте свой, прежде чем продолжить.";
    Sessions => "Sessions", "Сеансы";
    ThisSession => "this session", "этот сеанс";
    SignedInAt => "Signed in", "Вход";
    UnknownClient => "Unknown browser", "Неизвестный браузер";
    SignOutSession => "Sign out", "Завершить";
    SignOutEverywhere => "Sign out everywhere", "Выйти на всех устройствах";
    ForgotPassword => "Forgot password?", "Забыли пароль?";
    ForgotPasswordTitle => "Reset your password", "Восстановление пароля";
    ForgotPasswordHelp => "Enter your e-mail: we send a link to choose a new password, valid for an hour.", "Введите адрес почты: мы пришлём ссылку для выбора нового пароля, она действует час.";
    SendResetLink => "Send the link", "Отправить ссылку";
    ResetLinkSent => "If an account has this address, a link is on its way.", "Если с этим адресом есть учётная запись, ссылка уже отправлена.";
    ChooseNewPassword => "Choose a new password", "Выберите новый пароль";
    SetPassword => "Set password", "Сохранить пароль";
    PasswordSetSignIn => "Your password is set: sign in with it.", "Пароль сохранён: войдите с ним.";
    BackToSignIn => "Back to sign in", "Вернуться ко входу";
    TwoFactor => "Two-factor authentication", "Двухфакторная аутентификация";
    TwoFactorOn => "On: signing in asks for a code from your authenticator app.", "Включена: при входе нужен код из приложения-аутентификатора.";
    TwoFactorOff => "Off: signing in asks only for the password.", "Выключена: при входе нужен только пароль.";
    TwoFactorRequired => "Your organisation requires a second factor for staff: set it up before you go on.", "Для сотрудников обязателен второй фактор: настройте его, прежде чем продолжить.";
    SetUpTwoFactor => "Set up", "Настроить";
    ScanQrCode => "Scan the code with an authenticator app, or enter the key, then type the six-digit code it shows.", "Отсканируйте код приложением-аутентификатором или введите ключ, затем наберите показанный шестизначный код.";
    SecretKey => "Key", "Ключ";
    AuthenticatorCode => "Authentication code", "Код подтверждения";
    Confirm => "Confirm", "Подтвердить";
    RecoveryCodes => "Recovery codes", "Резервные коды";
    RecoveryCodesHelp => "Each works once instead of a code. They are shown only now: keep them somewhere safe.", "Каждый можно использовать один раз вместо кода. Они показаны только сейчас: сохраните их в надёжном месте.";
    TurnOffTwoFactor => "Turn off", "Отключить";
    TwoFactorCodeOrPassword => "A code, a recovery code or your password", "Код, резервный код или ваш пароль";
    SecondFactorPrompt => "Enter the code from your authenticator app, or a recovery code.", "Введите код из приложения-аутентификатора или резервный код.";
    SecondFactorWrong => "The code is wrong or was already used", "Код неверен или уже использован";
    Security => "Security", "Безопасность";
    RequireStaffTwoFactor => "Require a second factor for all staff", "Требовать второй фактор от всех сотрудников";

    Entity => "Entity", "Объект";
    EntityId => "Entity id", "Идентификатор объекта";
    ActionName => "Action", "Действие";
    Actor => "Actor", "Кто";
    ActorId => "Actor id", "Идентификатор автора";
    AuditActionHelp => "Actions look like contract.create, user.deactivate, known_error.update.", "Действия имеют вид contract.create, user.deactivate, known_error.update.";
    NoAuditEntries => "No audit entries match these filters", "Записей журнала по этим фильтрам нет";

    StartFrom => "Start from", "Начать с";
    Template => "template", "шаблон";
    SavedCalendars => "Saved calendars", "Сохранённые календари";
    NoSavedCalendars => "No calendar saved yet.", "Сохранённых календарей пока нет.";
    SavedCalendarsUnavailable => "Saved calendars are not available from the server yet; the editor and the preview work without it.", "Сохранённые календари пока недоступны на сервере; редактор и предпросмотр работают и без него.";
    NewCalendar => "New calendar", "Новый календарь";
    EditCalendar => "Edit calendar", "Изменить календарь";
    SaveCalendar => "Save calendar", "Сохранить календарь";
    SaveAsNew => "Save as a new calendar", "Сохранить как новый";
    AlwaysOpen => "24x7: every hour is working time", "24x7: всё время рабочее";
    AlwaysOpenHelp => "A 24x7 calendar has no hours, holidays or overrides.", "У календаря 24x7 нет графика, праздников и исключений.";
    WeeklyHours => "Weekly hours", "Рабочие часы по дням недели";
    WeeklyHoursHelp => "Times as HH:MM in the calendar's zone; a day may have several intervals (e.g. a lunch break); 24:00 closes at midnight.", "Время в формате ЧЧ:ММ в поясе календаря; у дня может быть несколько интервалов (например, с обеденным перерывом); 24:00 — до полуночи.";
    Monday => "Monday", "Понедельник";
    Tuesday => "Tuesday", "Вторник";
    Wednesday => "Wednesday", "Среда";
    Thursday => "Thursday", "Четверг";
    Friday => "Friday", "Пятница";
    Saturday => "Saturday", "Суббота";
    Sunday => "Sunday", "Воскресенье";
    DayOff => "day off", "выходной";
    Opens => "From", "С";
    Closes => "To", "До";
    AddInterval => "Add hours", "Добавить интервал";
    RemoveInterval => "Remove interval", "Удалить интервал";
    CopyMonday => "Copy Monday to Tuesday–Friday", "Скопировать понедельник на вторник–пятницу";
    Holidays => "Holidays", "Праздники";
    HolidaysRu => "Russian production calendar (bundled: 2024–2027 with transfers)", "Производственный календарь РФ (встроенный: 2024–2027 с переносами)";
    HolidaysList => "An explicit list of dates", "Явный список дат";
    HolidayDates => "Holiday dates", "Праздничные даты";
    DatesHelp => "One date per line, as YYYY-MM-DD.", "По одной дате в строке, в формате ГГГГ-ММ-ДД.";
    ShortenPreHoliday => "Shorten the day before a holiday by one hour", "Сокращать предпраздничный день на час";
    ExtraWorkingDays => "Extra working days", "Дополнительные рабочие дни";
    ExtraWorkingDaysHelp => "Dates worked although the week or the holidays say otherwise (transferred working Saturdays); one per line, YYYY-MM-DD.", "Даты, которые рабочие вопреки графику или праздникам (перенесённые рабочие субботы); по одной в строке, ГГГГ-ММ-ДД.";
    Overrides => "Overrides", "Исключения";
    OverridesHelp => "A date with its own hours wins over everything else; leave the hours empty to close that date.", "Дата со своими часами важнее всех остальных правил; пустые часы закрывают дату.";
    HoursThatDay => "Hours that day", "Часы в этот день";
    AddOverride => "Add override", "Добавить исключение";
    RemoveOverride => "Remove override", "Удалить исключение";
    OverrideNeedsDate => "Every override needs a date", "У каждого исключения должна быть дата";
    DeadlinePreview => "Deadline preview", "Предпросмотр сроков";
    DeadlinePreviewHelp => "Computed in your browser by the same code the server uses, with this calendar in the chosen plan.", "Считается в браузере тем же кодом, что и на сервере, с этим календарём в выбранном плане.";
    RegisteredAt => "Registered", "Зарегистрировано";
    AtChosenTime => "At a chosen time", "В выбранное время";
    PreviewNeedsValidCalendar => "Correct the calendar to see the deadlines.", "Исправьте календарь, чтобы увидеть сроки.";
    PreviewNeedsTime => "Choose a registration time.", "Выберите время регистрации.";
    WorkingTimeNow => "working time", "рабочее время";
    OutsideWorkingTime => "outside working time", "нерабочее время";
    ClockStartsAt => "The clock starts", "Отсчёт начнётся";
    ResolutionBy => "Resolution by", "Решение до";
    ResolutionFromReproduced => "In this plan the resolution clock starts when the problem is marked reproduced; the date assumes it is reproduced at registration.", "В этом плане срок решения отсчитывается с момента воспроизведения; дата указана так, как если бы проблему воспроизвели при регистрации.";
    SpecialUsesItsCalendar => "Special requests run on the plan's special calendar (24x7), not on this one.", "Спецобращения считаются по календарю спецобращений плана (24x7), а не по этому.";
    CoverageWarningTitle => "No exact holiday data for", "Нет точных данных о праздниках за";
    CoverageWarning => "The bundled Russian calendar covers 2024–2027; other years use only the fixed federal holidays, without transfers. Enter that year's decree as overrides and extra working days, or as an explicit list.", "Встроенный календарь РФ охватывает 2024–2027 годы; в другие годы учитываются только постоянные федеральные праздники, без переносов. Внесите постановление на этот год как исключения и дополнительные рабочие дни или явным списком.";
    NextDays => "The next 14 days", "Ближайшие 14 дней";
    WorkingHours => "working hours", "рабочих часов";
    WorkingMinutes => "working minutes", "рабочих минут";
    WorkingDaysUnit => "working days", "рабочих дней";
    SameOrNextDay => "same or next working day, cut-off", "в тот же или следующий рабочий день, граница";
    MonShort => "Mon", "Пн";
    TueShort => "Tue", "Вт";
    WedShort => "Wed", "Ср";
    ThuShort => "Thu", "Чт";
    FriShort => "Fri", "Пт";
    SatShort => "Sat", "Сб";
    SunShort => "Sun", "Вс";
    Plans => "SLA plans", "SLA-планы";
    SavedPlans => "Saved plans", "Сохранённые планы";
    NoSavedPlans => "No plan saved yet.", "Сохранённых планов пока нет.";
    SavedPlansUnavailable => "Saved plans are not available from the server yet; the editor and the preview work without it.", "Сохранённые планы пока недоступны на сервере; редактор и предпросмотр работают и без него.";
    NewPlan => "New plan", "Новый план";
    EditPlan => "Edit plan", "Изменить план";
    SavePlan => "Save plan", "Сохранить план";
    PlanCalendar => "Calendar of ordinary requests", "Календарь обычных обращений";
    SpecialCalendar => "Calendar of special requests", "Календарь спецобращений";
    CustomCalendar => "Custom calendar (from the saved plan)", "Собственный календарь (из плана)";
    Rules => "Rules", "Правила";
    RulesHelp => "The most specific matching rule wins (category, severity and special flag); an empty choice matches anything.", "Действует самое конкретное подходящее правило (категория, критичность, спецобращение); пустой выбор подходит ко всему.";
    Rule => "Rule", "Правило";
    AddRule => "Add rule", "Добавить правило";
    RemoveRule => "Remove rule", "Удалить правило";
    AnyCategory => "Any category", "Любая категория";
    AnySeverity => "Any severity", "Любая критичность";
    Yes => "Yes", "Да";
    No => "No", "Нет";
    TargetWorking => "Working time", "Рабочее время";
    TargetSameOrNext => "Same or next working day", "Тот же или следующий рабочий день";
    TargetWorkingDays => "Working days", "Рабочие дни";
    CutoffTime => "Cut-off (HH:MM)", "Граница (ЧЧ:ММ)";
    CutoffFormat => "Enter a time like 12:00", "Введите время вида 12:00";
    WarnAtPercent => "Warn at (% of the target)", "Предупреждать при (% срока)";
    ResolutionFromReproducedOption => "Count resolution from the moment the problem is reproduced", "Отсчитывать решение с момента воспроизведения проблемы";
    ResolutionCountsFrom => "Resolution counts from", "Решение отсчитывается";
    AsThePlanSays => "As the plan says", "Как в плане";
    FromRegistration => "Registration", "С момента регистрации";
    FromReproduction => "Reproduction", "С момента воспроизведения";
    PlanPreviewHelp => "Deadlines of a ticket registered now, computed in your browser by the same code the server uses.", "Сроки обращения, зарегистрированного сейчас; считаются в браузере тем же кодом, что и на сервере.";
    NotExact => "approximate", "приблизительно";

    Reports => "Reports", "Отчёты";
    SlaCompliance => "SLA compliance", "Соблюдение SLA";
    Breaches => "Breaches", "Нарушения";
    CustomerSatisfaction => "Customer satisfaction", "Удовлетворённость клиентов";
    ReopenRate => "Reopen rate", "Доля переоткрытых";
    BacklogByAge => "Backlog by age", "Открытые обращения по возрасту";
    ExpediteRequests => "Expedite requests", "Просьбы ускорить";
    ReportPeriod => "Period", "Период";
    PeriodFrom => "From", "С";
    PeriodTo => "To", "По";
    GroupBy => "Group by", "Группировать по";
    GroupAgent => "Agent", "Инженер";
    ShowReports => "Show reports", "Показать отчёты";
    LastThirtyDays => "Last 30 days", "Последние 30 дней";
    PeriodInvalid => "Enter dates like 2026-03-31, the start not after the end, at most ten years apart.", "Введите даты вида 2026-03-31: начало не позже конца, не более десяти лет.";
    PeriodHelp => "Whole days in UTC, both ends included.", "Целые сутки по UTC, включая обе даты.";
    DownloadCsv => "Download CSV", "Скачать CSV";
    Group => "Group", "Группа";
    TicketCount => "Tickets", "Обращений";
    MetCount => "Met", "Выполнено";
    BreachedCount => "Breached", "Нарушено";
    MetPercent => "Met, %", "Выполнено, %";
    Total => "Total", "Итого";
    NotDecided => "no decided deadlines", "нет завершённых сроков";
    SlaChartTitle => "Share of deadlines met, by group", "Доля выполненных сроков по группам";
    NoSlaData => "No tickets were registered in this period.", "За этот период обращений не зарегистрировано.";
    NoBreaches => "No deadline was breached in this period.", "За этот период сроки не нарушались.";
    ClockName => "Deadline of", "Вид срока";
    StoppedAt => "Stopped", "Остановлен";
    StillRunning => "still running", "ещё идёт";
    AverageScore => "Average score", "Средняя оценка";
    OutOfFive => "out of 5", "из 5";
    RatingCount => "Ratings", "Оценок";
    CsatChartTitle => "Ratings by score", "Оценки по баллам";
    NoRatings => "No ratings were given in this period.", "За этот период оценок не ставили.";
    Resolutions => "Resolutions", "Решений";
    Reopens => "Reopens", "Переоткрытий";
    NoResolutions => "No ticket was resolved in this period.", "За этот период обращения не решались.";
    OpenTickets => "Open tickets", "Открытых обращений";
    AsOf => "As of", "На момент";
    BacklogChartTitle => "Open tickets by age since registration", "Открытые обращения по времени с регистрации";
    NoBacklog => "No open tickets.", "Открытых обращений нет.";
    AgeUnderOneDay => "< 1 day", "< 1 дня";
    AgeOneToThreeDays => "1–3 days", "1–3 дня";
    AgeThreeToSevenDays => "3–7 days", "3–7 дней";
    AgeSevenToThirtyDays => "7–30 days", "7–30 дней";
    AgeOverThirtyDays => "> 30 days", "> 30 дней";
    RequestedBy => "Requested by", "Кто просит";
    NoExpediteRequests => "No customer has asked to expedite a ticket.", "Клиенты пока не просили ускорить обращения.";
    ReportsHelp => "Reports for the chosen period; the backlog and the expedite requests are as of now.", "Отчёты за выбранный период; открытые обращения и просьбы ускорить — на текущий момент.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages() {
        for text in [Text::SignIn, Text::MyTickets, Text::Queue] {
            assert!(!text.get(Locale::En).is_empty());
            assert_ne!(text.get(Locale::En), text.get(Locale::Ru));
        }
        assert_eq!(Text::SignIn.get(Locale::En), "Sign in");
        assert_eq!(Locale::from_code("ru"), Locale::Ru);
        assert_eq!(Locale::from_code("de"), Locale::En);
    }

    #[test]
    fn the_first_and_last_texts_are_cut_at_their_ends() {
        assert_eq!(Text::AppName.get(Locale::En), "Reglament");
        assert_eq!(Text::AppName.get(Locale::Ru), "Регламент");
        assert_eq!(Text::Email.get(Locale::Ru), "Эл. почта");
        let last = *Text::ALL.last().expect("a text");
        assert_eq!(last, Text::ReportsHelp);
        assert!(
            last.get(Locale::En)
                .starts_with("Reports for the chosen period;")
        );
        assert!(last.get(Locale::Ru).ends_with("на текущий момент."));
    }

    #[test]
    fn each_text_starts_after_the_nul_that_ends_the_one_before() {
        assert_eq!(text_starts("ab\0\0cde\0"), vec![0, 3, 4, 8]);
        assert!(without_nul(&["Очередь", "Queue"]));
        assert!(!without_nul(&["Queue", "Qu\0eue"]));
        for text in Text::ALL {
            for locale in [Locale::En, Locale::Ru] {
                assert!(!text.get(locale).contains('\0'), "{text:?}");
            }
        }
        assert_eq!(
            Text::SignInFailed.get(Locale::En),
            "Wrong email or password"
        );
        assert_eq!(
            Text::SignInFailed.get(Locale::Ru),
            "Неверная почта или пароль"
        );
    }

    #[test]
    fn report_headings_keep_their_english_names() {
        // End-to-end tests and bookmarks of the reports screen find its sections by these.
        let headings = [
            (Text::Reports, "Reports"),
            (Text::SlaCompliance, "SLA compliance"),
            (Text::Breaches, "Breaches"),
            (Text::CustomerSatisfaction, "Customer satisfaction"),
            (Text::ReopenRate, "Reopen rate"),
            (Text::BacklogByAge, "Backlog by age"),
            (Text::ExpediteRequests, "Expedite requests"),
            (Text::DownloadCsv, "Download CSV"),
        ];
        for (text, english) in headings {
            assert_eq!(text.get(Locale::En), english);
            assert_ne!(text.get(Locale::Ru), english);
        }
    }

    #[test]
    fn no_text_is_empty_in_either_language() {
        for text in Text::ALL {
            assert!(
                !text.get(Locale::En).trim().is_empty(),
                "{text:?} has no English"
            );
            assert!(
                !text.get(Locale::Ru).trim().is_empty(),
                "{text:?} has no Russian"
            );
        }
    }
}
