//! Times as pages print them: UTC, the same on the server and in the browser.

/// A unix time in milliseconds as `YYYY-MM-DD HH:MM UTC`, and as the `datetime` of a
/// `<time>` element (`YYYY-MM-DDTHH:MMZ`). Pure arithmetic (days to civil date, after
/// Howard Hinnant), so server and browser print the same thing.
pub fn utc_parts(ms: i64) -> (i64, i64, i64, i64, i64) {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let of_day = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, of_day / 3600, of_day % 3600 / 60)
}

/// `YYYY-MM-DD HH:MM UTC`.
pub fn format_utc(ms: i64) -> String {
    let (y, mo, d, h, mi) = utc_parts(ms);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
}

/// `YYYY-MM-DD`, the day in UTC.
pub fn format_utc_date(ms: i64) -> String {
    let (y, mo, d, _, _) = utc_parts(ms);
    format!("{y:04}-{mo:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_milliseconds_print_as_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc(1_700_000_000_000), "2023-11-14 22:13 UTC");
        assert_eq!(format_utc(1_735_689_599_999), "2024-12-31 23:59 UTC");
        assert_eq!(format_utc(-60_000), "1969-12-31 23:59 UTC");
        assert_eq!(utc_parts(4_107_542_400_000), (2100, 3, 1, 0, 0));
        assert_eq!(format_utc_date(1_735_689_599_999), "2024-12-31");
        assert_eq!(format_utc_date(-60_000), "1969-12-31");
    }
}
