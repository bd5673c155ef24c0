//! A short, human description of a browser from its User-Agent header ("Firefox on
//! Windows"), for the device list. Only the family names are kept; the header itself is
//! stored for the person's own view and never shared.

/// The browser family and operating system a User-Agent names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub browser: &'static str,
    pub os: &'static str,
}

pub fn describe(user_agent: &str) -> Device {
    let ua = user_agent;
    // Order matters: Edge and Opera also say Chrome; Chrome also says Safari.
    let browser = if ua.contains("Edg/") || ua.contains("Edge/") {
        "Edge"
    } else if ua.contains("OPR/") || ua.contains("Opera") {
        "Opera"
    } else if ua.contains("Firefox/") || ua.contains("FxiOS/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("CriOS/") {
        if ua.contains("HeadlessChrome") {
            "Chrome (headless)"
        } else {
            "Chrome"
        }
    } else if ua.contains("Safari/") && ua.contains("Version/") {
        "Safari"
    } else if ua.starts_with("curl/") {
        "curl"
    } else {
        "Unknown browser"
    };
    let os = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iOS") {
        "iOS"
    } else if ua.contains("CrOS") {
        "ChromeOS"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Linux") || ua.contains("X11") {
        "Linux"
    } else {
        "Unknown system"
    };
    Device { browser, os }
}

/// An approximate location from an IP address without a geolocation database: the
/// country a trusted edge (Cloudflare's `CF-IPCountry`) reported, else the network the
/// address belongs to with its last part hidden.
pub fn approximate_location(ip: &str, country: Option<&str>) -> String {
    let network = match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => {
            if v4.is_loopback() || v4.is_private() || v4.is_link_local() {
                return "local network".into();
            }
            let o = v4.octets();
            format!("{}.{}.{}.x", o[0], o[1], o[2])
        }
        Ok(std::net::IpAddr::V6(v6)) => {
            if v6.is_loopback() {
                return "local network".into();
            }
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
        Err(_) => return "unknown".into(),
    };
    match country {
        Some(c) if c.len() == 2 && c.chars().all(|c| c.is_ascii_alphabetic()) => {
            format!("{} ({network})", c.to_ascii_uppercase())
        }
        _ => network,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_browsers_are_named() {
        let cases = [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0",
                "Edge",
                "Windows",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
                "Firefox",
                "Linux",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
                "Safari",
                "iOS",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
                "Chrome",
                "Android",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
                "Safari",
                "macOS",
            ),
        ];
        for (ua, browser, os) in cases {
            assert_eq!(describe(ua), Device { browser, os }, "{ua}");
        }
    }

    #[test]
    fn locations_hide_the_host_part() {
        assert_eq!(approximate_location("127.0.0.1", None), "local network");
        assert_eq!(approximate_location("203.0.113.77", None), "203.0.113.x");
        assert_eq!(
            approximate_location("203.0.113.77", Some("de")),
            "DE (203.0.113.x)"
        );
        assert_eq!(
            approximate_location("2001:db8:1234:5678::1", None),
            "2001:db8:1234::/48"
        );
    }
}
