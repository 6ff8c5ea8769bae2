//! What the server itself can tell about a device from its request: the program and the
//! system its `User-Agent` names. Shown to a person approving a QR sign-in and in the list of
//! sessions instead of whatever name the device gave itself, which may be a lie ("ANNA-PC").

/// A device as its user agent describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// The program: "Lanyard desktop", "Firefox", … or "Unknown program".
    pub program: &'static str,
    /// The operating system, when the user agent names one.
    pub platform: Option<&'static str>,
}

/// Reads the program and system from a `User-Agent` value. Only well-known tokens count; the
/// rest of the header (free text the client chose) is never echoed.
pub fn describe(user_agent: Option<&str>) -> Device {
    let ua = user_agent.unwrap_or_default();
    let program = [
        ("lanyard-client/", "Lanyard desktop"),
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(token, _)| ua.contains(token))
    .map_or("Unknown program", |(_, name)| *name);
    let platform = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(token, _)| ua.contains(token))
    .map(|(_, name)| *name);
    // The desktop client does not name its system in its user agent; the server runs beside it
    // only when embedded, so the system is unknown rather than guessed.
    Device { program, platform }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_programs_and_systems_are_named_and_claims_are_not_echoed() {
        let firefox = describe(Some(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0",
        ));
        assert_eq!(
            (firefox.program, firefox.platform),
            ("Firefox", Some("Windows"))
        );
        let chrome = describe(Some(
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36",
        ));
        assert_eq!(
            (chrome.program, chrome.platform),
            ("Chrome", Some("Android"))
        );
        let desktop = describe(Some("lanyard-client/0.1.0"));
        assert_eq!(
            (desktop.program, desktop.platform),
            ("Lanyard desktop", None)
        );
        let liar = describe(Some("ANNA-PC (Lanyard desktop) tap 37"));
        assert_eq!((liar.program, liar.platform), ("Unknown program", None));
        assert_eq!(describe(None).program, "Unknown program");
    }
}
