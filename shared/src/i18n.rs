//! The interface's words in English and Russian: one typed catalogue for the app and the mail.
//!
//! Every visible string is a [`Text`] variant, so a missing translation is a compile error rather
//! than an English word on a Russian screen.

use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    ($($key:ident => $en:expr, $ru:expr;)*) => {
        /// A string of the interface.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Text { $($key,)* }

        impl Text {
            /// This text in the given language.
            pub fn get(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((Text::$key, Locale::En) => $en, (Text::$key, Locale::Ru) => $ru,)*
                }
            }
        }
    };
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
    Reference => "Reference", "Номер";
    Subject => "Subject", "Тема";
    Status => "Status", "Статус";
    Organisation => "Organisation", "Организация";
    Deadline => "Deadline", "Срок";
    NewTicket => "New ticket", "Новое обращение";
    Category => "Category", "Категория";
    Severity => "Severity", "Критичность";
    SpecialRequest => "Special request", "Особый запрос";
    SpecialHelp => "Handled 24x7 and out of turn. Use it only for real emergencies: every special request is visible to the head of support.", "Обрабатывается круглосуточно и вне очереди. Используйте только в экстренных случаях: каждый особый запрос виден руководителю поддержки.";
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
}
