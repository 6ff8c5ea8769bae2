//! The product's two languages, English and Russian. Every sentence a person reads from the
//! server (a problem's `detail`, a mail, an SMS, a page) is a message of `locales/*.ftl`
//! (Project Fluent): the files hold the wording and the plural forms, the code only names the
//! message and gives its arguments. A language is chosen by the profile, else by
//! `Accept-Language`, else English.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_langneg::{NegotiationStrategy, negotiate_languages, parse_accepted_languages};
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

/// A language the product speaks.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Ru,
}

crate::named_values!(Language, "language", { En => "en", Ru => "ru" });

impl Language {
    /// The first of ours that an `Accept-Language` header asks for (in its order, a tag
    /// matching by its language: `ru-RU` is Russian), else English.
    pub fn from_accept_language(header: &str) -> Language {
        let requested = parse_accepted_languages(header);
        let available: Vec<LanguageIdentifier> = Language::ALL.iter().map(|l| l.id()).collect();
        let default = Language::En.id();
        negotiate_languages(
            &requested,
            &available,
            Some(&default),
            NegotiationStrategy::Lookup,
        )
        .first()
        .and_then(|id| Language::parse(id.language.as_str()).ok())
        .unwrap_or_default()
    }

    fn id(self) -> LanguageIdentifier {
        // Both names are valid tags; a failure would show at once in the plural tests.
        self.as_str().parse().unwrap_or_default()
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        &BUNDLES[self as usize]
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The messages of each language, in `Language` order, parsed once.
static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 2]> = LazyLock::new(|| {
    [
        bundle(Language::En, include_str!("../locales/en.ftl")),
        bundle(Language::Ru, include_str!("../locales/ru.ftl")),
    ]
});

fn bundle(language: Language, source: &str) -> FluentBundle<FluentResource> {
    // A syntax error keeps the messages that did parse, and a message said twice keeps the
    // first; the tests below refuse both.
    let resource =
        FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
    let mut bundle = FluentBundle::new_concurrent(vec![language.id()]);
    // No Unicode isolation marks around arguments: texts go to plain-text mails and SMS.
    bundle.set_use_isolating(false);
    let _ = bundle.add_resource(resource);
    bundle
}

/// An argument of a message: a text (a name, an address) or a count (which picks the plural
/// form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Count(u64),
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_owned())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

impl From<u64> for Arg {
    fn from(count: u64) -> Arg {
        Arg::Count(count)
    }
}

/// A sentence for a person: a message of the Fluent files and its arguments, said in
/// whichever language the reader has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

impl Text {
    pub const fn new(id: &'static str) -> Text {
        Text {
            id,
            args: Vec::new(),
        }
    }

    /// The same message with one more argument.
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Text {
        self.args.push((name, value.into()));
        self
    }

    pub fn id(&self) -> &'static str {
        self.id
    }

    pub fn render(&self, language: Language) -> String {
        message(language, self.id, &self.args)
    }
}

/// The message `id` in `language` with `args`: for ids made at run time (a mail's parts);
/// `Text` is the usual way.
pub fn message(language: Language, id: &str, args: &[(&'static str, Arg)]) -> String {
    let args: FluentArgs = args
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Arg::Text(text) => FluentValue::from(text.as_str()),
                Arg::Count(count) => FluentValue::from(*count),
            };
            (*name, value)
        })
        .collect();
    say(language, id, Some(&args))
}

/// The message `id` in `language`; its id itself if there is none (the tests make sure every
/// message the code names exists in both languages).
fn say(language: Language, id: &str, args: Option<&FluentArgs>) -> String {
    let bundle = language.bundle();
    let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
        return id.to_owned();
    };
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_bundle::FluentError;
    use fluent_bundle::resolver::ResolverError;
    use fluent_bundle::resolver::errors::ReferenceKind;
    use fluent_syntax::ast::Entry;
    use std::collections::{BTreeMap, BTreeSet};

    fn source(language: Language) -> &'static str {
        match language {
            Language::En => include_str!("../locales/en.ftl"),
            Language::Ru => include_str!("../locales/ru.ftl"),
        }
    }

    /// Each message's id and the variables it uses (what formatting it without arguments
    /// reports missing).
    fn messages(language: Language) -> BTreeMap<String, BTreeSet<String>> {
        let resource = FluentResource::try_new(source(language).to_owned())
            .unwrap_or_else(|(_, errors)| panic!("{language}.ftl does not parse: {errors:?}"));
        let bundle = language.bundle();
        let mut messages = BTreeMap::new();
        for entry in resource.entries() {
            let Entry::Message(message) = entry else {
                continue;
            };
            let id = message.id.name.to_owned();
            let pattern = bundle
                .get_message(&id)
                .and_then(|message| message.value())
                .unwrap_or_else(|| panic!("{language}: {id} has no value"));
            let mut errors = Vec::new();
            bundle.format_pattern(pattern, None, &mut errors);
            let variables = errors
                .into_iter()
                .filter_map(|error| match error {
                    FluentError::ResolverError(ResolverError::Reference(
                        ReferenceKind::Variable { id },
                    )) => Some(id),
                    _ => None,
                })
                .collect();
            let said_twice = messages.insert(id.clone(), variables).is_some();
            assert!(!said_twice, "{language}: {id} is defined twice");
        }
        messages
    }

    #[test]
    fn both_languages_have_every_message_with_the_same_arguments() {
        let english = messages(Language::En);
        let russian = messages(Language::Ru);
        let only = |a: &BTreeMap<String, BTreeSet<String>>,
                    b: &BTreeMap<String, BTreeSet<String>>| {
            a.keys()
                .filter(|id| !b.contains_key(*id))
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(
            only(&english, &russian),
            Vec::<String>::new(),
            "missing in ru.ftl"
        );
        assert_eq!(
            only(&russian, &english),
            Vec::<String>::new(),
            "missing in en.ftl"
        );
        for (id, variables) in &english {
            assert_eq!(
                &russian[id], variables,
                "{id} takes other arguments in ru.ftl"
            );
        }
        assert!(english.len() > 50, "{} messages", english.len());
    }

    #[test]
    fn russian_counts_take_their_three_plural_forms() {
        let seconds = |n: u64| Text::new("error-rate-limited").with("seconds", n);
        let said = |n| seconds(n).render(Language::Ru);
        assert!(said(1).contains("1 секунду"), "{}", said(1));
        assert!(said(3).contains("3 секунды"), "{}", said(3));
        assert!(said(5).contains("5 секунд"), "{}", said(5));
        assert!(said(21).contains("21 секунду"), "{}", said(21));
        assert!(seconds(1).render(Language::En).contains("in 1 second."));
        assert!(seconds(2).render(Language::En).contains("2 seconds"));
    }

    #[test]
    fn accept_language_picks_the_first_language_we_speak() {
        let pick = Language::from_accept_language;
        assert_eq!(pick("ru-RU,ru;q=0.9,en-US;q=0.8"), Language::Ru);
        assert_eq!(pick("de-DE,de;q=0.9,ru;q=0.5"), Language::Ru);
        assert_eq!(pick("en-GB,ru;q=0.5"), Language::En);
        assert_eq!(pick("fr"), Language::En);
        assert_eq!(pick(""), Language::En);
        assert_eq!(pick(";;,q=x"), Language::En);
    }

    #[test]
    fn arguments_are_put_in_as_given_without_isolation_marks() {
        let said = Text::new("error-no-access")
            .with("address", "acme")
            .render(Language::En);
        assert!(said.starts_with("No access to acme."), "{said}");
        assert!(!said.contains('\u{2068}'));
    }

    #[test]
    fn an_unknown_message_says_its_id_rather_than_nothing() {
        assert_eq!(
            Text::new("no-such-message").render(Language::Ru),
            "no-such-message"
        );
    }
}
